// Goal: a failure whose reruns all hit the wall-clock limit (agent code that never yields) is shrunk
// within a bounded number of reruns, not one per shrink candidate: the check reports the first
// failure it found as before (outcome `timeout`), shrunk only as far as timeoutShrinkMs allows, and
// its message and report say the shrink was cut short and why, instead of calling the plan minimal.
// The cut is counted, not timed: the replay of its seed and path reaches the same case again.
// Method: an agent that calls two tools (so the fault space has rules to shrink) and then loops
// forever, with a 200 ms wall-clock limit and timeoutShrinkMs allowing 2 such reruns to the shrink
// and 2 to the minimisation; the agent counts its runs. No assertion on time: the run counts bound it.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkScenario } from '../../harness/check/checkScenario.ts';
import { defineScenario, defineTool, gracefulDegradation, type World } from '../../harness/index.ts';
import { checkReportInput } from '../../reports/checkReportInput.ts';

const wallClockMs = 200;
// Two reruns per phase: timeoutShrinkMs / (2 × (wallClockMs + the watchdog's 1 s grace)).
const timeoutShrinkMs = 2 * 2 * (wallClockMs + 1_000);
const tool = (name: string) => defineTool({ name, description: `The ${name} tool`, input: z.object({}), handler: () => ({ ok: true }) });
let started = 0;

const scenario = defineScenario({
  name: 'never yields, after two tool calls',
  world: { tools: [tool('lookup'), tool('save')], limits: { wallClockMs } },
  faults: [
    { target: 'tool:lookup', kind: 'error' },
    { target: 'tool:save', kind: 'error' },
    { target: 'tool:lookup', kind: 'latency', params: { latency: { kind: 'fixed', ms: 50 } } },
    { target: 'tool:save', kind: 'latency', params: { latency: { kind: 'fixed', ms: 50 } } },
  ],
  agent: async (world: World) => {
    started++;
    await world.tools.call('lookup', {}).catch(() => undefined);
    await world.tools.call('save', {}).catch(() => undefined);
    for (;;) {}
  },
  properties: [gracefulDegradation()],
});

describe('shrinking a failure whose every rerun hits the wall-clock limit', () => {
  it('stops after the reruns timeoutShrinkMs allows, says so, and replays to the same case', async () => {
    started = 0;
    const report = await checkScenario(scenario, { runs: 5, runsFixed: true, seed: 7, timeoutShrinkMs });
    expect(report.ok).toBe(false);
    expect(report.firstFailureAt).toBe(1);
    expect(report.counterexample?.result.outcome).toBe('timeout');
    expect(report.counterexample?.result.limit).toBe('wallClock');
    // The failing run and one more in the shrink (2 in all), then 2 in the minimisation: every run hung.
    expect(started).toBe(4);
    const steps = report.shrinkSteps;
    expect(report.shrinkCut).toEqual({
      reason: 'hangs',
      steps,
      message:
        `shrink stopped after ${steps} step${steps === 1 ? '' : 's'}: each rerun of this failure waits out the wall-clock limit (limits.wallClockMs = 200, ` +
        `plus up to 1 s for the watchdog), and timeoutShrinkMs = ${timeoutShrinkMs} allows 2 such reruns to the shrink and 2 to the minimisation; ` +
        'the case shown fails but is not minimal',
    });
    expect(report.message).toContain(`(shrink cut short in ${steps} steps)`);
    expect(report.message).toContain(`  Not minimal: ${report.shrinkCut?.message}.`);
    expect(report.message).not.toContain('Minimal fault plan');
    expect(report.message).toMatch(/ {2}Fault plan \(\d rules?\):/);
    expect(checkReportInput({ scenario: { name: scenario.name }, check: report }).runs?.shrinkCut).toBe(report.shrinkCut?.message);

    // The replay of its seed and path reaches the same case, minimised within the same budget.
    started = 0;
    const replayed = await checkScenario(scenario, { runs: 5, runsFixed: true, seed: report.seed, path: report.path, timeoutShrinkMs });
    expect(started).toBe(3);
    expect(replayed.counterexample?.case).toEqual(report.counterexample?.case);
    expect(replayed.counterexample?.failed).toEqual(report.counterexample?.failed);
  }, 120_000);

  it('shrinks in full when no rerun hangs: a quick failure is not cut', async () => {
    const quick = defineScenario({
      ...scenario,
      name: 'gives up on a failed lookup',
      agent: async (world: World) => world.tools.call('lookup', {}).then(() => 'found'),
    });
    const report = await checkScenario(quick, { runs: 20, runsFixed: true, seed: 7, timeoutShrinkMs: 1 });
    expect(report.ok).toBe(false);
    expect(report.shrinkCut).toBeUndefined();
    expect(report.message).toContain('Minimal fault plan (1 rule)');
  });
});
