// `faultline report --merge dir…`: one index and one JUnit file from the outputs of n shards of one
// `faultline run` (each ran with --shard i/n). Before anything is written the shards' manifests must
// prove it was one check: the same shard count, every shard from 1 to n once, and for every
// scenario × agent the same seed, runs and expectation; otherwise the merge refuses (a merged green
// must mean every shard ran). Failures are deduplicated by their shrunk signature: the same bug
// found by two shards is one row. Per scenario × agent, an agent expected to fail held its
// expectation when any shard caught it; one expected to pass held it when every shard passed.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { junitXml } from '../../reports/exports/junit.ts';
import { indexHtml } from '../../reports/indexHtml.ts';
import { readReport } from '../../reports/jsonReport.ts';
import type { Report } from '../../reports/reportSchema.ts';
import { writeFileAtomic } from '../../reports/writeAtomic.ts';
import { signatureOf } from '../check/signature.ts';
import { FaultlineError } from '../sim/errors.ts';
import { type ManifestOutcome, type RunManifest, readManifest, writeManifest } from './runManifest.ts';

/** What one scenario × agent came to across the shards. */
export interface MergedOutcome {
  readonly scenario: string;
  readonly agent: string;
  readonly expected: 'pass' | 'fail';
  readonly held: boolean;
  /** Runs made across the shards. */
  readonly runs: number;
  /** The distinct failures, by signature, with the replay command of the first shard that found each. */
  readonly failures: ReadonlyArray<{ readonly signature: string; readonly shards: readonly number[]; readonly replay?: string }>;
}

export interface MergeResult {
  readonly outcomes: readonly MergedOutcome[];
  readonly index: string;
  readonly junit: string;
  readonly shards: number;
}

interface Shard {
  readonly dir: string;
  readonly manifest: RunManifest;
  readonly index: number;
  readonly count: number;
}

const key = (o: Pick<ManifestOutcome, 'scenario' | 'agent'>) => `${o.scenario} × ${o.agent}`;

function refuse(what: string, todo: string, details?: readonly string[]): FaultlineError {
  return new FaultlineError('INVALID_OPTIONS', { what, todo, ...(details === undefined ? {} : { details }) });
}

