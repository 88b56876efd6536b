import type { ObjectiveTerm, ScoringContext } from '@fulfil/core';
import type { Highs } from 'highs';
import { type MipModel, toCsr } from './model';

/** One lexicographic level: an integer objective over the columns. */
export interface Level {
  /** What the level decides, e.g. `placed+shipments`, `cost`, `tie-break 1`. */
  name: string;
  sense: 'min' | 'max';
  /** Objective coefficient per column (integers). */
  coef: number[];
}

/** How one level ended. */
export interface LevelResult {
  name: string;
  /** Objective value of the rounded incumbent. */
  value: number;
  /** The solver's proven bound on the level (equal to `value` when optimal). */
  bound: number;
  optimal: boolean;
  ms: number;
}

/** The outcome of the lexicographic solve. */
export interface MipResult {
  /** Rounded column values of the final incumbent; undefined when no solution was found in time. */
  values?: number[];
  levels: LevelResult[];
  /** Every level solved to proven optimality. */
  optimal: boolean;
  /** Relative gap of the level where the time ran out (0 when optimal). */
  gap: number;
  /** The level where the time ran out. */
  stoppedAt?: string;
  ms: number;
}

/** Locations per tie-break level: weights 2^0..2^11 stay far above HiGHS's tolerances. */
export const TIE_CHUNK = 12;
/**
 * Merge "units placed" with a first term that counts locations (weight n + 1 per unit) into one
 * level? Off: two levels let cover rows in after the first, and measured faster.
 */
const MERGE_FIRST: boolean = false;

/**
 * The levels of the built-in router's objective: units placed (merged with a first term that
 * counts locations only when `MERGE_FIRST`: weight n+1 on a unit outweighs every location), then
 * each term in order, then the rank tie-break in chunks of {@link TIE_CHUNK}
 * locations (lexicographically smallest sorted ranks = lexicographically largest `y` in rank
 * order, among plans with as many shipments). Levels whose coefficients are all 0 are dropped.
 */
export function levelsOf(
  m: MipModel,
  ids: readonly string[],
  ctx: ScoringContext,
  objective: readonly ObjectiveTerm[],
): Level[] {
  const n = m.n;
  const zero = () => new Array<number>(m.numCols).fill(0);
  const termCoef = (term: ObjectiveTerm): number[] => {
    const c = zero();
    ids.forEach((id, l) => {
      if (term === 'shipments') c[l] = 1;
      else if (term === 'preferred')
        c[l] = ctx.preferred.size > 0 && !ctx.preferred.has(id) ? 1 : 0;
      else if (term === 'cost') c[l] = ctx.cost.get(id) ?? 0;
      else c[l] = ctx.priority.get(id) ?? 0;
    });
    return c;
  };
  const placed = zero();
  m.cols.forEach((col, c) => {
    if (col.kind !== 'y') placed[c] = 1;
  });
  const levels: Level[] = [];
  let rest = [...objective];
  const first = rest[0];
  if (MERGE_FIRST && (first === 'shipments' || first === 'preferred')) {
    const t = termCoef(first);
    levels.push({
      name: `placed+${first}`,
      sense: 'max',
      coef: placed.map((v, c) => v * (n + 1) - (t[c] ?? 0)),
    });
    rest = rest.slice(1);
  } else levels.push({ name: 'placed', sense: 'max', coef: placed });
  for (const term of rest) {
    const coef = termCoef(term);
    if (coef.some((v) => v !== 0)) levels.push({ name: term, sense: 'min', coef });
  }
  for (let start = 0, i = 1; start < n; start += TIE_CHUNK, i++) {
    const coef = zero();
    for (let l = start; l < Math.min(n, start + TIE_CHUNK); l++)
      coef[l] = 2 ** (TIE_CHUNK - 1 - (l - start));
    levels.push({ name: `tie-break ${i}`, sense: 'max', coef });
  }
  return levels;
}

const OPTIMAL = 7;
const TIME_LIMIT = 13;

/**
 * Solves the levels in order on one persistent HiGHS model: after each level a row keeps its
 * value (integral objective: `≥ V − ½` / `≤ V + ½`), and the incumbent starts the next level.
 * Tie-break levels after the last location any plan with this many shipments could still
 * change are skipped (`sameCount`: the shipments are fixed by an earlier level). Runs until
 * `deadline` (performance.now() ms); the level that runs out keeps its incumbent and its gap.
 */
