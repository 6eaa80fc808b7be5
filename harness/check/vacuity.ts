// Vacuity of a check: a property that held because what it judges was never there (no corrupt fact
// to follow, no store history, a store or tool it reads that no run produced) tested nothing, and a
// green must mean "tested". Per property, the runs in which it held vacuously; a property vacuous in
// every run, or one that names a subject no run produced, fails the check (or, when the user opts
// in with `vacuity: 'warn'`, is reported beside a pass), naming what it never saw and the nearest
// name the runs had.
import type { RunResult } from '../options.ts';
import { nearest } from '../sim/didYouMean.ts';
import { type Property, type PropertyVerdict, subjectsOf } from './properties/property.ts';

export interface PropertyVacuity {
  readonly property: string;
  /** Runs in which the property was judged. */
  readonly runs: number;
  /** Runs in which it held only vacuously. */
  readonly vacuous: number;
  /** What was missing, in the first vacuous run. */
  readonly reason?: string;
  /** Subjects the property requires that no run produced, with the nearest one the runs had. */
  readonly unseen: ReadonlyArray<{ readonly subject: string; readonly nearest?: string }>;
}

export interface CheckVacuity {
  readonly properties: readonly PropertyVacuity[];
  /** The properties that tested nothing: vacuous in every run, or reading a subject no run produced. */
  readonly failing: readonly string[];
}

interface Tally {
  runs: number;
  vacuous: number;
  reason?: string;
}

/** Sums, over a check's runs, how often each property held vacuously, and what the runs produced. */
export class VacuityTally {
  private readonly tallies = new Map<string, Tally>();
  private readonly seen = new Set<string>();

  constructor(private readonly properties: readonly Property[]) {
    for (const p of properties) this.tallies.set(p.name, { runs: 0, vacuous: 0 });
  }

  add(verdicts: readonly PropertyVerdict[], result: RunResult): void {
    this.addOutcome(verdicts, this.properties.some((p) => (p.requires?.length ?? 0) > 0) ? subjectsOf(result) : []);
  }

  /** Adds one run by its verdicts and what it produced (subjectsOf), as a worker thread reports it. */
  addOutcome(verdicts: readonly PropertyVerdict[], subjects: Iterable<string>): void {
    for (const v of verdicts) {
      const tally = this.tallies.get(v.property);
      if (tally === undefined) continue;
      tally.runs++;
      if (v.ok && v.vacuous !== undefined) {
        tally.vacuous++;
        tally.reason ??= v.vacuous;
      }
    }
    if (this.properties.some((p) => (p.requires?.length ?? 0) > 0)) for (const s of subjects) this.seen.add(s);
  }

  summary(): CheckVacuity {
    const properties = this.properties.map((p): PropertyVacuity => {
      const tally = this.tallies.get(p.name) as Tally;
      const unseen = (p.requires ?? [])
        .filter((s) => !this.seen.has(s) && !(s.startsWith('llm:') && this.seen.has(`model:${s.slice(4)}`)))
        .map((subject) => {
          const prefix = subject.slice(0, subject.indexOf(':') + 1);
          const close = nearest(
            subject,
            [...this.seen].filter((s) => s.startsWith(prefix)),
          );
          return close === undefined ? { subject } : { subject, nearest: close };
        });
      return { property: p.name, runs: tally.runs, vacuous: tally.vacuous, ...(tally.reason === undefined ? {} : { reason: tally.reason }), unseen };
    });
    const failing = properties.filter((p) => p.unseen.length > 0 || (p.runs > 0 && p.vacuous === p.runs)).map((p) => p.property);
    return { properties, failing };
  }
}

/** The lines that say which properties tested nothing, and why. */
export function vacuityLines(vacuity: CheckVacuity, indent = '  '): string[] {
  const lines: string[] = [];
  for (const p of vacuity.properties) {
    if (!vacuity.failing.includes(p.property)) continue;
    for (const u of p.unseen) {
      const [kind, name] = [u.subject.slice(0, u.subject.indexOf(':')), u.subject.slice(u.subject.indexOf(':') + 1)];
      lines.push(`${indent}${p.property} reads ${kind} "${name}", which no run produced${u.nearest === undefined ? '' : `; did you mean \`${u.nearest}\`?`}`);
    }
    if (p.unseen.length === 0) lines.push(`${indent}${p.property} held vacuously in all ${p.runs} runs: ${p.reason ?? 'it had nothing to judge'}.`);
  }
  return lines;
}

/** The message of a check whose properties all held but some tested nothing. */
export function formatVacuous(scenario: string, agent: string | undefined, vacuity: CheckVacuity, warnOnly: boolean): string {
  const who = agent === undefined ? '' : ` × ${agent}`;
  const n = vacuity.failing.length;
  return [
    `[faultline] Scenario "${scenario}"${who}: every property held, but ${n} propert${n === 1 ? 'y' : 'ies'} never had anything to judge${warnOnly ? ' (warning only: vacuity is "warn")' : ''}.`,
    '',
    ...vacuityLines(vacuity),
    '',
    '  Give the fault space a rule that produces what the property judges (a corrupt rule for noSilentCorruption, store',
    "  writes for the store checkers), fix the name it reads, or remove the property; `vacuity: 'warn'` reports this without failing.",
  ].join('\n');
}
