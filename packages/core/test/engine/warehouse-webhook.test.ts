import { describe, expect, it } from 'vitest';
import { handleWarehouseWebhook } from '../../src/engine';
import { createMemoryAlerts } from '../../src/memory';
import type { OrderEvent } from '../../src/model/events';
import type {
  WarehouseAdapter,
  WarehouseWebhookRequest,
  WarehouseWebhookResult,
} from '../../src/ports/warehouse';
import { expectCode } from '../../src/testing';
import { createWorld, HOUR } from './world';

const TOKEN = 'sekret';

/** A vendor that posts `{ events }` to `/hook?token=…` (the simulated warehouse's events). */
function withWebhooks(base: WarehouseAdapter): WarehouseAdapter {
  return {
    ...base,
    capabilities: { ...base.capabilities, webhooks: true },
    async handleWebhook(request): Promise<WarehouseWebhookResult> {
      const token = new URL(request.url, 'http://host').searchParams.get('token');
      if (token !== TOKEN) return { status: 401, reason: 'bad token', events: [] };
      const text =
        typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body);
      let body: { events?: OrderEvent[]; foreign?: string[] };
      try {
        body = JSON.parse(text);
      } catch {
        return { status: 400, reason: 'not JSON', events: [] };
      }
      return {
        status: 200,
        events: body.events ?? [],
        unmatched: (body.foreign ?? []).map((id) => ({
          reason: 'order not created by us',
          details: { vendorOrderId: id },
        })),
      };
    },
  };
}

const hook = (body: unknown, token = TOKEN): WarehouseWebhookRequest => ({
  method: 'POST',
  url: `/hook?token=${token}`,
  headers: { 'content-type': 'application/json' },
  body: new TextEncoder().encode(JSON.stringify(body)),
});

async function shippedWorld() {
  const w = createWorld();
  const east = withWebhooks(w.east);
  const order = w.order({ id: 'o-hook' });
  await w.engine.ingest(w.received(order));
  w.clock.advance(2 * HOUR);
  const events = w.east.events().filter((e) => e.type === 'warehouse.shipped');
  expect(events).toHaveLength(1);
  return { w, east, events };
}

describe('handleWarehouseWebhook', () => {
  it('ingests the shipment; a redelivery is a duplicate and still answers 200', async () => {
    const { w, east, events } = await shippedWorld();
    const first = await handleWarehouseWebhook(w.engine, east, hook({ events }));
    expect(first.status).toBe(200);
    expect(first.ingested.map((r) => r.outcome)).toEqual(['applied']);
    expect((await w.engine.get('o-hook'))?.status).toBe('shipped');
    const again = await handleWarehouseWebhook(w.engine, east, hook({ events }));
    expect(again.status).toBe(200);
    expect(again.ingested.map((r) => r.outcome)).toEqual(['duplicate']);
    expect(again.unmatched).toEqual([]);
  });

  it('answers once the shipment is stored: a hanging store fulfillment runs after the answer', async () => {
    const { w, east, events } = await shippedWorld();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const fulfill = w.store.fulfill.bind(w.store);
    w.store.fulfill = async (...args) => {
      await gate;
      return fulfill(...args);
    };
    const answer = handleWarehouseWebhook(w.engine, east, hook({ events }));
    const late = new Promise<'no answer'>((resolve) => setTimeout(resolve, 2000, 'no answer'));
    const out = await Promise.race([answer, late]);
    expect(w.store.order('o-hook')?.fulfillments ?? []).toHaveLength(0);
    release();
    expect(out).toMatchObject({ status: 200 });
    expect((await w.engine.get('o-hook'))?.status).toBe('shipped');
    await w.engine.idle();
    expect(w.store.order('o-hook')?.fulfillments).toHaveLength(1);
  });

  it('answers the adapter refusal (401) and ingests nothing', async () => {
    const { w, east, events } = await shippedWorld();
    const out = await handleWarehouseWebhook(w.engine, east, hook({ events }, 'wrong'));
    expect(out).toMatchObject({ status: 401, ingested: [] });
    expect(JSON.parse(out.body)).toEqual({ error: 'bad token' });
    expect((await w.engine.get('o-hook'))?.status).toBe('submitted');
  });

  it('reports shipments for unknown orders or shipments as unmatched and alerts, without failing', async () => {
    const { w, east, events } = await shippedWorld();
    const alerts = createMemoryAlerts();
    const stray = { ...events[0]!, orderId: 'o-nobody', idempotencyKey: 'stray-1' };
    const wrongShipment = { ...events[0]!, shipmentId: 'o-hook-s99', idempotencyKey: 'stray-2' };
    const out = await handleWarehouseWebhook(
      w.engine,
      east,
      hook({ events: [stray, wrongShipment, events[0]], foreign: ['SS-77'] }),
      { alerts },
    );
    expect(out.status).toBe(200);
    expect(out.unmatched).toEqual([
      { reason: 'order not created by us', details: { vendorOrderId: 'SS-77' } },
      {
        reason: 'no such order in the engine',
        details: expect.objectContaining({ orderId: 'o-nobody', idempotencyKey: 'stray-1' }),
      },
      {
        reason: 'the order has no such shipment',
        details: expect.objectContaining({ orderId: 'o-hook', shipmentId: 'o-hook-s99' }),
      },
    ]);
    expect(alerts.alerts()).toHaveLength(3);
    expect(alerts.alerts().every((a) => a.severity === 'warning')).toBe(true);
    expect((await w.engine.get('o-hook'))?.status).toBe('shipped');
  });

  it('answers 500 when the engine cannot store the event, so the vendor redelivers', async () => {
    const { w, east, events } = await shippedWorld();
    const broken = {
      ingest: async () => {
        throw new Error('database is down');
      },
      get: w.engine.get,
    };
    const out = await handleWarehouseWebhook(broken, east, hook({ events }));
    expect(out.status).toBe(500);
    expect(out.body).not.toContain('database');
  });

  it('keeps serving when the alert channel is down', async () => {
    const { w, east, events } = await shippedWorld();
    const alerts = {
      send: async () => {
        throw new Error('slack is down');
      },
    };
    const stray = { ...events[0]!, orderId: 'o-nobody', idempotencyKey: 'stray-3' };
    const out = await handleWarehouseWebhook(w.engine, east, hook({ events: [stray] }), { alerts });
    expect(out.status).toBe(200);
    expect(out.unmatched).toHaveLength(1);
  });

  it('refuses an adapter that does not declare webhooks', async () => {
    const { w } = await shippedWorld();
    await expectCode(handleWarehouseWebhook(w.engine, w.east, hook({})), 'CONFIG_INVALID');
  });
});
