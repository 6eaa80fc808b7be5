// "Did you mean …?": the nearest valid name to one a user got wrong, for every error that rejects a
// name (fields, fault kinds, targets, properties, agents, stores). Names are compared as people
// misremember them: case, `_`/`-` separators and a `kind:` prefix matter less than letters, so
// `lookupOrder` finds `lookup_order` and `tool:lookupOrder` finds `tool:lookup_order`. Distances
// are leven's Levenshtein distance (a well-kept package) over those normalised forms.
import leven from 'leven';

function normal(name: string): string {
  return name.toLowerCase().replace(/[-_\s]/g, '');
}

/**
 * The candidate nearest to `name`, or undefined when none is close: within a third of the longer
 * name's length (at least 1 edit, at most 4), measured after normalising case and separators.
 */
export function nearest(name: string, candidates: Iterable<string>): string | undefined {
  const wanted = normal(name);
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    if (candidate === name) continue;
    const other = normal(candidate);
    const limit = Math.min(4, Math.max(1, Math.floor(Math.max(wanted.length, other.length) / 3)));
    const distance = other === wanted ? 0 : leven(wanted, other, { maxDistance: limit + 1 });
    if (distance <= limit && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** `; did you mean "x"?` for the nearest candidate, or '' when none is close. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const found = nearest(name, candidates);
  return found === undefined ? '' : `; did you mean "${found}"?`;
}
