import type { Location } from '../model/facts';
import type { Address } from '../model/primitives';
import { zoneOffset } from '../rules/time';

/** Where an order goes: an address, or just coordinates. Only the fields costs read. */
export interface Destination {
  country?: string;
  province?: string;
  lat?: number;
  lon?: number;
}

/**
 * How shipment costs were estimated for one request:
 * - `distance`/`zone`/`mixed`: every candidate has a known variable cost (from coordinates,
 *   a zone table, or both);
 * - `carrier-rates`: every candidate has a carrier rate (`RouteRequest.rates`), which replaces
 *   the distance/zone estimate (`costPerShipment`, handling, is still added);
 * - `fixed`: some candidate has no coordinates and no matching zone (or the destination has
 *   none), so distance costs are dropped for every candidate and only `costPerShipment` counts;
 *   location priority then decides. A plan is never built on a guessed distance.
 */
export type CostBasis = 'carrier-rates' | 'distance' | 'zone' | 'mixed' | 'fixed';

/** Cost settings shared by every location (a location's own fields win). */
export interface CostSettings {
  /** Minor units per km when a location sets no `costPerKm`. */
  costPerKm: number;
  /** Added to a shipment whose location's daily cutoff has passed. */
  missedCutoffCost: number;
}

/** The estimated cost of one shipment from each candidate location. */
export interface CostTable {
  basis: CostBasis;
  /** Integer minor units per location id. */
  cost: Map<string, number>;
  /** Locations whose daily cutoff has passed at `now`. */
  missedCutoff: Set<string>;
}

const EARTH_RADIUS_KM = 6371.0088;

/**
 * Great-circle distance in km between two points (haversine).
 *
 * @example
 * ```ts
 * haversineKm({ lat: 40.7128, lon: -74.006 }, { lat: 34.0522, lon: -118.2437 }); // ≈ 3936
 * ```
 */
export function haversineKm(
  a: { lat: number; lon: number },
  b: { lat: number; lon: number },
): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The zone-table cost for `destination` (`US-CA`, then `US`, then `*`), if a key matches. */
export function zoneCost(
  zones: Readonly<Record<string, number>> | undefined,
  destination: Destination | undefined,
): number | undefined {
  if (!zones) return undefined;
  const country = destination?.country?.toUpperCase();
  const keys = [
    country && destination?.province ? `${country}-${destination.province.toUpperCase()}` : '',
    country ?? '',
    '*',
  ];
  for (const k of keys) if (k !== '' && zones[k] !== undefined) return zones[k];
  return undefined;
}

/** Has the location's daily cutoff (`HH:MM` in its time zone) passed at `now`? */
export function pastCutoff(location: Location, now: number): boolean {
  if (!location.cutoff) return false;
  const [h, m] = location.cutoff.split(':').map(Number);
  let offset = 0;
  try {
    offset = zoneOffset(location.timeZone ?? 'UTC', now);
  } catch {
    offset = 0;
  }
  const day = 86_400_000;
  const minuteOfDay = Math.floor(((((now + offset) % day) + day) % day) / 60_000);
  return minuteOfDay >= (h ?? 0) * 60 + (m ?? 0);
}

/**
 * Estimates one shipment's cost from every candidate to `destination`, in integer minor units:
 * `costPerShipment` + (zone cost if the location's `zoneCosts` match, else km × `costPerKm`)
 * + `missedCutoffCost` when the cutoff has passed. See {@link CostBasis} for the fallback when
 * distances are unknown. With `rates` for every candidate, the carrier rate replaces the
 * distance/zone part (`carrier-rates`).
 *
 * @example
 * ```ts
 * const table = costTable(locations, { country: 'US', lat: 40.7, lon: -74 }, now, settings);
 * table.cost.get('east'); // e.g. 512
 * ```
 */
export function costTable(
  candidates: readonly Location[],
  destination: Destination | Address | undefined,
  now: number,
  settings: CostSettings,
  rates?: Readonly<Record<string, number>>,
): CostTable {
  if (rates && candidates.length > 0 && candidates.every((l) => typeof rates[l.id] === 'number')) {
    const cost = new Map<string, number>();
    const missedCutoff = new Set<string>();
    for (const l of candidates) {
      let c = (l.costPerShipment ?? 0) + (rates[l.id] ?? 0);
      if (pastCutoff(l, now)) {
        missedCutoff.add(l.id);
        c += settings.missedCutoffCost;
      }
      cost.set(l.id, Math.round(c));
    }
    return { basis: 'carrier-rates', cost, missedCutoff };
  }
  const variable = new Map<string, number | undefined>();
  let zones = 0;
  let distances = 0;
  for (const l of candidates) {
    const z = zoneCost(l.zoneCosts, destination);
    if (z !== undefined) {
      variable.set(l.id, z);
      zones++;
      continue;
    }
    const from = l.address;
    if (
      from?.lat !== undefined &&
      from.lon !== undefined &&
      destination?.lat !== undefined &&
      destination.lon !== undefined
    ) {
      const km = haversineKm(
        { lat: from.lat, lon: from.lon },
        { lat: destination.lat, lon: destination.lon },
      );
      variable.set(l.id, km * (l.costPerKm ?? settings.costPerKm));
      distances++;
      continue;
    }
    variable.set(l.id, undefined);
  }
  const known = zones + distances === candidates.length;
  const basis: CostBasis = !known
    ? 'fixed'
    : zones === 0
      ? 'distance'
      : distances === 0
        ? 'zone'
        : 'mixed';
  const cost = new Map<string, number>();
  const missedCutoff = new Set<string>();
  for (const l of candidates) {
    let c = l.costPerShipment ?? 0;
    if (known) c += variable.get(l.id) ?? 0;
    if (pastCutoff(l, now)) {
      missedCutoff.add(l.id);
      c += settings.missedCutoffCost;
    }
    cost.set(l.id, Math.round(c));
  }
  return { basis, cost, missedCutoff };
}
