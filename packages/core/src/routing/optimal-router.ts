import { z } from 'zod';
import { parseOptions } from '../options';
import { toShipmentLine } from './demand';
import { exactSearch, type SearchInput } from './exact';
import { alternatives, buildPlan, emptyScore, type OptimalRoutingPlan } from './explain';
import { heuristicSearch } from './heuristic';

export type { OptimalRoutingPlan, PlanAlternative } from './explain';

import type { Destination } from './cost';
import { prepareRoute } from './prepare';
import { type CoverTable, routeWithProtection } from './protect';
import type { RouteRequest, Router } from './router';
import { DEFAULT_OBJECTIVE } from './score';

/**
 * The `objective` option of the scoring routers (`createOptimalRouter`, `@fulfil/router-mip`):
 * the terms after "place the most units", compared in order, each at most once. Default
 * shipments, preferred, cost, priority.
 */
export const RoutingObjective = z
  .array(z.enum(['shipments', 'preferred', 'cost', 'priority']))
  .min(1)
  .refine((a) => new Set(a).size === a.length, 'terms must not repeat')
  .default([...DEFAULT_OBJECTIVE]);

/**
 * The `protect` option of the scoring routers (`createOptimalRouter`, `@fulfil/router-mip`),
 * optional: see `ProtectOptions`. `maxExtraCost` defaults to 0.
 */
export const StockProtection = z
  .object({
    thresholdDays: z.number().positive(),
    maxExtraCost: z.number().nonnegative().default(0),
  })
  .strict()
  .optional();

/** Options of {@link createOptimalRouter}. All optional. */
export const OptimalRouterOptions = z
  .object({
    /** Terms after "place the most units", compared in order. Default shipments, preferred, cost, priority. */
    objective: RoutingObjective,
    /** Up to this many useful candidate locations the search is exact; above, heuristic. Default 8. */
    exactLimit: z.number().int().min(1).max(12).default(8),
    /** Minor units per km for locations that set no `costPerKm`. Default 1. */
    costPerKm: z.number().nonnegative().default(1),
    /** Added to the cost of a shipment whose location's daily cutoff has passed. Default 0. */
    missedCutoffCost: z.number().nonnegative().default(0),
    /** Runners-up to explain. Default 3. */
    alternatives: z.number().int().min(0).max(20).default(3),
    /** Search nodes per request; past it the plan is the best found and `optimal` is false. Default 250,000. */
    nodeBudget: z.number().int().positive().default(250_000),
    /**
     * Stock protection: leave a location's units of a SKU alone while its days of cover
     * (`request.cover`) are below `thresholdDays`, when another plan places as many units in as
     * few shipments for at most `maxExtraCost` more. Off by default.
     */
    protect: StockProtection,
  })
  .strict();
/** Parsed {@link OptimalRouterOptions} (defaults applied). */
export type OptimalRouterOptions = z.output<typeof OptimalRouterOptions>;
/** {@link OptimalRouterOptions} as callers write them. */
export type OptimalRouterOptionsInput = z.input<typeof OptimalRouterOptions>;

/** A route request that may carry the destination (for distance and zone costs). */
export interface OptimalRouteRequest extends RouteRequest {
  destination?: Destination;
  /** Days of cover per location per SKU, for `protect` (see `coverTable` in forecast). */
  cover?: CoverTable;
}

/** The optimal router: a {@link Router} whose plans carry scores and runners-up. */
export interface OptimalRouter extends Router {
  route(request: OptimalRouteRequest): OptimalRoutingPlan;
}

/**
 * Creates a router that places the most units now, then minimises the objective
 * lexicographically (default: fewest shipments, fewest non-preferred locations, lowest
 * estimated cost, best location priority). With at most `exactLimit` useful candidates the
 * plan is a proven optimum; above, a greedy set cover with local improvement reports its gap
 * to a lower bound. Kits that ship whole take every component from one location per kit
 * unit. It MUST obey the router contract; negative stock reads as 0; duplicate location ids
 * throw `CONFIG_INVALID`. When `policy.allowSplit === false` it returns one shipment that fills
 * every unit, or backorders everything; `policy.maxShipments` caps the shipments.
 *
 * @example
 * ```ts
 * const engine = createEngine({ ...options, router: createOptimalRouter() });
 * const plan = createOptimalRouter().route({ items, inventory, locations, policy, now, destination });
 * plan.reason; // '1 shipment(s) from east (cost 420, distance costs), proven optimal; runner-up west: costs 120 more (540 vs 420)'
 * ```
 */
export function createOptimalRouter(options: OptimalRouterOptionsInput = {}): OptimalRouter {
  const o = parseOptions(OptimalRouterOptions, options, 'createOptimalRouter', { optional: true });
  return {
    name: 'optimal',
    route: (request) => routeProtected(o, request),
  };
}

function routeProtected(o: OptimalRouterOptions, request: OptimalRouteRequest): OptimalRoutingPlan {
  return routeWithProtection(o.protect, request, (r) => route(o, r));
}

function route(o: OptimalRouterOptions, request: OptimalRouteRequest): OptimalRoutingPlan {
  const { items, policy } = request;
  const { p, ranked, useful, ids, stocks, costs, ctx } = prepareRoute(request, o);
  const none = (reason: string): OptimalRoutingPlan => ({
    shipments: [],
    backordered: items.map((it) => toShipmentLine(it, it.quantity)),
    reason,
    score: { ...emptyScore(ctx), placed: 0, backordered: p.total },
    alternatives: [],
    method: 'none',
    optimal: true,
    costBasis: costs.basis,
    missedCutoff: [],
  });
  if (items.length === 0) return { ...none('nothing to route'), backordered: [] };
  if (ranked.length === 0)
    return none('no eligible location (closed, excluded or lacking a required capability)');
  if (useful.length === 0) return none('no location has stock for any unit');

  const single = policy.allowSplit === false;
  const input: SearchInput = {
    p,
    ids,
    stocks,
    ctx,
    objective: o.objective,
    maxShipments: single ? 1 : (policy.maxShipments ?? Number.POSITIVE_INFINITY),
    budget: o.nodeBudget,
  };
  const heuristic = useful.length > o.exactLimit;
  const result = heuristic ? heuristicSearch(input) : exactSearch(input);
  const best = result.best;
  if (!best || best.score.placed === 0) return none('no location has stock for any unit');
  if (single && best.score.placed < p.total)
    return {
      ...none('no single location can fill every unit and splitting is forbidden'),
      alternatives: alternatives(o, input, result, undefined),
    };
  return buildPlan(o, input, result, best, heuristic, costs.missedCutoff);
}
