import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/memory';
import type { StoreAdapter } from '../../src/ports/store';
import { createWorld } from './world';

describe('engine: store-side changes and store notes', () => {
  it('a merchant hold keeps a paid order from the warehouse; the release routes it (inventory read)', async () => {
    const w = createWorld();
    const o = w.order({ paymentStatus: 'pending' });
    await w.engine.ingest(w.received(o));
    const hold = {
      kind: 'hold_placed',
      holdId: 'h-1',
      fulfillmentOrderId: 'fo-1',
      reason: 'incorrect_address',
      notes: 'check the street',
    };
    await w.engine.ingest(w.event('store.fulfillment_changed', o.id, { change: hold }));
    await w.engine.ingest(w.event('order.paid', o.id));
    expect((await w.engine.get(o.id))?.status).toBe('on_hold');
    expect(w.east.orders()).toHaveLength(0);
    const release = { kind: 'hold_released', fulfillmentOrderId: 'fo-1' };
    await w.engine.ingest(w.event('store.fulfillment_changed', o.id, { change: release }));
    await w.engine.dispatch();
    expect((await w.engine.get(o.id))?.status).toBe('submitted');
    expect(w.east.orders()).toHaveLength(1);
    // the store was never asked to hold or release: the hold was the merchant's
    expect(w.store.calls().filter((c) => c.method !== 'addTags')).toEqual([]);
  });

  it('an order entering review gets a store note with the reasons and the admin link, once', async () => {
    const w = createWorld();
    const o = w.order({
      source: {
        channel: 'shopify',
        store: 'acme',
        externalId: 'gid://shopify/Order/1',
        adminUrl: 'https://admin.shopify.com/store/acme/orders/1',
      },
      lines: [{ id: 'l1', sku: 'NOWHERE', quantity: 1, unitPrice: 100 }],
    });
    await w.engine.ingest(w.received(o));
    await w.engine.dispatch();
    expect((await w.engine.get(o.id))?.status).toBe('needs_review');
    const notes = w.store.order(o.id)?.notes ?? [];
    expect(notes).toHaveLength(1);
    expect(notes[0]?.text).toMatch(
      /^fulfil: needs review: cannot route: .*\(https:\/\/admin\.shopify\.com\/store\/acme\/orders\/1\)$/,
    );
    await w.engine.dispatch(); // nothing runs twice
    expect(w.store.order(o.id)?.notes).toHaveLength(1);
  });

  it('a store without addNote: the note is skipped and counted, nothing fails', async () => {
    const memory = createMemoryStore();
    const { addNote: _dropped, ...rest } = memory;
    const store: StoreAdapter = rest;
    const w = createWorld(undefined, { store });
    const o = w.order({ lines: [{ id: 'l1', sku: 'NOWHERE', quantity: 1, unitPrice: 100 }] });
    await w.engine.ingest(w.received(o));
    const report = await w.engine.dispatch();
    expect(report.failed).toBe(0);
    const skipped = w.engine
      .metrics()
      .counters.find(
        (c) =>
          c.name === 'commands_skipped' &&
          c.labels?.type === 'store.add_note' &&
          c.labels?.why === 'no_add_note',
      );
    expect(skipped?.value).toBe(1);
  });
});
