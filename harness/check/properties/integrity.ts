// Properties about what the agent believes: no wrong fact from a `corrupt` fault reaches its output
// or its stores unflagged, and no single decision mixes model versions.
import type { RunResult } from '../../options.ts';
import { spansOf } from '../../sim/trace.ts';
import { marks, type Property, property, textOf } from './property.ts';

export interface SilentCorruptionOptions {
  /** Whether the output flags its doubt (default: it says unverified, uncertain, could not confirm…). */
  readonly flagged?: (value: unknown) => boolean;
}

const DOUBT =
  /\b(unverified|uncertain|unconfirmed|could not (?:be )?(?:verify|verified|confirm)|conflict(?:ing)?|discrepanc|low confidence|needs? review|flagged)\b/i;

/**
 * Whether `fact` appears in `text` as a whole token — so a corrupted "6" is not found inside "16" or
 * a version number — with numbers compared as numbers ("$53,075" states 53075).
 */
export function states(text: string, fact: string): boolean {
  const numeric = /^\$?-?[\d,]+(?:\.\d+)?$/.test(fact);
  const wanted = numeric ? fact.replace(/[$,]/g, '') : fact;
  const haystack = numeric ? text.replace(/(\d),(?=\d{3}\b)/g, '$1').replace(/\$(?=\d)/g, '') : text;
  const escaped = wanted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\w.])${escaped}(?![\\w]|\\.\\d)`).test(haystack);
}

/** Where a corrupted fact shows up: the output, or a store's final values. */
function reachedBy(r: RunResult, corrupted: string): string | undefined {
  if (states(textOf(r.value), corrupted)) return 'the output';
  for (const [name, snapshot] of Object.entries(r.stores)) {
    if (Object.values(snapshot).some((e) => states(textOf(e.value), corrupted))) return `store "${name}"`;
  }
  return undefined;
}

export function noSilentCorruption(options: SilentCorruptionOptions = {}): Property {
  const flagged = options.flagged ?? ((v) => DOUBT.test(textOf(v)) || (typeof v === 'object' && v !== null && (v as { flagged?: unknown }).flagged === true));
  return property('noSilentCorruption', 'No corrupted fact reached the output or a store unflagged.', (r) => {
    for (const taint of marks(r, 'taint')) {
      const corrupted = String(taint.data?.corrupted ?? '');
      if (corrupted === '') continue;
      const where = reachedBy(r, corrupted);
      if (where === undefined) continue;
      if (where === 'the output' && flagged(r.value)) continue;
      return {
        message:
          `A wrong ${String(taint.data?.fact)} from fault ${String(taint.data?.rule)} (${String(taint.data?.original)} became ${corrupted}, ` +
          `in ${String(taint.data?.where ?? taint.data?.target)} at t=${taint.t}ms) reached ${where} unflagged.`,
        ...(taint.span === undefined ? {} : { spans: [taint.span] }),
      };
    }
    return undefined;
  });
}

/** One run's answer never combines answers from different versions of the same model. */
export function noMixedVersions(): Property {
  return property('noMixedVersions', 'Every model answered from one version throughout the decision.', (r) => {
    if (r.outcome !== 'ok') return undefined;
    const byModel = new Map<string, Map<string, number>>();
    for (const s of spansOf(r.trace)) {
      if (s.kind !== 'llm' || s.outcome !== 'ok' || typeof s.data.version !== 'string') continue;
      const model = String(s.data.model);
      const versions = byModel.get(model) ?? new Map<string, number>();
      if (!versions.has(s.data.version)) versions.set(s.data.version, s.span);
      byModel.set(model, versions);
    }
    for (const [model, versions] of byModel) {
      if (versions.size < 2) continue;
      return {
        message: `The answer combined ${versions.size} versions of "${model}" (${[...versions.keys()].join(', ')}) in one decision.`,
        spans: [...versions.values()],
      };
    }
    return undefined;
  });
}
