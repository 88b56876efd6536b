import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FulfilError, isFulfilError } from '../errors';
import type { ShipmentRequest } from '../model/commands';
import { OrderEvent } from '../model/events';
import type {
  WarehouseAdapter,
  WarehouseCapabilities,
  WarehouseWebhookRequest,
} from '../ports/warehouse';
import { makeShipmentRequest } from './fixtures';
import { gated } from './helpers';

/** Faults a setup can make its fake vendor answer with. */
export type WarehouseFault = 'rate_limited' | 'server_error' | 'bad_request';

/** What a warehouse factory hands the conformance suite. */
export interface WarehouseTestSetup {
  /** The adapter under test (against a sandbox, a mock server, or a simulation). */
  adapter: WarehouseAdapter;
  /** A location the adapter serves, holding at least 10 units of `sku`. */
  locationId: string;
  /** A SKU the warehouse stocks at `locationId`. */
  sku: string;
  /** A SKU the warehouse does not know; submitting it must be rejected. Omit to skip that case. */
  unknownSku?: string;
  /** How many orders exist upstream (in the sandbox or mock), to check idempotency. */
  upstreamOrderCount(): Promise<number>;
  /**
   * Makes every accepted shipment that is not held ship: advance a simulated
   * clock, or tell a sandbox to mark orders shipped. Without it the
   * shipment-event cases are skipped.
   */
  shipAll?(): Promise<void>;
  /**
   * Ships only these units of an accepted shipment (a partial shipment), with
   * tracking. Without it the partial-shipment case is skipped.
   */
  shipPart?(request: ShipmentRequest, lines: { lineId: string; quantity: number }[]): Promise<void>;
  /**
   * Makes the vendor answer the next `times` requests with a fault: `rate_limited`
   * (429 with the vendor's reset header, a short wait), `server_error` (500/503),
   * or `bad_request` (the vendor's 400/422 saying the order is wrong). Configure
   * the adapter's retry backoff short (tens of ms) in the setup. Without it the
   * fault cases are skipped.
   */
  failNext?(fault: WarehouseFault, times: number): Promise<void>;
  /** Every HTTP request the vendor has received so far (proves a 4xx is not retried). */
  requestCount?(): Promise<number>;
  /**
   * The webhook the vendor would send now about this shipment (call after
   * `shipAll`/`shipPart`). Without it the webhook cases are skipped.
   */
  webhookFor?(request: ShipmentRequest): Promise<WarehouseWebhookRequest>;
  /** The same webhook with its authentication broken (bad signature, wrong token). */
  forge?(valid: WarehouseWebhookRequest): WarehouseWebhookRequest;
  /** Releases what the setup opened. Runs after each case. */
  cleanup?(): Promise<void>;
}

/** Makes a fresh warehouse setup. Called once to read capabilities, then once per case. */
export type WarehouseFactory = () => Promise<WarehouseTestSetup>;

/**
 * Registers the {@link WarehouseAdapter} conformance suite: idempotent submit,
 * rejection with a reason, idempotent cancel, holds, inventory and shipment
 * events. Cases for capabilities the adapter declares `false` (or that the
 * setup cannot drive) are skipped, and their names say why.
 *
 * @example
 * ```ts
 * import { warehouseConformance } from '@fulfil/core/testing';
 *
 * warehouseConformance('my-3pl', async () => {
 *   const mock = await startMock3pl({ stock: { 'loc-1': { 'TEE-M': 100 } } });
 *   return {
 *     adapter: createMy3plWarehouse({ baseUrl: mock.url, apiKey: 'test' }),
 *     locationId: 'loc-1',
 *     sku: 'TEE-M',
 *     unknownSku: 'NOPE-404',
 *     upstreamOrderCount: async () => mock.orders.length,
 *     shipAll: async () => mock.shipEverything(),
 *     cleanup: () => mock.close(),
 *   };
 * });
 * ```
 */
