import type { Location } from '../model/facts';
import type { Address } from '../model/primitives';

/** What a carrier rate is asked for: one parcel from a location to an address. */
export interface RateQuery {
  origin: Location;
  destination: Address;
  /** Units in the parcel (the source turns them into a weight, e.g. grams per unit). */
  units: number;
  /** Service level asked for (e.g. `standard`, `expedited`); the source's default when absent. */
  serviceLevel?: string;
}

/**
 * Carrier rates: the cost of one parcel from a location to an address at a service level.
 * The engine asks it BEFORE routing (the router is synchronous), once per open location with an
 * address, and hands the answers to the router as `RouteRequest.rates`; routers then cost
 * shipments by carrier rate (`costBasis: 'carrier-rates'`) when every candidate has one, and fall
 * back to the distance/zone model otherwise.
 *
 * `quote` MUST resolve to an integer amount in minor units (in the store's currency), or to
 * `undefined` when no carrier serves the route; it MAY throw on upstream failure (the engine
 * then routes on the fallback model and reports the source as degraded). It SHOULD cache.
 */
export interface RateSource {
  readonly name: string;
  quote(query: RateQuery): Promise<number | undefined>;
}
