import type { Problem } from '@fulfil/core';

/**
 * The routing MIP over the useful candidate locations (rank order):
 *
 * - `y[l]` ∈ {0,1}: location l ships (one shipment);
 * - `x[b][l]` ∈ ℤ, 0..min(quantity, fillable): units of bundle b (a kit that ships whole, or a
 *   line needing several units of a SKU per unit) from l — every component from that location;
 * - `z[k][l]` ∈ ℤ, 0..min(free demand, stock): free units of SKU k from l (plain lines and the
 *   components of splittable kits are interchangeable per SKU, so they are aggregated and
 *   handed to lines afterwards).
 *
 * Rows: demand per bundle and per free SKU (≤), stock per (location, SKU) where the variables'
 * bounds could exceed it, linking `x ≤ ub·y` and `z ≤ ub·y` (disaggregated: a tight
 * relaxation), activity `y ≤ Σ x + Σ z` (a location counts only when it ships a unit, as in the
 * built-in router), and `Σ y ≤ maxShipments` when capped. Every coefficient is a small integer:
 * untracked stock (a million units) only ever appears as a row bound that is then dropped.
 */
export interface MipModel {
  n: number;
  numCols: number;
  lower: number[];
  upper: number[];
  rowLower: number[];
  rowUpper: number[];
  /** Rows as sparse lists of [col, value]. */
  rows: [number, number][][];
  /** Column of `y[l]` is l. Per allocation column: [kind, item-or-sku index, location]. */
  cols: { kind: 'y' | 'x' | 'z'; index: number; l: number }[];
}

/** Builds the model. `stocks[l][k]`: non-negative integer stock of SKU k at candidate l. */
export function buildModel(
  p: Problem,
  stocks: readonly (readonly number[])[],
  maxShipments: number,
): MipModel {
  const n = stocks.length;
  const cols: MipModel['cols'] = [];
  const lower: number[] = [];
  const upper: number[] = [];
  for (let l = 0; l < n; l++) {
    cols.push({ kind: 'y', index: -1, l });
    lower.push(0);
    upper.push(1);
  }
  const rows: [number, number][][] = [];
  const rowLower: number[] = [];
  const rowUpper: number[] = [];
  const addRow = (entries: [number, number][], lo: number, hi: number) => {
    rows.push(entries);
    rowLower.push(lo);
    rowUpper.push(hi);
  };
  const atLocation: number[][] = Array.from({ length: n }, () => []);
  /** Per (l, k): [col, units of k per unit of the column, column upper bound]. */
  const usesSku = new Map<string, [number, number, number][]>();
  const use = (l: number, k: number, col: number, per: number, ub: number) => {
    const key = `${l},${k}`;
    const list = usesSku.get(key) ?? [];
    list.push([col, per, ub]);
    usesSku.set(key, list);
  };
  const addCol = (kind: 'x' | 'z', index: number, l: number, ub: number) => {
    const c = cols.length;
    cols.push({ kind, index, l });
    lower.push(0);
    upper.push(ub);
    atLocation[l]?.push(c);
    addRow(
      [
        [c, 1],
        [l, -ub],
      ],
      Number.NEGATIVE_INFINITY,
      0,
    );
    return c;
  };

  for (const b of p.bundles) {
    const q = p.quantity[b] ?? 0;
    const demand: [number, number][] = [];
    for (let l = 0; l < n; l++) {
      let ub = q;
      for (const [k, per] of p.needs[b] ?? [])
        ub = Math.min(ub, Math.floor((stocks[l]?.[k] ?? 0) / per));
      if (ub <= 0) continue;
      const c = addCol('x', b, l, ub);
      demand.push([c, 1]);
      for (const [k, per] of p.needs[b] ?? []) use(l, k, c, per, ub);
    }
    if (demand.length > 0) addRow(demand, Number.NEGATIVE_INFINITY, q);
  }
  p.freeDemand.forEach((d, k) => {
    if (d <= 0) return;
    const demand: [number, number][] = [];
    for (let l = 0; l < n; l++) {
      const ub = Math.min(d, stocks[l]?.[k] ?? 0);
      if (ub <= 0) continue;
      const c = addCol('z', k, l, ub);
      demand.push([c, 1]);
      use(l, k, c, 1, ub);
    }
    if (demand.length > 0) addRow(demand, Number.NEGATIVE_INFINITY, d);
  });
  for (const [key, list] of usesSku) {
    const [l, k] = key.split(',').map(Number) as [number, number];
    const have = stocks[l]?.[k] ?? 0;
    const most = list.reduce((s, [, per, ub]) => s + per * ub, 0);
    if (most <= have) continue;
    addRow(
      list.map(([c, per]) => [c, per]),
      Number.NEGATIVE_INFINITY,
      have,
    );
  }
  for (let l = 0; l < n; l++) {
    const mine = atLocation[l] ?? [];
    // A location without a column can place nothing: fix y to 0 (never happens for useful ones).
    if (mine.length === 0) upper[l] = 0;
    else
      addRow([[l, 1], ...mine.map((c): [number, number] => [c, -1])], Number.NEGATIVE_INFINITY, 0);
  }
  if (maxShipments < n)
    addRow(
      Array.from({ length: n }, (_, l): [number, number] => [l, 1]),
      Number.NEGATIVE_INFINITY,
      maxShipments,
    );
  return { n, numCols: cols.length, lower, upper, rowLower, rowUpper, rows, cols };
}

/** The rows as a compressed sparse row matrix. */
export function toCsr(m: MipModel): { starts: number[]; indices: number[]; values: number[] } {
  const starts = [0];
  const indices: number[] = [];
  const values: number[] = [];
  for (const row of m.rows) {
    const sorted = [...row].sort((a, b) => a[0] - b[0]);
    for (const [c, v] of sorted) {
      indices.push(c);
      values.push(v);
    }
    starts.push(indices.length);
  }
  return { starts, indices, values };
}

/**
 * Knapsack cover rows, valid once every unit is known to be placed: per free SKU,
 * `Σ_l ub[k][l]·y[l] ≥ demand` and per bundle `Σ_l ub[b][l]·y[l] ≥ quantity`. Implied by the
 * model, but as explicit single rows over binaries they let HiGHS derive (lifted) cover cuts,
 * which is what bounds the number of shipments.
 */
export function coverRows(
  m: MipModel,
  p: Problem,
): { entries: [number, number][]; lower: number; upper: number }[] {
  const byDemand = new Map<string, [number, number][]>();
  m.cols.forEach((col, c) => {
    if (col.kind === 'y') return;
    const key = `${col.kind}${col.index}`;
    const list = byDemand.get(key) ?? [];
    list.push([col.l, m.upper[c] ?? 0]);
    byDemand.set(key, list);
  });
  const out: { entries: [number, number][]; lower: number; upper: number }[] = [];
  for (const [key, list] of byDemand) {
    const index = Number(key.slice(1));
    const need = key[0] === 'x' ? (p.quantity[index] ?? 0) : (p.freeDemand[index] ?? 0);
    const entries = list.map(([l, ub]): [number, number] => [l, Math.min(ub, need)]);
    out.push({ entries, lower: need, upper: Number.POSITIVE_INFINITY });
  }
  return out;
}
