import { parseOrThrow, type RateQuery, type RateSource } from '@fulfil/core';
import { z } from 'zod';
import { createShipStationClient } from './client';
import { resolveOptions, type ShipStationOptions } from './options';

/** The source's name (in degraded reports). */
export const RATES_NAME = 'shipstation-rates';

/**
 * One rate of `POST /shipments/getrates` (ShipStation API v1). Fields as documented for the
 * Rate object: `serviceName`, `serviceCode`, `shipmentCost`, `otherCost` (decimal amounts in
 * the account's currency). Unknown fields pass.
 */
const Rate = z.object({
  serviceName: z.string().optional(),
  serviceCode: z.string(),
  shipmentCost: z.number().nonnegative(),
  otherCost: z.number().nonnegative().default(0),
});
const Rates = z.array(Rate);

/** Options of {@link createShipStationRates}. */
export const ShipStationRatesOptions = z
  .object({
    /** Carrier to quote (`carrierCode`, e.g. `stamps_com`, `ups`, `fedex`). */
    carrierCode: z.string().min(1),
    /** Service to quote (`serviceCode`); the cheapest service returned when absent. */
    serviceCode: z.string().min(1).optional(),
    /** Service levels (RateQuery.serviceLevel) to ShipStation service codes. */
    serviceLevels: z.record(z.string(), z.string().min(1)).default({}),
    /** Parcel weight per unit, in grams (rounded up to whole ounces). Default 450. */
    gramsPerUnit: z.number().positive().default(450),
    /** Weight band in ounces: quotes are cached per band. Default 16 (one pound). */
    weightBandOunces: z.number().int().positive().default(16),
    /** How long a quote is reused, in ms. Default 6 h. */
    ttlMs: z
      .number()
      .int()
      .positive()
      .default(6 * 3_600_000),
    /** Most cached quotes kept (oldest dropped first). Default 10,000. */
    maxEntries: z.number().int().positive().default(10_000),
    /** Currency minor units per major unit (100 for USD). Default 100. */
    minorPerMajor: z.number().int().positive().default(100),
    /** Clock for the cache (tests). Default `Date.now`. */
    now: z.custom<() => number>((v) => typeof v === 'function').optional(),
  })
  .strict();
export type ShipStationRatesOptionsInput = z.input<typeof ShipStationRatesOptions>;

/**
 * A `RateSource` on ShipStation's `POST /shipments/getrates`, through the adapter's
 * rate-limited client (the same 40-per-minute budget and server-synced gate as the warehouse
 * adapter when given the same `limiter`). One parcel per query: the weight is `units ×
 * gramsPerUnit`, banded; a quote is cached per origin postal code, destination zone (country,
 * state, the first 3 digits of the postal code) and weight band for `ttlMs`. Resolves to the
 * cheapest matching service's `shipmentCost + otherCost` in minor units, or undefined when the
 * origin or destination has no postal code or no service is returned.
 *
 * @example
 * ```ts
 * const rates = createShipStationRates({ apiKey, apiSecret }, { carrierCode: 'ups' });
 * const engine = createEngine({ ...options, router: await createMipRouter(), rates });
 * ```
 */
export function createShipStationRates(
  connection: ShipStationOptions,
  options: ShipStationRatesOptionsInput,
): RateSource {
  const o = parseOrThrow(ShipStationRatesOptions, options, 'shipstationRates', 'CONFIG_INVALID');
  const client = createShipStationClient(resolveOptions(connection));
  const now = o.now ?? Date.now;
  const cache = new Map<string, { at: number; value: Promise<number | undefined> }>();
  return {
    name: RATES_NAME,
    async quote(query: RateQuery) {
      const from = query.origin.address?.postalCode;
      const to = query.destination;
      if (!from || !to.postalCode) return undefined;
      const ounces = Math.max(1, Math.ceil((query.units * o.gramsPerUnit) / 28.349523125));
      const band = Math.ceil(ounces / o.weightBandOunces) * o.weightBandOunces;
      const service =
        (query.serviceLevel ? o.serviceLevels[query.serviceLevel] : undefined) ?? o.serviceCode;
      const zone = `${to.country}|${to.province ?? ''}|${to.postalCode.slice(0, 3)}`;
      const key = `${from}|${zone}|${band}|${service ?? '*'}`;
      const hit = cache.get(key);
      if (hit && now() - hit.at < o.ttlMs) return hit.value;
      const value = client
        .call(Rates, {
          method: 'POST',
          path: 'shipments/getrates',
          body: {
            carrierCode: o.carrierCode,
            ...(service ? { serviceCode: service } : {}),
            fromPostalCode: from,
            toCountry: to.country,
            ...(to.province ? { toState: to.province } : {}),
            toPostalCode: to.postalCode,
            ...(to.city ? { toCity: to.city } : {}),
            weight: { value: band, units: 'ounces' },
          },
          // A quote changes nothing upstream: safe to retry.
          idempotent: true,
        })
        .then((rates) => {
          const matching = rates.filter((r) => !service || r.serviceCode === service);
          if (matching.length === 0) return undefined;
          const best = Math.min(...matching.map((r) => r.shipmentCost + r.otherCost));
          return Math.round(best * o.minorPerMajor);
        });
      cache.set(key, { at: now(), value });
      value.catch(() => cache.delete(key));
      while (cache.size > o.maxEntries) {
        const oldest = cache.keys().next().value;
        if (oldest === undefined) break;
        cache.delete(oldest);
      }
      return value;
    },
  };
}
