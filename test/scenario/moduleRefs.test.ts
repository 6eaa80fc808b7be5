// Goal: module references in scenario files resolve as TypeScript resolves imports, and a file
// cannot make Faultline import code from outside the project unless the user allows it. Method:
// scenario files in a temporary folder (outside this repository) that refer to modules beside them
// and inside the repository, loaded with and without allowOutsideRoot; a `.js` reference to a module
// that exists only as TypeScript.
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isFaultlineError, loadScenarioFile } from '../../harness/index.ts';
import { projectRoot, resolveModuleFile } from '../../harness/scenario/importModule.ts';

const outside = mkdtempSync(path.join(tmpdir(), 'faultline-refs-'));
const example = readFileSync('scenarios/examples/weather-tool-down.yaml', 'utf8');
const inProject = path.resolve('scenarios/examples/weather.js');

function write(name: string, text: string): string {
  const file = path.join(outside, name);
  writeFileSync(file, text);
  return file;
}

async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(isFaultlineError(error), String(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected the scenario file to be rejected');
}

describe('module references', () => {
  it('finds the TypeScript source of a .js reference, as a TypeScript import would', () => {
    expect(resolveModuleFile(inProject)).toBe(path.resolve('scenarios/examples/weather.ts'));
    expect(resolveModuleFile(path.resolve('scenarios/examples/weather.ts'))).toBe(path.resolve('scenarios/examples/weather.ts'));
    expect(resolveModuleFile(path.resolve('scenarios/examples/nowhere.js'))).toBeUndefined();
  });

  it('takes the project root from the repository', () => {
    expect(projectRoot(path.resolve('scenarios/examples'))).toBe(path.resolve('.'));
  });

  it('loads modules inside the project from a scenario file anywhere', async () => {
    const file = write('inside.yaml', example.replaceAll('./weather.js', inProject));
    const scenario = await loadScenarioFile(file);
    expect(Object.keys(scenario.agents ?? {})).toEqual(['naive', 'hardened']);
  });

  it('refuses a module outside the project, saying how to allow it, and loads it when allowed', async () => {
    write('agents.ts', `export * from ${JSON.stringify(path.resolve('scenarios/examples/weather.ts'))};\n`);
    const file = write('outside.yaml', example.replaceAll('./weather.js', './agents.js'));
    const message = await rejection(loadScenarioFile(file));
    expect(message).toMatch(/outside\.yaml:8:\d+: agents\.naive: agents\.naive \(\.\/agents\.js\) points outside the project/);
    expect(message).toContain('--allow-outside-project');
    expect(message).toMatch(/world\.tools/);
    const allowed = await loadScenarioFile(file, { allowOutsideRoot: true });
    expect(Object.keys(allowed.agents ?? {})).toEqual(['naive', 'hardened']);
  });

  it('follows symlinks before deciding: a link inside the project to a file outside is outside', async () => {
    const target = write('linked.ts', `export * from ${JSON.stringify(path.resolve('scenarios/examples/weather.ts'))};\n`);
    const link = path.resolve(`scratch-link-${process.pid}.ts`);
    symlinkSync(target, link);
    try {
      const file = write('link.yaml', example.replaceAll('./weather.js', link));
      expect(await rejection(loadScenarioFile(file))).toContain('points outside the project');
    } finally {
      rmSync(link);
    }
  });
});
