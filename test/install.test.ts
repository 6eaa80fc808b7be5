// Goal: a user who follows the README's Install section has every package its quickstart imports,
// in the versions Faultline works with; and installing the package builds nothing (it is built
// before it is packed), while `npm pack` and `npm publish` still build it. Method: the README's
// Install section and quickstart block, and package.json, read as files: each package the
// quickstart imports must be in an `npm i` command of the Install section, zod in the major
// version Faultline depends on; no script of the manifest may run on a consumer's install.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '..');
const readme = readFileSync(path.join(repo, 'README.md'), 'utf8');
const manifest = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  files: string[];
};

/** The text of the README section with this heading, up to the next heading of its level. */
function section(heading: string): string {
  const start = readme.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README.md has no "## ${heading}" section`);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** The packages a block of code imports by bare name (not Faultline's own, not node: built-ins). */
function importedPackages(code: string): string[] {
  const names = [...code.matchAll(/^import [^;]*? from '([^']+)';$/gm)].map((m) => m[1] as string);
  const packages = names
    .filter((n) => !n.startsWith('.') && !n.startsWith('node:'))
    .map((n) => (n.startsWith('@') ? n.split('/').slice(0, 2) : n.split('/').slice(0, 1)).join('/'));
  return [...new Set(packages)].filter((p) => p !== 'faultline');
}

describe('the README Install section', () => {
  const install = section('Install');
  const quickstart = /<!-- quickstart:start -->\s*```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const installed = [...install.matchAll(/npm i -D ([^`\n]+)/g)].flatMap((m) => (m[1] as string).trim().split(/\s+/));

  it('installs every package the quickstart imports, and vitest for faultline/vitest', () => {
    // faultline/vitest imports vitest, an optional peer dependency: the user installs it.
    const needed = [...importedPackages(quickstart), ...(quickstart.includes("from 'faultline/vitest'") ? ['vitest'] : [])];
    expect(needed).toEqual(expect.arrayContaining(['zod', 'openai', 'vitest']));
    expect(installed).toContain('faultline');
    for (const name of needed) expect(installed, `the quickstart needs ${name}`).toContain(name);
  });

  it('names the zod major Faultline depends on, and says truly that zod is a dependency', () => {
    const major = /^\^?(\d+)\./.exec(manifest.dependencies.zod ?? '')?.[1];
    expect(major).toBeDefined();
    expect(manifest.peerDependencies.zod).toBeUndefined();
    expect(install).toContain(`Faultline depends on zod ${major} itself`);
    expect(install).toContain(`it must be zod ${major}`);
  });
});

describe('package.json', () => {
  it('runs no script on a consumer install, and builds dist/ before packing', () => {
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) expect(manifest.scripts[hook], hook).toBeUndefined();
    expect(manifest.scripts.prepack).toBe('node bin/build.mjs');
    expect(manifest.files).toContain('dist');
  });

  it('runs `npm start` from source, as a checkout has no dist/ until it is built', () => {
    expect(manifest.scripts.start).toBe('tsx harness/cli/main.ts run');
  });
});
