import { describe, expect, it } from 'vitest';
import { isFulfilError } from '../../src/errors';
import { createWorld, HOUR } from './world';

describe('engine: one order from event to warehouse and back', () => {
  it('routes a paid order to one location, ships, fulfils in the store, delivers', async () => {
    const w = createWorld();
    const order = w.order({ lines: [{ id: 'l1', sku: 'TEE-M', quantity: 2, unitPrice: 2500 }] });
    const r = await w.engine.ingest(w.received(order));
    expect(r).toMatchObject({ outcome: 'applied', status: 'submitted', version: 1 });
    expect(r.explanation?.routing?.reason).toContain('1 shipment(s) from east');
    expect(w.east.orders()).toHaveLength(1);
    expect(w.west.orders()).toHaveLength(0);
    expect((await w.engine.get(order.id))?.shipments[0]?.status).toBe('accepted');

    await w.advance(2 * HOUR);
    const shipped = await w.engine.get(order.id);
    expect(shipped?.status).toBe('shipped');
    expect(w.store.order(order.id)?.fulfillments).toHaveLength(1);

    await w.advance(48 * HOUR);
    const { record, history } = await w.engine.explain(order.id);
    expect(record.status).toBe('delivered');
    expect(history.map((h) => h.to)).toEqual(['submitted', 'submitted', 'shipped', 'delivered']);
    expect(record.version).toBe(history.length);
  });

  it('waits for payment, then routes on order.paid', async () => {
    const w = createWorld();
    const order = w.order({ paymentStatus: 'pending' });
    expect((await w.engine.ingest(w.received(order))).status).toBe('awaiting_payment');
    expect(w.east.orders()).toHaveLength(0);
    expect((await w.engine.ingest(w.event('order.paid', order.id))).status).toBe('submitted');
  });

  it('splits across locations when no single one can fill, and backorders the rest', async () => {
    const w = createWorld({ east: { 'TEE-M': 1, MUG: 0 }, west: { 'TEE-M': 0, MUG: 1 } });
    const order = w.order({
      lines: [
        { id: 'l1', sku: 'TEE-M', quantity: 1, unitPrice: 2500 },
        { id: 'l2', sku: 'MUG', quantity: 2, unitPrice: 1200 },
      ],
    });
    const r = await w.engine.ingest(w.received(order));
    expect(r.status).toBe('submitted');
    expect(r.explanation?.routing?.shipments.map((s) => s.locationId).sort()).toEqual([
      'east',
      'west',
    ]);
    expect(r.explanation?.routing?.backordered).toEqual([
      { lineId: 'l2', sku: 'MUG', quantity: 1 },
    ]);
  });

  it('drops duplicate deliveries: one warehouse order, outcome duplicate', async () => {
    const w = createWorld();
    const event = w.received(w.order());
    await w.engine.ingest(event);
    expect((await w.engine.ingest(event)).outcome).toBe('duplicate');
    expect(w.east.orders()).toHaveLength(1);
    expect(w.east.duplicateSubmits).toBe(0);
  });

  it('ignores stale updates and creates an order from an update it has not seen', async () => {
    const w = createWorld();
    const order = w.order({ paymentStatus: 'pending', updatedAt: '2026-11-27T09:00:00Z' });
    const update = (paymentStatus: 'paid' | 'pending', upstream: string) =>
      w.event('order.updated', order.id, {
        order: { ...order, paymentStatus },
        upstreamUpdatedAt: upstream,
      });
    const created = await w.engine.ingest(update('pending', '2026-11-27T09:05:00Z'));
    expect(created).toMatchObject({ outcome: 'applied', status: 'awaiting_payment' });
    const stale = await w.engine.ingest(update('paid', '2026-11-27T09:01:00Z'));
    expect(stale.outcome).toBe('ignored');
    expect((await w.engine.get(order.id))?.status).toBe('awaiting_payment');
    const fresh = await w.engine.ingest(update('paid', '2026-11-27T09:10:00Z'));
    expect(fresh.status).toBe('submitted');
  });

  it('re-routes a rejected shipment without the rejecting location', async () => {
    const w = createWorld();
    w.east.rejectNext('address not serviceable');
    const order = w.order();
    await w.engine.ingest(w.received(order));
    const record = await w.engine.get(order.id);
    expect(record?.status).toBe('submitted');
    expect(record?.shipments.map((s) => [s.locationId, s.status])).toEqual([
      ['east', 'rejected'],
      ['west', 'accepted'],
    ]);
    expect(record?.policy.exclude).toEqual(['east']);
  });

  it('cancels: cancels warehouse shipments, returns stock, and never ships after', async () => {
    const w = createWorld({ east: { 'TEE-M': 1 }, west: {} });
    const order = w.order();
    await w.engine.ingest(w.received(order));
    expect(w.stock.east?.['TEE-M']).toBe(0);
    const r = await w.engine.ingest(
      w.event('order.cancelled', order.id, { reason: 'customer asked' }),
    );
    expect(r.status).toBe('cancelled');
    expect(w.stock.east?.['TEE-M']).toBe(1);
    await w.advance(3 * HOUR);
    const { record, history } = await w.engine.explain(order.id);
    expect(record.status).toBe('cancelled');
    expect(record.shipments[0]?.status).toBe('cancelled');
    expect(history.at(-1)?.to).toBe('cancelled');
  });

  it('records an event the state does not accept as an invalid transition', async () => {
    const w = createWorld();
    const order = w.order();
    await w.engine.ingest(w.received(order));
    const r = await w.engine.ingest(w.event('order.signal', order.id, { signal: 'ENGRAVED' }));
    expect(r.outcome).toBe('invalid_transition');
    expect(r.explanation?.invalid).toMatchObject({ state: 'submitted', event: 'ENGRAVED' });
    const { record, history } = await w.engine.explain(order.id);
    expect(record.status).toBe('submitted');
    expect(history.at(-1)?.summary).toContain('invalid transition');
    expect(w.engine.metrics().counters.some((c) => c.name === 'invalid_transitions')).toBe(true);
  });

  it('turns a command that keeps failing into review with an alert linking to the order', async () => {
    const w = createWorld();
    w.east.failAlways(true);
    const order = w.order({
      source: {
        channel: 'shopify',
        store: 's',
        externalId: 'gid://shopify/Order/820982911946154508',
        adminUrl: 'https://admin.shopify.com/store/s/orders/820982911946154508',
      },
    });
    await w.engine.ingest(w.received(order));
    expect((await w.engine.get(order.id))?.status).toBe('submitted');
    await w.advance(1000);
    await w.advance(2000);
    const record = await w.engine.get(order.id);
    expect(record?.status).toBe('needs_review');
    expect(record?.review?.reasons[0]).toContain('warehouse.submit failed for good');
    const alert = w.alerts.alerts().find((a) => a.severity === 'critical');
    expect(alert?.link).toBe('https://admin.shopify.com/store/s/orders/820982911946154508');
    expect(w.east.calls.submit).toBe(3);
  });

  it('rejects invalid events with the path of the bad field, and stores nothing', async () => {
    const w = createWorld();
    const bad = w.received(w.order());
    (bad as { order: { lines: { quantity: number }[] } }).order.lines[0]!.quantity = 0;
    const err = await w.engine.ingest(bad).catch((e: unknown) => e);
    expect(isFulfilError(err, 'INVALID_INPUT')).toBe(true);
    expect((err as Error).message).toContain('event.order.lines[0].quantity');
    expect(await w.storage.listOrders({})).toHaveLength(0);
    await expect(w.engine.ingest({ type: 'order.paid' } as unknown)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(w.engine.ingest(null)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('ignores events for unknown orders without storing anything', async () => {
    const w = createWorld();
    const r = await w.engine.ingest(w.event('order.paid', 'nope'));
    expect(r.outcome).toBe('ignored');
    expect(r.explanation?.notes[0]).toContain('unknown');
    expect(await w.storage.listOrders({})).toHaveLength(0);
  });

  it('reports metrics: events, stage latency, transitions, time in state', async () => {
    const w = createWorld();
    const order = w.order({ paymentStatus: 'pending' });
    await w.engine.ingest(w.received(order));
    w.clock.advance(HOUR);
    await w.engine.ingest(w.event('order.paid', order.id));
    const m = w.engine.metrics();
    const names = new Set([...m.counters.map((c) => c.name), ...m.histograms.map((h) => h.name)]);
    for (const n of [
      'events',
      'transitions',
      'ingest_ms',
      'stage_ms',
      'time_in_state_ms',
      'commands',
    ]) {
      expect(names, n).toContain(n);
    }
    const wait = m.histograms.find(
      (h) => h.name === 'time_in_state_ms' && h.labels.state === 'awaiting_payment',
    );
    expect(wait?.max).toBe(HOUR);
  });

  it('a cancel that arrives after the warehouse shipped is not retried: people are alerted at once', async () => {
    const w = createWorld();
    const order = w.order();
    await w.engine.ingest(w.received(order));
    w.clock.advance(3 * HOUR); // the warehouse ships; the engine has not polled yet
    const r = await w.engine.ingest(
      w.event('order.cancelled', order.id, { reason: 'customer asked' }),
    );
    expect(r.status).toBe('cancelled');
    expect(w.east.calls.cancel).toBe(1);
    const alert = w.alerts.alerts().find((a) => a.severity === 'critical');
    expect(alert?.message).toContain('warehouse.cancel failed for good');
    expect(alert?.message).toContain('already shipped');
    expect(w.storage.outbox().filter((row) => row.status === 'dead')).toHaveLength(1);
  });

  it('an update of a submitted order with the same address in another key order is not an address change', async () => {
    const w = createWorld();
    const order = w.order();
    await w.engine.ingest(w.received(order));
    const a = order.shippingAddress!;
    const reordered = Object.fromEntries(Object.entries(a).reverse()) as typeof a;
    const r = await w.engine.ingest(
      w.event('order.updated', order.id, {
        order: { ...order, shippingAddress: reordered, updatedAt: '2026-11-27T10:00:00Z' },
        upstreamUpdatedAt: '2026-11-27T10:00:00Z',
      }),
    );
    expect(r.status).toBe('submitted');
    const moved = await w.engine.ingest(
      w.event('order.updated', order.id, {
        order: {
          ...order,
          shippingAddress: { ...a, line1: '2 Other St' },
          updatedAt: '2026-11-27T11:00:00Z',
        },
        upstreamUpdatedAt: '2026-11-27T11:00:00Z',
      }),
    );
    expect(moved.status).toBe('needs_review');
  });
});
