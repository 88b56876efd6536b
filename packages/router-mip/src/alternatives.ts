import {
  type ObjectiveTerm,
  type PlanAlternative,
  type PlanScore,
  type Problem,
  type ScoringContext,
  whyLost,
} from '@fulfil/core';
import type { Highs } from 'highs';
import type { MipModel } from './model';
import { allocationOf, scoreOf } from './plan';
import { type Level, solveLevels } from './solve';

/** What {@link runnersUp} needs. */
export interface RunnersUpInput {
  model: MipModel;
  levels: readonly Level[];
  /** Candidates the best plan uses. */
  used: readonly number[];
  best: PlanScore;
  ctx: ScoringContext;
  ids: readonly string[];
  p: Problem;
  stocks: readonly (readonly number[])[];
  objective: readonly ObjectiveTerm[];
  count: number;
  deadline: number;
  seed: number;
}

/**
 * Runners-up for the explanation: the best plan on another set of locations (a no-good cut
 * `Σ_{l∉S} y_l − Σ_{l∈S} y_l ≥ 1 − |S|` excludes each set found so far), on the first two
 * levels (units placed with the first term, then the second term), each within its share of
 * the time left before `deadline`. Stops at the first that finds no other plan or no time.
 */
export function runnersUp(highs: Highs, input: RunnersUpInput): PlanAlternative[] {
  const { model, ids, ctx } = input;
  const out: PlanAlternative[] = [];
  const cuts: number[][] = [[...input.used]];
  const levels = input.levels.filter((l) => !l.name.startsWith('tie-break')).slice(0, 2);
  for (let k = 0; k < input.count; k++) {
    const left = input.deadline - performance.now();
    if (left < 2) break;
    const rows = [...model.rows];
    const rowLower = [...model.rowLower];
    const rowUpper = [...model.rowUpper];
    for (const set of cuts) {
      const inSet = new Set(set);
      rows.push(
        Array.from({ length: model.n }, (_, l): [number, number] => [l, inSet.has(l) ? -1 : 1]),
      );
      rowLower.push(1 - set.length);
      rowUpper.push(Number.POSITIVE_INFINITY);
    }
    let result: ReturnType<typeof solveLevels>;
    try {
      result = solveLevels(
        highs,
        { ...model, rows, rowLower, rowUpper },
        levels,
        performance.now() + left / (input.count - k),
        { seed: input.seed, sameCount: false },
      );
    } catch {
      break;
    }
    if (!result.values) break;
    const a = allocationOf(input.p, model, input.stocks, result.values);
    if (a.used.length === 0) break;
    cuts.push(a.used);
    const score = scoreOf(ctx, ids, a);
    const w = whyLost(input.best, score, input.objective);
    out.push({
      locations: a.used.map((l) => ids[l] ?? ''),
      score,
      lostOn: w.lostOn,
      why: w.why,
      bound: false,
    });
  }
  return out;
}