export function solveLevels(
  highs: Highs,
  m: MipModel,
  levels: readonly Level[],
  deadline: number,
  options: {
    seed: number;
    sameCount: boolean;
    start?: number[];
    /** Levels already proven elsewhere (their optimum by name): kept by a row, not solved. */
    proven?: ReadonlyMap<string, number>;
    /** Valid rows to add once the first level's value is known (e.g. cover rows). */
    after?: (first: number) => { entries: [number, number][]; lower: number; upper: number }[];
  },
): MipResult {
  const t0 = performance.now();
  const csr = toCsr(m);
  const model = highs.createModel();
  try {
    model.passModel({
      numCols: m.numCols,
      numRows: m.rows.length,
      colCost: new Array<number>(m.numCols).fill(0),
      colLower: m.lower,
      colUpper: m.upper,
      rowLower: m.rowLower.map((v) => (v === Number.NEGATIVE_INFINITY ? -highs.infinity : v)),
      rowUpper: m.rowUpper,
      matrix: { format: 'csr', numRows: m.rows.length, numCols: m.numCols, ...csr },
      integrality: new Array(m.numCols).fill(highs.constants.variableType.integer),
    });
    model.options.set({
      output_flag: false,
      random_seed: options.seed,
      mip_rel_gap: 0,
      mip_abs_gap: 1e-6,
      // Measured on 50 × 50 instances in WebAssembly: presolve and symmetry detection cost
      // more than the root solve they shorten (a 3–10× slower first level).
      presolve: 'off',
      mip_detect_symmetry: false,
      // Feasibility jump costs a fixed ~30–70 ms per run in WebAssembly, more than whole
      // solves of these models; the level-by-level warm start gives HiGHS its incumbent.
      mip_heuristic_run_feasibility_jump: false,
    });
    const results: LevelResult[] = [];
    /** Keeps a level at its optimum `value` (integral objective: ½ of slack is exact). */
    const keep = (level: Level, value: number, first: boolean): void => {
      const entries = level.coef.flatMap((v, c) => (v === 0 ? [] : [[c, v] as const]));
      model.addRow(
        level.sense === 'max' ? value - 0.5 : -highs.infinity,
        level.sense === 'max' ? highs.infinity : value + 0.5,
        { indices: entries.map((e) => e[0]), values: entries.map((e) => e[1]) },
      );
      if (first && options.after)
        for (const row of options.after(value))
          model.addRow(
            row.lower,
            row.upper === Number.POSITIVE_INFINITY ? highs.infinity : row.upper,
            {
              indices: row.entries.map((e) => e[0]),
              values: row.entries.map((e) => e[1]),
            },
          );
    };
    let values = options.start;
    for (const level of levels) {
      if (level.name.startsWith('tie-break') && values && options.sameCount) {
        const from = Number(level.name.slice(10)) - 1;
        const lastUsed = lastOne(values, m.n);
        if (lastUsed < from * TIE_CHUNK) break;
      }
      const known = options.proven?.get(level.name);
      const left = (deadline - performance.now()) / 1000;
      if (known === undefined && left <= 0.001) return stop(results, values, level.name, 1, t0);
      const ls = performance.now();
      if (known !== undefined) {
        results.push({ name: level.name, value: known, bound: known, optimal: true, ms: 0 });
        keep(level, known, results.length === 1);
        continue;
      }
      model.changeColsCost({ kind: 'range', from: 0, to: m.numCols - 1 }, level.coef);
      model.changeObjectiveSense(
        level.sense === 'max'
          ? highs.constants.objectiveSense.maximize
          : highs.constants.objectiveSense.minimize,
      );
      if (values) model.setSolution({ colValue: values });
      model.zeroAllClocks();
      model.options.set('time_limit', left);
      const status = model.run().modelStatus;
      const feasible = Number(model.info.get('primal_solution_status')) === 2;
      if (feasible) values = rounded(model.getSolution().colValue);
      if (!values) return stop(results, values, level.name, 1, t0);
      const value = dot(level.coef, values);
      const optimal = status === OPTIMAL;
      const bound = optimal ? value : Number(model.info.get('mip_dual_bound'));
      results.push({ name: level.name, value, bound, optimal, ms: performance.now() - ls });
      if (!optimal) {
        if (status !== TIME_LIMIT && !feasible)
          throw new Error(`HiGHS ended level ${level.name} with model status ${status}`);
        return stop(results, values, level.name, relGap(value, bound), t0);
      }
      keep(level, value, results.length === 1);
    }
    return { values, levels: results, optimal: true, gap: 0, ms: performance.now() - t0 };
  } finally {
    model.dispose();
  }
}

function stop(
  levels: LevelResult[],
  values: number[] | undefined,
  at: string,
  gap: number,
  t0: number,
): MipResult {
  const r: MipResult = { levels, optimal: false, gap, stoppedAt: at, ms: performance.now() - t0 };
  if (values) r.values = values;
  return r;
}

function rounded(v: ArrayLike<number>): number[] {
  return Array.from(v, (x) => Math.round(x));
}

function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] ?? 0) * (b[i] ?? 0);
  return s;
}

function lastOne(values: readonly number[], n: number): number {
  for (let l = n - 1; l >= 0; l--) if ((values[l] ?? 0) > 0) return l;
  return -1;
}

/** |value − bound| / max(1, |value|). */
function relGap(value: number, bound: number): number {
  if (!Number.isFinite(bound)) return 1;
  return Math.abs(value - bound) / Math.max(1, Math.abs(value));
}
