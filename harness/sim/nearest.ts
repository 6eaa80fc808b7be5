// "Did you mean …?": the nearest valid name to a wrong one, by edit distance, for error messages.

/** Levenshtein distance between `a` and `b` (case-insensitive). */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[y.length] ?? 0;
}

/** The valid name nearest to `wrong`, when one is near enough to be a likely typo. */
export function nearest(wrong: string, valid: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const name of valid) {
    const d = distance(wrong, name);
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

/** ` Did you mean "x"?` or '' — to append to a message about a wrong name. */
export function didYouMean(wrong: string, valid: readonly string[]): string {
  const name = nearest(wrong, valid);
  return name === undefined ? '' : ` Did you mean "${name}"?`;
}
