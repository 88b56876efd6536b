import { FulfilError } from '../errors';
import type { Location } from '../model/facts';
import { compileProblem, fillableUnits, type Problem, stockVector } from './assign';
import { type CostSettings, type CostTable, costTable } from './cost';
import type { OptimalRouteRequest } from './optimal-router';
import { eligibleLocations } from './router';
import type { ScoringContext } from './score';

/** A route request read for a scoring router's search (see {@link prepareRoute}). */
export interface PreparedRoute {
  /** The request's demand, compiled. */
  p: Problem;
  /** The locations the policy allows, in preference order. */
  ranked: Location[];
  /** The ranked locations with stock for at least one unit: the search's candidates. */
  useful: Location[];
  /** The useful locations' ids, in the same order. */
  ids: string[];
  /** The useful locations' stock vectors (`stockVector`), in the same order. */
  stocks: number[][];
  /** The estimated cost of one shipment from each useful location. */
  costs: CostTable;
  /** What scores a plan: ranks and priorities of the ranked locations, preferences, costs, units. */
  ctx: ScoringContext;
}

/**
 * The first step of every scoring router (the built-in optimal router and `@fulfil/router-mip`
 * share it): checks that location ids are unique, compiles the demand, ranks the eligible
 * locations, keeps those with stock for some unit, estimates their shipment costs and builds
 * the scoring context. Negative stock reads as 0. Throws `CONFIG_INVALID` on a duplicate
 * location id (`details.path` names it).
 *
 * @example
 * ```ts
 * const { p, ids, stocks, ctx } = prepareRoute(request, { costPerKm: 1, missedCutoffCost: 0 });
 * ids; // the candidates' ids, in preference order
 * ```
 */
export function prepareRoute(request: OptimalRouteRequest, settings: CostSettings): PreparedRoute {
  const seen = new Set<string>();
  request.locations.forEach((l, i) => {
    if (seen.has(l.id))
      throw new FulfilError(
        'CONFIG_INVALID',
        `locations[${i}].id: duplicate location id "${l.id}"`,
        { details: { path: `locations[${i}].id` } },
      );
    seen.add(l.id);
  });
  const { items, policy } = request;
  const p = compileProblem(items);
  const ranked = eligibleLocations(request.locations, policy);
  const useful = ranked.filter((l) => {
    const s = stockVector(p, request.inventory[l.id]);
    return items.some((_, i) => fillableUnits(p, i, s, 1) > 0);
  });
  const ids = useful.map((l) => l.id);
  const stocks = useful.map((l) => stockVector(p, request.inventory[l.id]));
  const costs = costTable(useful, request.destination, request.now, settings, request.rates);
  const ctx: ScoringContext = {
    rank: new Map(ranked.map((l, i) => [l.id, i])),
    priority: new Map(ranked.map((l) => [l.id, l.priority])),
    preferred: new Set(policy.prefer),
    cost: costs.cost,
    costBasis: costs.basis,
    total: p.total,
  };
  return { p, ranked, useful, ids, stocks, costs, ctx };
}