/** Reads every shard's manifest and refuses anything short of every shard of one check. */
async function readShards(dirs: readonly string[], out: string): Promise<Shard[]> {
  if (dirs.length === 0)
    throw refuse('report --merge was given no directories', 'Pass the --out directory of every shard: faultline report --merge shard-1 shard-2 …');
  for (const dir of dirs) {
    if (path.resolve(dir) === path.resolve(out)) {
      throw refuse(`The merge would write into ${dir}, one of the shard directories it reads`, 'Give --out a directory of its own, such as merged-reports');
    }
  }
  const shards: Shard[] = [];
  for (const dir of dirs) {
    const manifest = await readManifest(dir);
    if (manifest.mergedFrom !== undefined) {
      throw refuse(`${dir} is already a merge of ${manifest.mergedFrom} shards`, 'Merge the shard directories themselves, not a merged one');
    }
    shards.push({ dir, manifest, index: manifest.shard?.index ?? 1, count: manifest.shard?.count ?? 1 });
  }
  const first = shards[0] as Shard;
  const where = (s: Shard) => `${s.dir} (shard ${s.index}/${s.count})`;
  for (const s of shards) {
    if (s.count !== first.count) {
      throw refuse(
        `The shards disagree on how many shards there are: ${where(first)} and ${where(s)}`,
        'Merge the outputs of one sharded run, every job with the same --shard i/n count',
      );
    }
  }
  const byIndex = new Map<number, Shard>();
  for (const s of shards) {
    const twice = byIndex.get(s.index);
    if (twice !== undefined) throw refuse(`Shard ${s.index}/${s.count} was given twice: ${twice.dir} and ${s.dir}`, 'Pass each shard directory once');
    byIndex.set(s.index, s);
  }
  const missing = Array.from({ length: first.count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0) {
    throw refuse(
      `Shard${missing.length === 1 ? '' : 's'} ${missing.map((i) => `${i}/${first.count}`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing from the merge; it was given ${shards
        .map(where)
        .join(', ')}`,
      'A merged result must cover every shard: pass every shard directory (a shard job that failed to upload its output must run again)',
    );
  }
  checkSameCheck(shards);
  return [...shards].sort((a, b) => a.index - b.index);
}

/** Every shard must have run the same scenarios and agents, from the same seed, for the same runs. */
function checkSameCheck(shards: readonly Shard[]): void {
  const first = shards[0] as Shard;
  const expected = new Map(first.manifest.outcomes.map((o) => [key(o), o]));
  for (const s of shards) {
    if (s.manifest.seed !== first.manifest.seed) {
      throw refuse(
        `The shards disagree on the seed: ${first.dir} ran with ${first.manifest.seed ?? 'seeds from the scenario names'}, ${s.dir} with ${s.manifest.seed ?? 'seeds from the scenario names'}`,
        'Run every shard with the same --seed (or none)',
      );
    }
    const here = new Map(s.manifest.outcomes.map((o) => [key(o), o]));
    const absent = [...expected.keys()].filter((k) => !here.has(k));
    const extra = [...here.keys()].filter((k) => !expected.has(k));
    if (absent.length > 0 || extra.length > 0) {
      throw refuse(`The shards ran different checks: ${first.dir} and ${s.dir} differ`, 'Run every shard with the same scenarios and --agent', [
        ...absent.map((k) => `${k}: not in ${s.dir}`),
        ...extra.map((k) => `${k}: not in ${first.dir}`),
      ]);
    }
    for (const [k, o] of here) {
      const e = expected.get(k) as ManifestOutcome;
      const differs = [
        ...(o.seed === e.seed ? [] : [`seed ${e.seed} in ${first.dir}, ${o.seed} in ${s.dir}`]),
        ...(o.runs === e.runs ? [] : [`${e.runs} runs in ${first.dir}, ${o.runs} in ${s.dir}`]),
        ...(o.expected === e.expected ? [] : [`expected to ${e.expected} in ${first.dir}, to ${o.expected} in ${s.dir}`]),
      ];
      if (differs.length > 0) {
        throw refuse(
          `The shards disagree on ${k}`,
          'Run every shard with the same --seed, --runs and scenario files (and the same FAULTLINE_SEED/FAULTLINE_RUNS)',
          differs,
        );
      }
    }
  }
}

/** The report a shard's manifest names for an outcome. */
async function shardReport(s: Shard, o: ManifestOutcome): Promise<Report> {
  try {
    return await readReport(path.join(s.dir, o.report));
  } catch (error) {
    throw refuse(
      `The shard output in ${s.dir} is incomplete: the report of ${key(o)} (${o.report}) cannot be read`,
      'Run that shard again, or upload its whole --out directory',
      [(error as Error).message.replace(/^\[faultline\] /, '')],
    );
  }
}

/** Copies a report's files (JSON, HTML, traces) into `out` under `base`, each written atomically. */
async function copyReport(dir: string, json: string, out: string, base: string): Promise<string> {
  const from = json.replace(/\.json$/, '');
  for (const suffix of ['.json', '.html', '.trace.json', '.otlp.json']) {
    let text: string;
    try {
      text = await readFile(path.join(dir, `${from}${suffix}`), 'utf8');
    } catch (error) {
      if (suffix !== '.json' && (error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw refuse(
        `The shard output in ${dir} is incomplete: ${from}${suffix} cannot be read (${(error as Error).message})`,
        'Run that shard again, or upload its whole --out directory',
      );
    }
    await writeFileAtomic(path.join(out, `${base}${suffix}`), text);
  }
  return `${base}.html`;
}

/**
 * Merges the shard outputs in `dirs` into `out`: the shards' report files (one per distinct
 * failure, or one passing run), an index page, a JUnit file and a manifest of the merge.
 * @throws FaultlineError INVALID_OPTIONS when a directory holds no shard output, the shards
 *   disagree, or a shard is missing — before anything is written.
 */
export async function mergeShardReports(dirs: readonly string[], out: string): Promise<MergeResult> {
  const shards = await readShards(dirs, out);
  const first = shards[0] as Shard;
  const entries: Array<{ href: string; report: Report }> = [];
  const merged: MergedOutcome[] = [];
  const taken = new Set<string>();
  // Reports are read and checked before any file is written, so a refusal leaves `out` untouched.
  const loaded = new Map<string, Report>();
  for (const s of shards) {
    for (const o of s.manifest.outcomes) loaded.set(`${s.index}:${key(o)}`, await shardReport(s, o));
  }
  for (const { scenario, agent, expected } of first.manifest.outcomes) {
    const per = shards.map((s) => {
      const o = s.manifest.outcomes.find((x) => x.scenario === scenario && x.agent === agent) as ManifestOutcome;
      return { shard: s, outcome: o, report: loaded.get(`${s.index}:${key(o)}`) as Report };
    });
    const runs = per.reduce((n, p) => n + p.outcome.executed, 0);
    // Signatures come from the reports themselves, so a manifest cannot vouch for a failure it does not show.
    const failures = new Map<string, typeof per>();
    for (const p of per) {
      if (p.outcome.result !== 'failed') continue;
      const signature = signatureOf(p.report.scenario.name, p.report.agent, p.report.verdicts, p.report);
      failures.set(signature, [...(failures.get(signature) ?? []), p]);
    }
    const caught = failures.size > 0;
    const held = expected === 'fail' ? caught : per.every((p) => p.outcome.held);
    merged.push({
      scenario,
      agent,
      expected,
      held,
      runs,
      failures: [...failures].map(([signature, found]) => ({
        signature,
        shards: found.map((p) => p.shard.index),
        ...((found[0]?.outcome.replay ?? undefined) === undefined ? {} : { replay: found[0]?.outcome.replay as string }),
      })),
    });
    // What to show: each distinct failure once (as the first shard that found it reported it), or
    // for a check that no shard failed, the first shard's report.
    const shown = caught
      ? [...failures.values()].map((found) => ({ p: found[0] as (typeof per)[number], found: found.length }))
      : [{ p: per[0] as (typeof per)[number], found: 0 }];
    for (const { p, found } of shown) {
      const wanted = p.outcome.report.replace(/\.json$/, '');
      let base = wanted;
      for (let n = 2; taken.has(base); n++) base = `${wanted}-${n}`;
      taken.add(base);
      const href = await copyReport(p.shard.dir, p.outcome.report, out, base);
      // The index counts the runs of every shard; the copied files keep what their shard saw.
      entries.push({ href, report: { ...p.report, runs: { ...(p.report.runs ?? { total: 0, failed: 0 }), total: runs, failed: found } } });
    }
  }
  const index = path.join(out, 'index.html');
  const junit = path.join(out, 'junit.xml');
  await writeFileAtomic(index, indexHtml(entries, `Faultline run, merged from ${shards.length} shard${shards.length === 1 ? '' : 's'}`));
  await writeFileAtomic(junit, junitXml(entries.map((e) => e.report)));
  await writeManifest(out, {
    schema: 'faultline.run/v1',
    mergedFrom: shards.length,
    ...(first.manifest.seed === undefined ? {} : { seed: first.manifest.seed }),
    ...(first.manifest.runs === undefined ? {} : { runs: first.manifest.runs }),
    scenarios: first.manifest.scenarios,
    agents: first.manifest.agents,
    outcomes: first.manifest.outcomes.map((o) => {
      const m = merged.find((x) => x.scenario === o.scenario && x.agent === o.agent) as MergedOutcome;
      const signature = m.failures[0]?.signature;
      const replay = m.failures[0]?.replay;
      const { replay: _shardReplay, signature: _shardSignature, ...rest } = o;
      return {
        ...rest,
        ...(replay === undefined ? {} : { replay }),
        executed: m.runs,
        result:
          m.failures.length > 0
            ? ('failed' as const)
            : shards.some((s) => s.manifest.outcomes.some((x) => key(x) === key(o) && x.result === 'untested'))
              ? ('untested' as const)
              : ('passed' as const),
        held: m.held,
        ...(signature === undefined ? {} : { signature }),
        report: entries.find((e) => e.report.scenario.name === o.scenario && e.report.agent === o.agent)?.href.replace(/\.html$/, '.json') ?? o.report,
      };
    }),
  });
  return { outcomes: merged, index, junit, shards: shards.length };
}
