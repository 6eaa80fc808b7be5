// Goal: a `reference` that worker threads could not use is refused before any run, in the calling
// thread, by checkScenario, soakScenario and `faultline run --workers`, with an error that says what
// is wrong, for which scenario, what to do, and the nearest valid name; not when the first case
// reaches a worker. So is one that names another agent (or scenario) than the check runs, which
// workers would otherwise run while shrinking ran the check's own, naming both agents.
// Method: checks and soaks of the rare-failure fixture on 2 workers with a file that does not
// exist, a module whose export is misnamed, one that throws when imported, an unknown built-in id,
// an unknown agent name, and with references to another agent or scenario; RunPool's `run` and the
// check's onRun are spied on to show that nothing ran.
import { afterAll, describe, expect, it, vi } from 'vitest';
import { type CheckOptions, checkScenario } from '../../harness/check/checkScenario.ts';
import { RunPool, type ScenarioReference } from '../../harness/check/runPool.ts';
import { soakScenario } from '../../harness/check/soakScenario.ts';
import { runCli } from '../../harness/cli/main.ts';
import { isFaultlineError, type Scenario } from '../../harness/index.ts';
import { scenario as twoBugs } from '../cli/fixtures/twoBugs.ts';
import { scenario } from '../fixtures/workers/rareFailure.ts';

const chunks = vi.spyOn(RunPool.prototype, 'run');
afterAll(() => {
  chunks.mockRestore();
});

/** The error checkScenario rejects with on 2 workers (the naive agent, unless `options` says otherwise), having made no run. */
async function rejected(reference: ScenarioReference, options: Partial<CheckOptions> = {}, of: Scenario = scenario as Scenario): Promise<Error> {
  const runs = vi.fn();
  const agent = scenario.agents?.naive as CheckOptions['agent'];
  const error = await checkScenario(of, { agent, runs: 20, runsFixed: true, workers: 2, reference, onRun: runs, ...options }).then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  expect(error, 'the check was not refused').toBeDefined();
  expect(isFaultlineError(error), String(error)).toBe(true);
  expect(runs).not.toHaveBeenCalled();
  expect(chunks).not.toHaveBeenCalled();
  expect(error?.message).not.toMatch(/\n\s+at /);
  return error as Error;
}

/** The error for a reference that cannot be loaded, with the common part of its message checked. */
async function refused(reference: ScenarioReference): Promise<Error> {
  const error = await rejected(reference);
  expect(error.message).toMatch(
    /^\[faultline\] checkScenario's reference \{ scenario: ".*" \} cannot be loaded, as each worker thread would load it \(scenario "workers: rare failure"\)\. Fix the reference/,
  );
  return error;
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

describe('a reference that names another agent or scenario than the check runs is refused before any run', () => {
  const file = 'test/fixtures/workers/rareFailure.ts';

  it('another agent by name, naming both', async () => {
    const error = await rejected({ scenario: file, agent: 'hardened' }, { agentLabel: 'naive' });
    expect(error.message).toBe(
      `[faultline] checkScenario was asked to run agent "naive", but its reference { scenario: "${file}", agent: "hardened" } names agent "hardened": ` +
        'worker threads would run agent "hardened" while this thread (shrinking, replays) runs agent "naive", and their results would not agree ' +
        '(scenario "workers: rare failure"). Name the same agent in both (agent: scenario.agents.naive with reference.agent "naive"), or leave reference out to run every case in this thread',
    );
  });

  it("the scenario's own agent, when the reference names no agent", async () => {
    const error = await rejected({ scenario: file });
    expect(error.message).toContain(
      `checkScenario was asked to run agent "naive", but its reference { scenario: "${file}" } names the scenario's own agent ("hardened")`,
    );
  });

  it("an agent that is not one of the scenario's agents", async () => {
    const error = await rejected({ scenario: file, agent: 'naive' }, { agent: async () => 'inline', agentLabel: 'inline' });
    expect(error.message).toContain(`checkScenario was asked to run an agent ("inline") that is not one of the scenario's agents, but its reference`);
    expect(error.message).toContain("Give the agent as one of the scenario's `agents` and name it in reference.agent");
  });

  it('another scenario', async () => {
    const error = await rejected({ scenario: file, agent: 'naive' }, { agent: twoBugs.agent as CheckOptions['agent'] }, twoBugs as Scenario);
    expect(error.message).toContain(
      `checkScenario was given scenario "two bugs", but its reference { scenario: "${file}", agent: "naive" } names scenario "workers: rare failure"`,
    );
  });

  it('by soakScenario too', async () => {
    const runs = vi.fn();
    const soak = soakScenario(scenario, {
      forMs: 60_000,
      agent: scenario.agents?.naive,
      workers: 2,
      reference: { scenario: file, agent: 'hardened' },
      onRun: runs,
    });
    await expect(soak).rejects.toThrow(/^\[faultline\] soakScenario was asked to run agent "naive", but its reference .* names agent "hardened"/);
    expect(runs).not.toHaveBeenCalled();
    expect(chunks).not.toHaveBeenCalled();
  });

  it('and a reference to the agent the check runs is accepted', async () => {
    const report = await checkScenario(scenario, {
      agent: scenario.agents?.hardened,
      runs: 5,
      runsFixed: true,
      workers: 1,
      reference: { scenario: file, agent: 'hardened' },
    });
    expect(report.ok, report.message).toBe(true);
  });
});
