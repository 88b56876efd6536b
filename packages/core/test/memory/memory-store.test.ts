import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/memory';
import { expectCode } from '../../src/testing';

const ref = { orderId: 'o-1', externalId: 'gid://shopify/Order/820982911946154508', store: 'acme' };
const tracking = { carrier: 'UPS', number: '1Z999' };

describe('createMemoryStore', () => {
  it('records tags (each once), holds, releases and fulfillments per order', async () => {
    const store = createMemoryStore();
    await store.addTags(ref, ['gift', 'vip'], 't1');
    await store.addTags(ref, ['gift', 'rush'], 't2');
    await store.hold(ref, 'fraud', 'risk 80', 'h1');
    await store.releaseHold(ref, 'r1');
    await store.fulfill(
      ref,
      { shipmentId: 's1', tracking, lines: [{ lineId: 'l1', quantity: 1 }], notifyCustomer: true },
      'f1',
    );
    expect(store.order('o-1')).toEqual({
      ref,
      tags: ['gift', 'vip', 'rush'],
      onHold: false,
      holds: [{ reason: 'fraud', note: 'risk 80', idempotencyKey: 'h1' }],
      releases: 1,
      fulfillments: [
        {
          shipmentId: 's1',
          tracking,
          lines: [{ lineId: 'l1', quantity: 1 }],
          notifyCustomer: true,
          idempotencyKey: 'f1',
        },
      ],
    });
    expect(store.order('other')).toBeUndefined();
    expect(Object.keys(store.orders())).toEqual(['o-1']);
  });

  it('is idempotent on the key', async () => {
    const store = createMemoryStore();
    await store.hold(ref, 'other', 'wait', 'h1');
    await store.hold(ref, 'other', 'wait', 'h1');
    await store.fulfill(
      ref,
      { shipmentId: 's1', tracking, lines: [], notifyCustomer: false },
      'f1',
    );
    await store.fulfill(
      ref,
      { shipmentId: 's1', tracking, lines: [], notifyCustomer: false },
      'f1',
    );
    const state = store.order('o-1');
    expect(state?.holds).toHaveLength(1);
    expect(state?.fulfillments).toHaveLength(1);
    expect(store.calls().map((c) => c.duplicate)).toEqual([false, true, false, true]);
  });

  it('builds admin links from the default template, a custom one, or a function', () => {
    expect(createMemoryStore().adminUrl?.({ ...ref, externalId: '1001' })).toBe(
      'https://admin.example.com/orders/1001',
    );
    expect(createMemoryStore().adminUrl?.(ref)).toBe(
      'https://admin.example.com/orders/gid%3A%2F%2Fshopify%2FOrder%2F820982911946154508',
    );
    const custom = createMemoryStore({ adminUrl: 'https://{store}.test/admin/{orderId}' });
    expect(custom.adminUrl?.(ref)).toBe('https://acme.test/admin/o-1');
    const fn = createMemoryStore({ adminUrl: (r) => `x:${r.orderId}` });
    expect(fn.adminUrl?.(ref)).toBe('x:o-1');
  });

  it('failNext throws ADAPTER_FAILED n times without effect, then recovers', async () => {
    const store = createMemoryStore({ name: 'shop' });
    store.failNext(2);
    await expectCode(store.addTags(ref, ['a'], 't1'), 'ADAPTER_FAILED');
    await expectCode(store.releaseHold(ref, 'r1'), 'ADAPTER_FAILED');
    await store.addTags(ref, ['a'], 't1');
    expect(store.order('o-1')?.tags).toEqual(['a']);
    expect(store.calls()).toHaveLength(1);
  });

  it('failNext can target one method and fail after the effect', async () => {
    const store = createMemoryStore();
    store.failNext(1, undefined, { method: 'hold', afterEffect: true });
    await store.addTags(ref, ['a'], 't1');
    await expectCode(store.hold(ref, 'other', 'n', 'h1'), 'ADAPTER_FAILED');
    await store.hold(ref, 'other', 'n', 'h1');
    expect(store.order('o-1')?.holds).toHaveLength(1);
  });

  it('returns copies', async () => {
    const store = createMemoryStore();
    await store.addTags(ref, ['a'], 't1');
    store.order('o-1')!.tags.push('mutated');
    expect(store.order('o-1')?.tags).toEqual(['a']);
  });
});
