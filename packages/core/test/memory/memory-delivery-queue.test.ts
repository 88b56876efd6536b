import { describe, expect, it } from 'vitest';
import { createMemoryDeliveryQueue, createSimulatedClock } from '../../src/memory';
import type { RawDelivery } from '../../src/ports/deliveries';

const delivery = (n: number, receivedAt = n): RawDelivery => ({
  key: `k${n}`,
  source: 'test',
  headers: {},
  body: new Uint8Array([n & 0xff]),
  receivedAt,
});

describe('createMemoryDeliveryQueue', () => {
  it('rows() shows pending deliveries in claim order, then finished ones stamped by the clock', async () => {
    const clock = createSimulatedClock('2026-12-01T00:00:00Z');
    const queue = createMemoryDeliveryQueue({ clock });
    await queue.enqueue(delivery(2));
    await queue.enqueue(delivery(1));
    await queue.enqueue(delivery(3));
    const [first, second] = await queue.claim({ now: 0, limit: 2, leaseMs: 1_000 });
    clock.advance(5);
    await queue.complete(first!.delivery.key, first!.claimToken);
    await queue.fail(second!.delivery.key, second!.claimToken, { error: 'bad body' });
    const rows = queue.rows();
    expect(rows.map((r) => [r.key, r.status])).toEqual([
      ['k3', 'pending'],
      ['k2', 'dead'],
      ['k1', 'done'],
    ]);
    // A done row keeps only its key; a dead one keeps the delivery and the error.
    expect(rows[2]).toEqual({
      key: 'k1',
      status: 'done',
      attempts: 1,
      dueAt: 1_000,
      finishedAt: clock.now(),
    });
    expect(rows[1]).toMatchObject({
      error: 'bad body',
      finishedAt: clock.now(),
      delivery: delivery(2),
    });
  });

  it('keeps up with a 20,000-delivery backlog claimed and completed in batches', async () => {
    const queue = createMemoryDeliveryQueue();
    // No timing assertion (the machine is shared): a queue that rescans its backlog per claim
    // is quadratic here (2·10^8 row visits) and runs into the test timeout instead.
    for (let n = 0; n < 20_000; n++) await queue.enqueue(delivery(n, 1_000 + (n % 7)));
    let done = 0;
    for (;;) {
      const batch = await queue.claim({ now: 0, limit: 100, leaseMs: 60_000 });
      if (batch.length === 0) break;
      for (const row of batch) await queue.complete(row.delivery.key, row.claimToken);
      done += batch.length;
    }
    expect(done).toBe(20_000);
    expect(await queue.stats()).toEqual({ pending: 0, dead: 0 });
  });
});
