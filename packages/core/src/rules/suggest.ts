/**
 * "Did you mean ...?" for unknown fact names and operators.
 *
 * @module
 */

/** Levenshtein distance between `a` and `b` (case-insensitive). */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      row[j] = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + cost,
      );
    }
    prev = row;
  }
  return prev[y.length] as number;
}

/**
 * The candidate closest to `name`, if it is close enough to be a likely typo
 * (or if `name` is a suffix of exactly one candidate, e.g. `tags` → none, `hasKit` → `lines.hasKit`).
 */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  const suffix = candidates.filter((c) => c.endsWith(`.${name}`));
  if (suffix.length === 1) return suffix[0];
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3));
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestDistance || (d === bestDistance && best === undefined)) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}