export function warehouseConformance(name: string, factory: WarehouseFactory): void {
  describe(`WarehouseAdapter conformance: ${name}`, async () => {
    const probe = await factory();
    const caps: WarehouseCapabilities = { ...probe.adapter.capabilities };
    const probed = {
      unknownSku: probe.unknownSku !== undefined,
      shipAll: probe.shipAll !== undefined,
      shipPart: probe.shipPart !== undefined,
      failNext: probe.failNext !== undefined,
      requestCount: probe.requestCount !== undefined,
      webhookFor: probe.webhookFor !== undefined && probe.shipAll !== undefined,
      forge: probe.forge !== undefined,
    };
    await probe.cleanup?.();

    let setup: WarehouseTestSetup;
    let n = 0;
    const run = Date.now().toString(36);
    beforeEach(async () => {
      setup = await factory();
    });
    afterEach(async () => {
      await setup.cleanup?.();
    });
    const request = (sku = setup.sku, quantity = 1) =>
      makeShipmentRequest({
        orderId: `wc-${run}-${++n}`,
        locationId: setup.locationId,
        lines: [{ sku, quantity }],
      });
    const key = () => `wc-${run}-key-${++n}`;

    it('declares methods for every capability it claims', () => {
      const { adapter } = setup;
      expect(typeof adapter.name).toBe('string');
      expect(typeof adapter.submit).toBe('function');
      if (caps.cancel) expect(typeof adapter.cancel).toBe('function');
      if (caps.holdUntil) expect(typeof adapter.holdUntil).toBe('function');
      if (caps.inventory) expect(typeof adapter.inventory).toBe('function');
      if (caps.shipmentEvents) expect(typeof adapter.pollEvents).toBe('function');
      if (caps.webhooks) expect(typeof adapter.handleWebhook).toBe('function');
    });

    describe('submit', () => {
      it('accepts a shipment it can fill, with a warehouse order id', async () => {
        const before = await setup.upstreamOrderCount();
        const result = await setup.adapter.submit(request(), key());
        expect(result).toMatchObject({ status: 'accepted' });
        if (result.status === 'accepted') expect(result.warehouseOrderId).toMatch(/\S/);
        expect(await setup.upstreamOrderCount()).toBe(before + 1);
      });

      it('is idempotent on the key: the same key again creates no second order and returns the same result', async () => {
        const req = request();
        const k = key();
        const before = await setup.upstreamOrderCount();
        const first = await setup.adapter.submit(req, k);
        const second = await setup.adapter.submit(req, k);
        expect(second).toEqual(first);
        expect(await setup.upstreamOrderCount()).toBe(before + 1);
      });

      it.skipIf(!probed.unknownSku)(
        gated(
          probed.unknownSku,
          'rejects an unknown SKU with a reason',
          'setup gives no unknownSku',
        ),
        async () => {
          const k = key();
          const result = await setup.adapter.submit(request(setup.unknownSku), k);
          expect(result.status).toBe('rejected');
          if (result.status === 'rejected') expect(result.reason).toMatch(/\S/);
          expect(await setup.adapter.submit(request(setup.unknownSku), k)).toEqual(result);
        },
      );
    });

    it.skipIf(!caps.cancel)(
      gated(
        caps.cancel,
        'cancel is idempotent and ignores unknown shipments',
        'adapter declares cancel: false',
      ),
      async () => {
        const req = request();
        await setup.adapter.submit(req, key());
        const cancelKey = key();
        await setup.adapter.cancel!(req.shipment.id, cancelKey);
        await setup.adapter.cancel!(req.shipment.id, cancelKey);
        await setup.adapter.cancel!(req.shipment.id, key());
        await setup.adapter.cancel!(`unknown-${key()}`, key());
      },
    );

    it.skipIf(!caps.holdUntil)(
      gated(
        caps.holdUntil,
        'holdUntil holds an accepted shipment',
        'adapter declares holdUntil: false',
      ),
      async () => {
        const req = request();
        await setup.adapter.submit(req, key());
        await setup.adapter.holdUntil!(req.shipment.id, '2999-01-01T00:00:00Z');
        if (!caps.shipmentEvents || !setup.shipAll) return;
        await setup.shipAll();
        const events = await setup.adapter.pollEvents!(0);
        const shipped = events.filter(
          (e) => e.type === 'warehouse.shipped' && e.shipmentId === req.shipment.id,
        );
        expect(shipped).toEqual([]);
      },
    );

    it.skipIf(!caps.inventory)(
      gated(
        caps.inventory,
        'inventory reports integer units per location and SKU',
        'adapter declares inventory: false',
      ),
      async () => {
        const units = await setup.adapter.inventory!([setup.sku]);
        const at = units[setup.locationId]?.[setup.sku];
        expect(Number.isInteger(at)).toBe(true);
        expect(at).toBeGreaterThanOrEqual(10);
        for (const perSku of Object.values(units)) {
          for (const value of Object.values(perSku)) expect(Number.isInteger(value)).toBe(true);
        }
      },
    );

    const events = caps.shipmentEvents && probed.shipAll;
    const why = caps.shipmentEvents
      ? 'setup gives no shipAll()'
      : 'adapter declares shipmentEvents: false';
    it.skipIf(!events)(
      gated(
        events,
        'pollEvents reports a shipped event with tracking once, with a stable key',
        why,
      ),
      async () => {
        const req = request();
        await setup.adapter.submit(req, key());
        await setup.shipAll!();
        const all = await setup.adapter.pollEvents!(0);
        for (const event of all) expect(OrderEvent.safeParse(event).success).toBe(true);
        const times = all.map((e) => Date.parse(e.occurredAt));
        expect(times).toEqual([...times].sort((a, b) => a - b));
        const mine = all.filter((e) => 'shipmentId' in e && e.shipmentId === req.shipment.id);
        const shipped = mine.filter((e) => e.type === 'warehouse.shipped');
        expect(shipped).toHaveLength(1);
        const event = shipped[0]!;
        expect(event).toMatchObject({
          orderId: req.orderId,
          tracking: { carrier: expect.stringMatching(/\S/), number: expect.stringMatching(/\S/) },
        });
        const again = await setup.adapter.pollEvents!(0);
        expect(again.find((e) => e.idempotencyKey === event.idempotencyKey)).toEqual(event);
        const keys = all.map((e) => e.idempotencyKey);
        expect(new Set(keys).size).toBe(keys.length);
        const watermark = Date.parse(all.at(-1)!.occurredAt);
        const later = await setup.adapter.pollEvents!(watermark);
        expect(later.map((e) => e.idempotencyKey)).not.toContain(event.idempotencyKey);
      },
    );

    const partial = caps.shipmentEvents && probed.shipPart;
    it.skipIf(!partial)(
      gated(
        partial,
        'a partial shipment is reported with the shipped lines, the rest later',
        caps.shipmentEvents
          ? 'setup gives no shipPart()'
          : 'adapter declares shipmentEvents: false',
      ),
      async () => {
        const req = request(setup.sku, 3);
        await setup.adapter.submit(req, key());
        const lineId = req.lines[0]!.lineId;
        await setup.shipPart!(req, [{ lineId, quantity: 1 }]);
        const all = await setup.adapter.pollEvents!(0);
        const shipped = all.filter(
          (e) => e.type === 'warehouse.shipped' && e.shipmentId === req.shipment.id,
        );
        expect(shipped).toHaveLength(1);
        expect(shipped[0]).toMatchObject({
          orderId: req.orderId,
          lines: [{ lineId, quantity: 1 }],
          tracking: { carrier: expect.stringMatching(/\S/), number: expect.stringMatching(/\S/) },
        });
        await setup.shipPart!(req, [{ lineId, quantity: 2 }]);
        const after = await setup.adapter.pollEvents!(0);
        const units = after
          .filter((e) => e.type === 'warehouse.shipped' && e.shipmentId === req.shipment.id)
          .flatMap((e) => (e.type === 'warehouse.shipped' ? (e.lines ?? []) : []))
          .reduce((n, l) => n + l.quantity, 0);
        expect(units).toBe(3);
      },
    );

    describe('upstream faults', () => {
      const noFaults = 'setup gives no failNext()';
      it.skipIf(!probed.failNext)(
        gated(probed.failNext, '429 is waited out and retried: one upstream order', noFaults),
        async () => {
          const before = await setup.upstreamOrderCount();
          await setup.failNext!('rate_limited', 2);
          const result = await setup.adapter.submit(request(), key());
          expect(result).toMatchObject({ status: 'accepted' });
          expect(await setup.upstreamOrderCount()).toBe(before + 1);
        },
      );

      it.skipIf(!probed.failNext)(
        gated(probed.failNext, '5xx is retried with the same key: one upstream order', noFaults),
        async () => {
          const before = await setup.upstreamOrderCount();
          const req = request();
          const k = key();
          await setup.failNext!('server_error', 2);
          const first = await setup.adapter.submit(req, k);
          expect(first).toMatchObject({ status: 'accepted' });
          expect(await setup.adapter.submit(req, k)).toEqual(first);
          expect(await setup.upstreamOrderCount()).toBe(before + 1);
        },
      );

      it.skipIf(!probed.failNext)(
        gated(
          probed.failNext,
          'a 5xx that does not stop throws a retryable FulfilError after bounded attempts',
          noFaults,
        ),
        async () => {
          await setup.adapter.submit(request(), key());
          const before = probed.requestCount ? await setup.requestCount!() : 0;
          await setup.failNext!('server_error', 1000);
          let error: unknown;
          try {
            await setup.adapter.submit(request(), key());
          } catch (err) {
            error = err;
          }
          expect(isFulfilError(error), `expected a FulfilError, got ${String(error)}`).toBe(true);
          const details = (error as FulfilError).details as { retryable?: unknown } | undefined;
          expect(details?.retryable).not.toBe(false);
          if (probed.requestCount) {
            const attempts = (await setup.requestCount!()) - before;
            expect(attempts).toBeGreaterThan(1);
            expect(attempts).toBeLessThanOrEqual(20);
          }
        },
      );

      it.skipIf(!probed.failNext)(
        gated(
          probed.failNext,
          'a 4xx saying the order is wrong is a rejection with a reason, not a retry',
          noFaults,
        ),
        async () => {
          await setup.adapter.submit(request(), key());
          const before = probed.requestCount ? await setup.requestCount!() : 0;
          const orders = await setup.upstreamOrderCount();
          await setup.failNext!('bad_request', 1);
          const result = await setup.adapter.submit(request(), key());
          expect(result.status).toBe('rejected');
          if (result.status === 'rejected') expect(result.reason).toMatch(/\S/);
          expect(await setup.upstreamOrderCount()).toBe(orders);
          if (probed.requestCount) expect((await setup.requestCount!()) - before).toBe(1);
        },
      );
    });

    const hooks = caps.webhooks === true && probed.webhookFor;
    const noHooks = caps.webhooks
      ? 'setup gives no webhookFor() and shipAll()'
      : 'adapter declares webhooks: false';
    describe('webhooks', () => {
      it.skipIf(!hooks)(
        gated(hooks, 'a shipment webhook becomes a shipped event, the same on redelivery', noHooks),
        async () => {
          const req = request();
          await setup.adapter.submit(req, key());
          await setup.shipAll!();
          const hook = await setup.webhookFor!(req);
          const result = await setup.adapter.handleWebhook!(hook);
          expect(result.status).toBe(200);
          for (const event of result.events) expect(OrderEvent.safeParse(event).success).toBe(true);
          const shipped = result.events.filter(
            (e) => e.type === 'warehouse.shipped' && e.shipmentId === req.shipment.id,
          );
          expect(shipped).toHaveLength(1);
          expect(shipped[0]).toMatchObject({
            orderId: req.orderId,
            tracking: { carrier: expect.stringMatching(/\S/), number: expect.stringMatching(/\S/) },
          });
          const again = await setup.adapter.handleWebhook!(hook);
          expect(again.status).toBe(200);
          expect(again.events.map((e) => e.idempotencyKey)).toEqual(
            result.events.map((e) => e.idempotencyKey),
          );
        },
      );

      const forged = hooks && probed.forge;
      it.skipIf(!forged)(
        gated(
          forged,
          'a webhook with a bad signature or token is refused with 401 and no event',
          hooks ? 'setup gives no forge()' : noHooks,
        ),
        async () => {
          const req = request();
          await setup.adapter.submit(req, key());
          await setup.shipAll!();
          const bad = setup.forge!(await setup.webhookFor!(req));
          const result = await setup.adapter.handleWebhook!(bad);
          expect(result.status).toBe(401);
          expect(result.events).toEqual([]);
          const { authorization: _a, Authorization: _b, ...headers } = bad.headers;
          const stripped = await setup.adapter.handleWebhook!({
            ...bad,
            headers,
            url: bad.url.split('?')[0]!,
          });
          expect(stripped.status).toBe(401);
          expect(stripped.events).toEqual([]);
        },
      );
    });
  });
}
