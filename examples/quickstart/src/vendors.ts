import { createShipStationWarehouse } from '@fulfil/adapter-shipstation';
import { startFakeShipStation } from '@fulfil/adapter-shipstation/testing';
import type { InventorySnapshot, WarehouseAdapter } from '@fulfil/core';

/** What `--warehouse` accepts: the demo's west location on a simulated warehouse or on ShipStation. */
export const WAREHOUSE_KINDS = ['simulated', 'shipstation'] as const;
export type DemoWarehouseKind = (typeof WAREHOUSE_KINDS)[number];

/** A vendor warehouse the demo talks to over HTTP. */
export interface DemoVendor {
  /** The adapter, registered under the west location's warehouse key. */
  adapter: WarehouseAdapter;
  /** Run on every simulated hour: the vendor ships what it holds (labels with tracking). */
  tick(): Promise<void>;
  /** One line for the report: what ran and at which limits. */
  describe(): string;
  close(): Promise<void>;
}

/** ShipStation's 40 requests per minute, compressed for the demo (the ratio stays honest). */
const WINDOW_MS = 250;

/**
 * Starts a fake ShipStation API v1 on 127.0.0.1 (a real HTTP server: Basic auth,
 * `createorder` upserts by `orderKey`, labels, `GET /shipments`, the 40-per-window
 * limit with `X-Rate-Limit-*` headers and 429s) and the real
 * `@fulfil/adapter-shipstation` client pointed at it. Nothing leaves the machine.
 */
export async function startDemoShipStation(
  stock: InventorySnapshot,
  westWarehouseId = 2,
): Promise<DemoVendor> {
  const fake = await startFakeShipStation({
    windowMs: WINDOW_MS,
    resetPrecision: 'milliseconds',
    warehouses: [westWarehouseId],
  });
  const adapter = createShipStationWarehouse({
    name: 'west-wh',
    baseUrl: fake.url,
    apiKey: fake.apiKey,
    apiSecret: fake.apiSecret,
    warehouseIds: { west: westWarehouseId },
    rateLimit: { limit: fake.limit, windowMs: WINDOW_MS },
    retry: { retries: 6, minDelayMs: 20, maxDelayMs: 500 },
  });
  let labels = 0;
  return {
    adapter,
    async tick() {
      // What ShipStation is about to ship leaves the demo's stock table (on hand), as a
      // stock sync would report it; the engine keeps reservations until then.
      const west = stock.west ?? {};
      for (const order of fake.findOrders((o) => o.orderStatus === 'awaiting_shipment')) {
        for (const item of order.items) {
          if (item.sku && west[item.sku] !== undefined)
            west[item.sku] = Math.max(0, west[item.sku]! - item.quantity);
        }
      }
      labels += (await fake.shipAll()).length;
    },
    describe: () =>
      `west ships through ShipStation (fake API v1 at ${fake.url}, real client; ${fake.limit} requests per ${WINDOW_MS} ms window, ShipStation's 40/min compressed ${60_000 / WINDOW_MS}×): ${fake.orders().length} orders created there, ${labels} labels`,
    async close() {
      await adapter.close();
      await fake.close();
    },
  };
}
