import type { DemandItem } from './demand';

/**
 * Demand compiled for fast allocation: SKUs numbered, each item's needs as `[sku, perUnit]`.
 * A *free* item needs one unit of one SKU per unit (plain lines, components of splittable
 * kits): its units are interchangeable with other free units of that SKU. Every other item
 * (a kit that ships whole, or a line needing several units of a SKU per unit) is a *bundle*.
 */
export interface Problem {
  items: readonly DemandItem[];
  skus: string[];
  needs: [sku: number, per: number][][];
  quantity: number[];
  /** Sku index for free items, -1 for bundles. */
  freeSku: number[];
  bundles: number[];
  /** Free units wanted per SKU. */
  freeDemand: number[];
  /** Units of each SKU the whole order needs (bundles included). */
  needBySku: number[];
  total: number;
}

/** An allocation of units to the locations of one subset. */
export interface Assignment {
  placed: number;
  /** `alloc[item][j]`: units of item from the j-th location of the subset. */
  alloc: number[][];
  /** False when the search stopped on its node budget (the result is feasible, maybe not maximal). */
  exact: boolean;
  nodes: number;
}

/** Compiles demand items once per request. */
export function compileProblem(items: readonly DemandItem[]): Problem {
  const index = new Map<string, number>();
  const skus: string[] = [];
  const id = (sku: string) => {
    let k = index.get(sku);
    if (k === undefined) {
      k = skus.length;
      index.set(sku, k);
      skus.push(sku);
    }
    return k;
  };
  const needs = items.map((it) =>
    Object.keys(it.needs).map((sku): [number, number] => [id(sku), it.needs[sku] ?? 1]),
  );
  const quantity = items.map((it) => it.quantity);
  const freeSku = needs.map((n) => (n.length === 1 && n[0]?.[1] === 1 ? (n[0]?.[0] ?? -1) : -1));
  const bundles = freeSku.flatMap((k, i) => (k === -1 ? [i] : []));
  const freeDemand = skus.map(() => 0);
  const needBySku = skus.map(() => 0);
  items.forEach((_, i) => {
    const k = freeSku[i] ?? -1;
    if (k >= 0) freeDemand[k] = (freeDemand[k] ?? 0) + (quantity[i] ?? 0);
    for (const [s, per] of needs[i] ?? [])
      needBySku[s] = (needBySku[s] ?? 0) + per * (quantity[i] ?? 0);
  });
  const total = quantity.reduce((a, b) => a + b, 0);
  return { items, skus, needs, quantity, freeSku, bundles, freeDemand, needBySku, total };
}

/** A location's stock as a vector over the problem's SKUs; negative or missing counts read as 0. */
export function stockVector(
  p: Problem,
  stock: Readonly<Record<string, number>> | undefined,
): number[] {
  return p.skus.map((sku) => {
    const v = stock?.[sku];
    return typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.floor(v) : 0;
  });
}

/** Units of item `i` that `stock` can fill (ignoring other items). */
export function fillableUnits(
  p: Problem,
  i: number,
  stock: readonly number[],
  cap: number,
): number {
  let units = cap;
  for (const [k, per] of p.needs[i] ?? [])
    units = Math.min(units, Math.floor((stock[k] ?? 0) / per));
  return units;
}

/**
 * An upper bound on the units a subset can place: each bundle alone with the subset's whole
 * stock, plus free units per SKU; and at least one unit short when some SKU's total stock in
 * the subset is below the order's need for it.
 */
export function placementBound(p: Problem, stocks: readonly (readonly number[])[]): number {
  const sum = p.skus.map((_, k) => stocks.reduce((n, s) => n + (s[k] ?? 0), 0));
  let ub = 0;
  for (const b of p.bundles) {
    let units = 0;
    for (const s of stocks) units += fillableUnits(p, b, s, p.quantity[b] ?? 0);
    ub += Math.min(p.quantity[b] ?? 0, units);
  }
  p.freeDemand.forEach((d, k) => {
    ub += Math.min(d, sum[k] ?? 0);
  });
  const short = p.needBySku.some((need, k) => need > (sum[k] ?? 0));
  return short ? Math.min(ub, p.total - 1) : Math.min(ub, p.total);
}

/**
 * The most units `stocks` (the locations of one subset, in rank order) can place, with an
 * allocation reaching it. Bundles are searched exhaustively (largest takes first, pruned by
 * {@link placementBound}-style bounds); free units are then filled per SKU in closed form,
 * which is exact because they are interchangeable. Stops early at `target` (a known upper
 * bound) and after `budget` nodes (then `exact` is false).
 */
