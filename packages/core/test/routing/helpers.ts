import type { LocationInput } from '../../src/model/facts';
import { Location } from '../../src/model/facts';
import type { DemandItem } from '../../src/routing/demand';
import type { OptimalRouteRequest } from '../../src/routing/optimal-router';

export const NYC = { country: 'US', province: 'NY', lat: 40.71, lon: -74.0 };
export const loc = (id: string, extra: Partial<LocationInput> = {}) =>
  Location.parse({ id, warehouse: 'wh', ...extra });
export const at = (lat: number, lon: number) => ({ address: { country: 'US', lat, lon } });
export const line = (lineId: string, sku: string, quantity: number): DemandItem => ({
  lineId,
  sku,
  quantity,
  needs: { [sku]: 1 },
});
export const kit = (
  lineId: string,
  quantity: number,
  comps: Record<string, number>,
): DemandItem => ({
  lineId,
  sku: `KIT-${lineId}`,
  quantity,
  needs: comps,
  components: Object.entries(comps).map(([sku, q]) => ({ sku, quantity: q })),
});
export const policy = (
  p: Partial<OptimalRouteRequest['policy']> = {},
): OptimalRouteRequest['policy'] => ({
  prefer: [],
  exclude: [],
  requiredCapabilities: [],
  ...p,
});
export const request = (r: Partial<OptimalRouteRequest>): OptimalRouteRequest => ({
  items: [],
  inventory: {},
  locations: [],
  policy: policy(),
  now: Date.parse('2026-11-27T15:00:00Z'),
  destination: NYC,
  ...r,
});
