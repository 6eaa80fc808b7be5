// Goal: a `reference` that worker threads could not use is refused before any run, in the calling
// thread, by checkScenario, soakScenario and `faultline run --workers`, with an error that says what
// is wrong, for which scenario, what to do, and the nearest valid name; not when the first case
// reaches a worker. Method: checks and soaks of the rare-failure fixture on 2 workers with a file
// that does not exist, a module whose export is misnamed, one that throws when imported, an unknown
// built-in id and an unknown agent name; RunPool's `run` and the check's onRun are spied on to show
// that nothing ran.
import { afterAll, describe, expect, it, vi } from 'vitest';
import { checkScenario } from '../../harness/check/checkScenario.ts';
import { RunPool, type ScenarioReference } from '../../harness/check/runPool.ts';
import { soakScenario } from '../../harness/check/soakScenario.ts';
import { runCli } from '../../harness/cli/main.ts';
import { isFaultlineError } from '../../harness/index.ts';
import { scenario } from '../fixtures/workers/rareFailure.ts';

const chunks = vi.spyOn(RunPool.prototype, 'run');
afterAll(() => {
  chunks.mockRestore();
});

/** The error checkScenario rejects with for `reference` on 2 workers, having made no run. */
async function refused(reference: ScenarioReference): Promise<Error> {
  const runs = vi.fn();
  const error = await checkScenario(scenario, { agent: scenario.agents?.naive, runs: 20, runsFixed: true, workers: 2, reference, onRun: runs }).then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  expect(error, 'the check was not refused').toBeDefined();
  expect(isFaultlineError(error), String(error)).toBe(true);
  expect(runs).not.toHaveBeenCalled();
  expect(chunks).not.toHaveBeenCalled();
  expect(error?.message).toMatch(
    /^\[faultline\] checkScenario's reference \{ scenario: ".*" \} cannot be loaded, as each worker thread would load it \(scenario "workers: rare failure"\)\. Fix the reference/,
  );
  expect(error?.message).not.toMatch(/\n\s+at /);
  return error as Error;
}

describe('a reference worker threads could not use is refused before any run', () => {
  it('a file that does not exist, naming the nearest file', async () => {
    const error = await refused({ scenario: 'test/fixtures/workers/rareFailur.ts', agent: 'naive' });
    expect(error.message).toContain('There is no scenario "test/fixtures/workers/rareFailur.ts": no such file, and no built-in scenario has that id');
    expect(error.message).toContain('Did you mean "test/fixtures/workers/rareFailure.ts"?');
  });

  it('a module without the `scenario` export, naming the export to rename', async () => {
    const error = await refused({ scenario: 'test/fixtures/workers/misnamedExport.ts', agent: 'naive' });
    expect(error.message).toContain(
      'test/fixtures/workers/misnamedExport.ts does not export `scenario` (its exports: `Scenario`). Rename its export `Scenario` to `scenario`',
    );
  });

  it('a module that throws when imported, quoting its error', async () => {
    const error = await refused({ scenario: 'test/fixtures/throwsOnImport.ts', agent: 'naive' });
    expect(error.message).toContain('The scenario module test/fixtures/throwsOnImport.ts could not be imported: Error: this module refuses to load');
  });

  it('an unknown built-in id, naming the nearest id', async () => {
    const error = await refused({ scenario: '04-cap-for-agent', agent: 'naive' });
    expect(error.message).toContain('There is no scenario "04-cap-for-agent"');
    expect(error.message).toContain('Did you mean "04-cap-for-agents"?');
  });

  it('an agent name the scenario does not have, naming the nearest name', async () => {
    const error = await refused({ scenario: 'test/fixtures/workers/rareFailure.ts', agent: 'naïve' });
    expect(error.message).toContain('Scenario "workers: rare failure" (test/fixtures/workers/rareFailure.ts) has no agent "naïve"');
    expect(error.message).toContain('Did you mean "naive"? Its agents are "naive", "hardened": name one of them in reference.agent');
  });

  it('in one thread too: the reference is checked whatever the worker count', async () => {
    const runs = vi.fn();
    const check = checkScenario(scenario, {
      agent: scenario.agents?.naive,
      runs: 20,
      runsFixed: true,
      workers: 1,
      reference: { scenario: 'test/fixtures/workers/rareFailure.ts', agent: 'hardend' },
      onRun: runs,
    });
    await expect(check).rejects.toThrow(/has no agent "hardend"\. Did you mean "hardened"\?/);
    expect(runs).not.toHaveBeenCalled();
  });

  it('by soakScenario, before its clock starts', async () => {
    const runs = vi.fn();
    const soak = soakScenario(scenario, {
      forMs: 60_000,
      agent: scenario.agents?.naive,
      workers: 2,
      reference: { scenario: 'test/fixtures/workers/rareFailur.ts', agent: 'naive' },
      onRun: runs,
    });
    await expect(soak).rejects.toThrow(
      /^\[faultline\] soakScenario's reference .* cannot be loaded[\s\S]*Did you mean "test\/fixtures\/workers\/rareFailure\.ts"\?/,
    );
    expect(runs).not.toHaveBeenCalled();
    expect(chunks).not.toHaveBeenCalled();
  });

  it('by `faultline run --workers 2`, with exit code 2 and the nearest file', async () => {
    const printed: string[] = [];
    const errors = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      printed.push(args.map(String).join(' '));
    });
    try {
      const code = await runCli(['node', 'faultline', 'run', 'test/fixtures/workers/rareFailur.ts', '--workers', '2', '--no-progress']);
      expect(code).toBe(2);
    } finally {
      errors.mockRestore();
    }
    expect(printed.join('\n')).toMatch(
      /^\[faultline\] There is no scenario "test\/fixtures\/workers\/rareFailur\.ts".*Did you mean "test\/fixtures\/workers\/rareFailure\.ts"\?/,
    );
    expect(chunks).not.toHaveBeenCalled();
  });
});
