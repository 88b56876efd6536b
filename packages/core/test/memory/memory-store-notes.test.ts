import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/memory';

const ref = { orderId: 'o-1', externalId: 'gid://shopify/Order/1', store: 'acme' };

describe('createMemoryStore: notes', () => {
  it('appends notes once per key, in order, and can fail on demand', async () => {
    const store = createMemoryStore();
    expect(store.order('o-1')).toBeUndefined();
    await store.addNote(ref, 'needs review: address', 'n1');
    await store.addNote(ref, 'needs review: address', 'n1');
    await store.addNote(ref, 'held in the store', 'n2');
    expect(store.order('o-1')?.notes).toEqual([
      { text: 'needs review: address', idempotencyKey: 'n1' },
      { text: 'held in the store', idempotencyKey: 'n2' },
    ]);
    expect(store.calls().map((c) => [c.method, c.duplicate])).toEqual([
      ['addNote', false],
      ['addNote', true],
      ['addNote', false],
    ]);
    store.failNext(1, undefined, { method: 'addNote' });
    await expect(store.addNote(ref, 'x', 'n3')).rejects.toMatchObject({ code: 'ADAPTER_FAILED' });
    await store.addNote(ref, 'x', 'n3');
    expect(store.order('o-1')?.notes).toHaveLength(3);
  });
});
