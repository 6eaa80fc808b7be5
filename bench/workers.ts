// Worker threads: runs/s of a whole check (checkScenario) with 1 worker (the calling thread) and
// with N (os.availableParallelism()), for the 10-step fetch+sleep agent and a built-in scenario's
// passing agent. Two rates per row: end to end (the pool's start-up, every worker loading the
// harness and the scenario, and its shutdown included) and steady (from the first run reported to
// the last). Ratios are against the 1-worker row of the same run. Measures; asserts nothing.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ScenarioReference } from '../harness/check/runPool.ts';
import { resolveScenario } from '../harness/cli/scenarios.ts';
import { checkScenario, type Scenario } from '../harness/index.ts';
import { wallClockMs } from '../harness/sim/runGlobals.ts';
import { formatNumber, table } from './measure.ts';

interface Subject {
  readonly name: string;
  readonly scenario: Scenario<never, unknown>;
  readonly agent: string | undefined;
  readonly reference: ScenarioReference;
  readonly runs: number;
}

async function subject(name: string, ref: string, agent: string | undefined, runs: number): Promise<Subject> {
  const { scenario } = await resolveScenario(ref);
  return { name, scenario: scenario as Scenario<never, unknown>, agent, reference: { scenario: ref, ...(agent === undefined ? {} : { agent }) }, runs };
}

async function measureCheck(s: Subject, workers: number): Promise<{ endToEnd: number; steady: number; ok: boolean }> {
  let first: { at: number; run: number } | undefined;
  let last = 0;
  const agent =
    s.agent === undefined
      ? s.scenario.agent
      : ((s.scenario as { agents?: Record<string, Scenario<never, unknown>['agent']> }).agents?.[s.agent] ?? s.scenario.agent);
  const start = wallClockMs();
  const report = await checkScenario(s.scenario, {
    agent,
    runs: s.runs,
    runsFixed: true,
    workers,
    reference: s.reference,
    onRun: (run) => {
      const now = wallClockMs();
      first ??= { at: now, run };
      last = now;
    },
  });
  const ms = wallClockMs() - start;
  const f = first ?? { at: start, run: 0 };
  return { endToEnd: (report.runs / ms) * 1000, steady: ((report.runs - f.run) / Math.max(1, last - f.at)) * 1000, ok: report.ok };
}

export async function workersBench(): Promise<string> {
  const n = Math.max(2, os.availableParallelism());
  const subjects = [
    await subject('10-step fetch+sleep agent', 'bench/workersScenario.ts', undefined, 6_000),
    await subject('built-in 12-race-conditions × hardened', '12-race-conditions', 'hardened', 1_500),
  ];
  const sections: string[] = [];
  for (const s of subjects) {
    const rows: string[][] = [];
    let base: { endToEnd: number; steady: number } | undefined;
    for (const workers of [1, n]) {
      const m = await measureCheck(s, workers);
      base ??= m;
      rows.push([
        String(workers),
        formatNumber(m.endToEnd),
        `${formatNumber(m.endToEnd / base.endToEnd)}×`,
        formatNumber(m.steady),
        `${formatNumber(m.steady / base.steady)}×`,
        m.ok ? 'passed' : 'FAILED',
      ]);
    }
    sections.push(
      `#### ${s.name}, ${s.runs.toLocaleString('en-US')} runs\n\n${table(['workers', 'runs/s end to end', 'vs 1', 'runs/s steady', 'vs 1', 'check'], rows)}`,
    );
  }
  sections.push(await builtinsSection(n));
  return `### Worker threads: one check's runs on 1 and ${n} workers\n\n${sections.join('\n\n')}`;
}

/**
 * `npm start` (the built package's CLI running every built-in scenario against its sample agents,
 * writing reports) with 1 and n workers: wall time of the whole process, start-up included.
 */
async function builtinsSection(n: number): Promise<string> {
  execFileSync('npm', ['run', 'build'], { stdio: 'ignore' });
  const rows: string[][] = [];
  let base: number | undefined;
  for (const workers of [1, n]) {
    const out = mkdtempSync(path.join(os.tmpdir(), 'faultline-bench-builtins-'));
    const start = wallClockMs();
    const run = spawnSync(process.execPath, ['bin/faultline.js', 'run', '--workers', String(workers), '--out', out], { encoding: 'utf8', timeout: 900_000 });
    const ms = wallClockMs() - start;
    rmSync(out, { recursive: true, force: true });
    base ??= ms;
    const summary =
      run.stdout
        .trim()
        .split('\n')
        .find((line) => /expectations held/.test(line)) ?? `exit ${run.status}`;
    rows.push([String(workers), formatNumber(ms / 1000), `${formatNumber(base / ms)}×`, summary]);
  }
  return `#### \`npm start\`: the built-in scenarios × their sample agents, from the built package\n\n${table(['workers', 'wall s', 'speed-up vs 1', 'result'], rows)}`;
}
