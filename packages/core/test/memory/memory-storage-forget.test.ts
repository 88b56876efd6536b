import { describe, expect, it } from 'vitest';
import {
  createEngine,
  createMemoryStorage,
  createSimulatedClock,
  createSimulatedWarehouse,
} from '../../src';

describe('MemoryStorage.forget', () => {
  it('drops records, histories and the given inbox keys; nothing else', async () => {
    const clock = createSimulatedClock('2026-11-02T10:00:00Z');
    const storage = createMemoryStorage();
    const engine = createEngine({
      storage,
      clock,
      warehouses: {
        w: createSimulatedWarehouse({
          name: 'w',
          clock,
          locations: ['east'],
          stock: { east: { MUG: 5 } },
        }),
      },
      locations: [{ id: 'east', warehouse: 'w' }],
    });
    const order = (id: string) => ({
      id,
      source: { channel: 'test', store: 's', externalId: id },
      lines: [{ id: '1', sku: 'MUG', quantity: 1, unitPrice: 100 }],
      paymentStatus: 'paid' as const,
      currency: 'USD',
      totals: { subtotal: 100, total: 100 },
      createdAt: '2026-11-02T10:00:00Z',
      updatedAt: '2026-11-02T10:00:00Z',
    });
    for (const id of ['a', 'b'])
      await engine.ingest({
        type: 'order.received',
        idempotencyKey: `k-${id}`,
        occurredAt: '2026-11-02T10:00:00Z',
        order: order(id),
      });
    storage.forget(['a'], ['k-a']);
    expect(await storage.load('a')).toBeUndefined();
    expect(await storage.history('a')).toEqual([]);
    expect(await storage.isProcessed('k-a')).toBe(false);
    expect((await storage.load('b'))?.status).toBe('submitted');
    expect(await storage.isProcessed('k-b')).toBe(true);
    expect((await storage.listOrders({})).map((r) => r.orderId)).toEqual(['b']);
  });
});
