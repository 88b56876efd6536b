import { randomBytes } from 'node:crypto';
import type { ShipmentRequest, WarehouseWebhookRequest } from '@fulfil/core';
import type { WarehouseTestSetup } from '@fulfil/core/testing';
import {
  createGeneric3plWarehouse,
  extensivPreset,
  type Generic3plRuntime,
  type Generic3plWarehouse,
  shipbobPreset,
} from '../src';
import {
  type FakeExtensiv,
  type FakeExtensivOptions,
  startFakeExtensiv,
} from './fakes/fake-extensiv';
import { type FakeShipbob, type FakeShipbobOptions, startFakeShipbob } from './fakes/fake-shipbob';

/** Short retries, so fault cases take milliseconds. */
export const FAST_RETRY = { retries: 3, minDelayMs: 10, maxDelayMs: 40, maxRetryAfterMs: 2_000 };

/** Units of the shipment's lines as SKUs (the fakes ship by SKU, as vendors do). */
export function skusOf(request: ShipmentRequest, lines: { lineId: string; quantity: number }[]) {
  return lines.map((l) => ({
    sku: request.lines.find((x) => x.lineId === l.lineId)!.sku,
    quantity: l.quantity,
  }));
}

/** The same webhook, its signature header replaced by one made with another secret. */
function forged(
  valid: WarehouseWebhookRequest,
  headerName: string,
  value: string,
): WarehouseWebhookRequest {
  return { ...valid, headers: { ...valid.headers, [headerName]: value } };
}

export interface ShipbobWorld {
  fake: FakeShipbob;
  adapter: Generic3plWarehouse;
  setup: WarehouseTestSetup;
}

/** A fake ShipBob (window compressed to 1 s) and the preset pointed at it. */
export async function shipbobWorld(
  fakeOptions: FakeShipbobOptions = {},
  runtime: Generic3plRuntime = {},
): Promise<ShipbobWorld> {
  const fake = await startFakeShipbob({ windowMs: 1_000, ...fakeOptions });
  const adapter = createGeneric3plWarehouse(
    shipbobPreset({
      token: fake.token,
      channelId: 100102,
      baseUrl: fake.baseUrl,
      webhookSecret: fake.webhookSecret,
      locations: { '1': 'loc-cicero' },
      rateLimit: { kind: 'sliding-window', limit: fakeOptions.limit ?? 150, windowMs: 1_000 },
      retry: FAST_RETRY,
    }),
    runtime,
  );
  const setup: WarehouseTestSetup = {
    adapter,
    locationId: 'loc-cicero',
    sku: 'TEE-M',
    unknownSku: 'NOPE-404',
    upstreamOrderCount: async () => fake.orders.length,
    shipAll: async () => fake.shipAll(),
    shipPart: async (request, lines) =>
      void fake.shipPart(request.shipment.id, skusOf(request, lines)),
    failNext: async (fault, times) => fake.failNext(fault, times),
    requestCount: async () => fake.calls.length,
    webhookFor: async (request) => fake.webhookFor(request.shipment.id),
    forge: (valid) =>
      forged(valid, 'webhook-signature', `v1,${randomBytes(32).toString('base64')}`),
    cleanup: async () => {
      await adapter.close();
      await fake.close();
    },
  };
  return { fake, adapter, setup };
}

export interface ExtensivWorld {
  fake: FakeExtensiv;
  adapter: Generic3plWarehouse;
  setup: WarehouseTestSetup;
}

/** A fake Extensiv and the preset pointed at it. */
export async function extensivWorld(
  fakeOptions: FakeExtensivOptions = {},
  runtime: Generic3plRuntime = {},
): Promise<ExtensivWorld> {
  const fake = await startFakeExtensiv({ windowMs: 1_000, ...fakeOptions });
  const adapter = createGeneric3plWarehouse(
    extensivPreset({
      clientId: fake.clientId,
      clientSecret: fake.clientSecret,
      tokenUrl: fake.tokenUrl,
      baseUrl: fake.url,
      customerId: fake.customerId,
      facilityId: 3,
      locations: { '3': 'loc-reno' },
      webhookSecret: fake.webhookSecret,
      rateLimit: { kind: 'fixed-window', limit: fakeOptions.limit ?? 100, windowMs: 1_000 },
      retry: FAST_RETRY,
    }),
    runtime,
  );
  const setup: WarehouseTestSetup = {
    adapter,
    locationId: 'loc-reno',
    sku: 'TEE-M',
    unknownSku: 'NOPE-404',
    upstreamOrderCount: async () => fake.orders.length,
    shipAll: async () => fake.shipAll(),
    shipPart: async (request, lines) =>
      void fake.shipPart(request.shipment.id, skusOf(request, lines)),
    failNext: async (fault, times) => fake.failNext(fault, times),
    requestCount: async () => fake.apiCalls().length,
    webhookFor: async (request) => fake.webhookFor(request.shipment.id),
    forge: (valid) =>
      forged(valid, 'x-extensiv-signature', `sha256=${randomBytes(32).toString('hex')}`),
    cleanup: async () => {
      await adapter.close();
      await fake.close();
    },
  };
  return { fake, adapter, setup };
}
