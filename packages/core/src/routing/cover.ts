/** What an accepted cover check says about a candidate location set. */
export type CoverVerdict = 'yes' | 'no' | 'unknown';

/** The outcome of {@link deepenCover}. */
export interface CoverResult {
  /** No location set smaller than this covers the target (proven). */
  lowerBound: number;
  /** The first accepted set of size `lowerBound`, if one was found. */
  found?: number[];
  nodes: number;
}

/**
 * Iterative deepening over set sizes `from..to`: for each size m, searches every set of m
 * locations whose summed stock covers `target` per SKU (a relaxation of routing: kits and
 * location-wise limits ignored), asking `accept` about each. When no set of size m is accepted
 * and every check was conclusive, no plan with m shipments exists, and the bound rises to
 * m + 1. Stops at the first accepted set, at `to`, or when `budget` nodes are spent.
 *
 * Branching: take the SKU with a deficit that the fewest remaining locations stock; some
 * location holding it must be in the set; branch on each (largest stock first), excluding
 * the ones tried before. Bound: each SKU's deficit must fit in the largest stocks of the
 * slots left.
 */
export function deepenCover(
  target: readonly number[],
  stocks: readonly (readonly number[])[],
  from: number,
  to: number,
  accept: (set: number[]) => CoverVerdict,
  budget: number,
): CoverResult {
  const K = target.length;
  const n = stocks.length;
  const bySku = target.map((_, k) =>
    stocks
      .map((_, l) => l)
      .filter((l) => (stocks[l]?.[k] ?? 0) > 0)
      .sort((a, b) => (stocks[b]?.[k] ?? 0) - (stocks[a]?.[k] ?? 0)),
  );
  const out = new Array<boolean>(n).fill(false);
  /** Per SKU: locations stocking it that are still allowed. Per location: the SKUs it stocks. */
  const allowed = bySku.map((ls) => ls.length);
  const stocked = stocks.map((s) => s.flatMap((v, k) => (v > 0 ? [k] : [])));
  const setOut = (l: number, value: boolean) => {
    out[l] = value;
    for (const k of stocked[l] ?? []) allowed[k] = (allowed[k] ?? 0) + (value ? -1 : 1);
  };
  const chosen: number[] = [];
  const deficit = [...target];
  let nodes = 0;
  let exhausted = false;
  let conclusive = true;
  let found: number[] | undefined;

  const fits = (slots: number) => {
    for (let k = 0; k < K; k++) {
      const d = deficit[k] ?? 0;
      if (d <= 0) continue;
      let got = 0;
      let used = 0;
      for (const l of bySku[k] ?? []) {
        if (used === slots || got >= d) break;
        if (out[l]) continue;
        got += stocks[l]?.[k] ?? 0;
        used++;
      }
      if (got < d) return false;
    }
    return true;
  };
  const add = (l: number, sign: number) => {
    const s = stocks[l] ?? [];
    for (let k = 0; k < K; k++) deficit[k] = (deficit[k] ?? 0) - sign * (s[k] ?? 0);
  };

  const dfs = (m: number): boolean => {
    if (++nodes > budget) {
      exhausted = true;
      return false;
    }
    let pick = -1;
    let fewest = Number.POSITIVE_INFINITY;
    for (let k = 0; k < K; k++) {
      if ((deficit[k] ?? 0) <= 0) continue;
      const c = allowed[k] ?? 0;
      if (c < fewest) {
        fewest = c;
        pick = k;
      }
    }
    if (pick === -1) {
      const verdict = accept([...chosen].sort((a, b) => a - b));
      if (verdict === 'yes') {
        found = [...chosen].sort((a, b) => a - b);
        return true;
      }
      if (verdict === 'unknown') conclusive = false;
      return false;
    }
    const slots = m - chosen.length;
    if (slots <= 0 || !fits(slots)) return false;
    const banned: number[] = [];
    let done = false;
    for (const l of bySku[pick] ?? []) {
      if (out[l]) continue;
      setOut(l, true);
      chosen.push(l);
      add(l, 1);
      done = dfs(m);
      add(l, -1);
      chosen.pop();
      banned.push(l);
      if (done || exhausted) break;
    }
    for (const l of banned) setOut(l, false);
    return done;
  };

  let lowerBound = from;
  for (let m = from; m <= to; m++) {
    lowerBound = m;
    if (dfs(m)) return { lowerBound: m, found, nodes };
    if (exhausted || !conclusive) return { lowerBound: m, nodes };
    lowerBound = m + 1;
  }
  return { lowerBound, nodes };
}