export function solveAssignment(
  p: Problem,
  stocks: readonly (readonly number[])[],
  options: { target?: number; budget?: number } = {},
): Assignment {
  const L = stocks.length;
  const res = stocks.map((s) => [...s]);
  const B = p.bundles.length;
  const take: number[][] = p.bundles.map(() => new Array<number>(L).fill(0));
  const target = options.target ?? p.total;
  const budget = options.budget ?? Number.POSITIVE_INFINITY;
  let best = -1;
  let bestTake: number[][] = take.map((r) => [...r]);
  let bestRes: number[][] = res.map((r) => [...r]);
  let nodes = 0;
  let aborted = false;

  const freeBound = () => {
    let n = 0;
    p.freeDemand.forEach((d, k) => {
      if (d === 0) return;
      let have = 0;
      for (const r of res) have += r[k] ?? 0;
      n += Math.min(d, have);
    });
    return n;
  };
  const ubs = new Array<number>(B).fill(0);
  /** Per SKU some bundle needs: [bundle position, per-unit need] of every bundle needing it. */
  const users = new Map<number, [number, number][]>();
  p.bundles.forEach((i, x) => {
    for (const [k, q] of p.needs[i] ?? []) {
      const list = users.get(k) ?? [];
      list.push([x, q]);
      users.set(k, list);
    }
  });
  const totals = new Array<number>(p.skus.length).fill(0);
  /**
   * Bound on the units bundles `bi..` and free items can still place: each alone with the
   * residual stock, tightened per SKU k: the items needing k together place at most
   * residual(k) / (smallest per-unit need of k among them).
   */
  const remainingBound = (bi: number, from: number, remaining: number) => {
    let base = 0;
    for (let x = bi; x < B; x++) {
      const i = p.bundles[x] ?? 0;
      const cap = x === bi ? remaining : (p.quantity[i] ?? 0);
      let units = 0;
      for (let l = x === bi ? from : 0; l < L && units < cap; l++)
        units += fillableUnits(p, i, res[l] ?? [], cap);
      ubs[x] = Math.min(cap, units);
      base += ubs[x] ?? 0;
    }
    for (let k = 0; k < p.skus.length; k++) {
      let have = 0;
      for (const r of res) have += r[k] ?? 0;
      totals[k] = have;
      base += Math.min(p.freeDemand[k] ?? 0, have);
    }
    let ub = base;
    for (const [k, list] of users) {
      const have = totals[k] ?? 0;
      let units = Math.min(p.freeDemand[k] ?? 0, have);
      let per = (p.freeDemand[k] ?? 0) > 0 ? 1 : Number.POSITIVE_INFINITY;
      for (const [x, q] of list) {
        if (x < bi || (ubs[x] ?? 0) === 0) continue;
        units += ubs[x] ?? 0;
        per = Math.min(per, q);
      }
      const cap = Math.floor(have / per);
      if (units > cap) ub = Math.min(ub, base - units + cap);
    }
    return ub;
  };
  const apply = (i: number, l: number, units: number) => {
    const r = res[l] ?? [];
    for (const [k, per] of p.needs[i] ?? []) r[k] = (r[k] ?? 0) - units * per;
  };

  const dfs = (bi: number, li: number, remaining: number, placed: number): void => {
    if (aborted || best >= target) return;
    if (++nodes > budget && best >= 0) {
      aborted = true;
      return;
    }
    if (bi === B) {
      const total = placed + freeBound();
      if (total > best) {
        best = total;
        bestTake = take.map((r) => [...r]);
        bestRes = res.map((r) => [...r]);
      }
      return;
    }
    if (placed + remainingBound(bi, li, remaining) <= best) return;
    const i = p.bundles[bi] ?? 0;
    if (remaining === 0 || li === L) {
      dfs(bi + 1, 0, p.quantity[p.bundles[bi + 1] ?? 0] ?? 0, placed);
      return;
    }
    const row = take[bi] ?? [];
    for (let t = Math.min(remaining, fillableUnits(p, i, res[li] ?? [], remaining)); t >= 0; t--) {
      apply(i, li, t);
      row[li] = t;
      dfs(bi, li + 1, remaining - t, placed + t);
      apply(i, li, -t);
      row[li] = 0;
      if (aborted || best >= target) break;
    }
  };
  dfs(0, 0, p.quantity[p.bundles[0] ?? 0] ?? 0, 0);

  const alloc = p.items.map(() => new Array<number>(L).fill(0));
  p.bundles.forEach((i, bi) => {
    alloc[i] = [...(bestTake[bi] ?? [])];
  });
  const left = [...p.quantity];
  for (let k = 0; k < p.skus.length; k++) {
    if ((p.freeDemand[k] ?? 0) === 0) continue;
    for (let l = 0; l < L; l++) {
      let have = bestRes[l]?.[k] ?? 0;
      for (let i = 0; i < p.items.length && have > 0; i++) {
        if (p.freeSku[i] !== k || (left[i] ?? 0) === 0) continue;
        const t = Math.min(have, left[i] ?? 0);
        (alloc[i] as number[])[l] = t;
        left[i] = (left[i] ?? 0) - t;
        have -= t;
      }
    }
  }
  for (const b of p.bundles) left[b] = (p.quantity[b] ?? 0) - sumRow(alloc[b] ?? []);
  const placed = p.total - left.reduce((a, b) => a + b, 0);
  return { placed, alloc, exact: !aborted, nodes };
}

function sumRow(row: readonly number[]): number {
  let n = 0;
  for (const v of row) n += v;
  return n;
}
