import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createEngine,
  createMemoryAlerts,
  createMemoryInventory,
  createSimulatedClock,
  createSimulatedWarehouse,
  FulfilError,
  type OrderEventInput,
} from '@fulfil/core';
import { makeOrder } from '@fulfil/core/testing';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../packages/storage-postgres/test/test-db';

// docs/runbook.md, "Re-running a failed command": its SQL, run as written on a dead
// warehouse.submit, makes the dispatcher submit the order; so does an approval alone.

const db = await openTestDatabase();
afterAll(() => db.drop());
beforeEach(() => db.truncate());

const T0 = Date.parse('2026-11-27T09:00:00.000Z');

/** The first SQL block after `heading` in docs/runbook.md, on `schema`, its `'<...>'` as $1. */
function runbookSql(heading: string, schema: string): string {
  const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'runbook.md'), 'utf8');
  const at = doc.indexOf(heading);
  const sql = at < 0 ? undefined : /```sql\n([\s\S]*?)```/.exec(doc.slice(at))?.[1];
  if (!sql) throw new Error(`docs/runbook.md: no SQL block under "${heading}"`);
  return sql.replaceAll('fulfil.', `"${schema}".`).replace(/'<[a-z ]+>'/, '$1');
}

const runbookRequeueSql = (schema: string) => runbookSql('## Re-running a failed command', schema);

function world(shipAfterMs = 0) {
  const clock = createSimulatedClock(T0);
  const stock = { east: { 'TEE-M': 10 } };
  const east = createSimulatedWarehouse({
    name: 'east-wh',
    clock,
    locations: ['east'],
    stock,
    shipAfterMs,
  });
  const alerts = createMemoryAlerts();
  const engine = createEngine({
    storage: db.storage(),
    inventory: createMemoryInventory({ stock }),
    clock,
    alerts,
    warehouses: { 'east-wh': east },
    locations: [{ id: 'east', warehouse: 'east-wh' }],
    dispatch: { maxAttempts: 2, backoffMs: 10 },
  });
  let seq = 0;
  const at = () => new Date(clock.now()).toISOString();
  const event = (e: Record<string, unknown>) =>
    ({ idempotencyKey: `e-${++seq}`, occurredAt: at(), ...e }) as OrderEventInput;
  return { clock, east, alerts, engine, event };
}

async function failedForGood(w: ReturnType<typeof world>) {
  w.east.failAlways(
    true,
    new FulfilError('ADAPTER_FAILED', 'east-wh: account suspended', {
      details: { retryable: false },
    }),
  );
  const order = makeOrder();
  await w.engine.ingest(w.event({ type: 'order.received', order }));
  const rows = await db.sql<{ id: string; status: string }>(
    `SELECT id, status FROM "${db.schema}".outbox WHERE type = 'warehouse.submit'`,
  );
  expect(rows.map((r) => r.status)).toEqual(['dead']);
  expect((await w.engine.get(order.id))?.status).toBe('needs_review');
  w.east.failAlways(false);
  return { orderId: order.id, commandId: rows[0]?.id as string };
}

/** Lets the simulated warehouse ship and the engine see it. */
async function ship(w: ReturnType<typeof world>) {
  for (let i = 0; i < 3; i++) {
    w.clock.advance(48 * 3_600_000);
    await w.engine.runDue();
    await w.engine.pollWarehouses();
  }
}

const approve = (w: ReturnType<typeof world>, orderId: string) =>
  w.engine.ingest(w.event({ type: 'review.resolved', orderId, resolution: 'approve', by: 'ops' }));

describe('runbook: re-running a failed command (storage-postgres)', () => {
  it('the runbook SQL brings a dead warehouse.submit back: submitted, and the order ships', async () => {
    const w = world();
    const { orderId, commandId } = await failedForGood(w);
    await db.sql(runbookRequeueSql(db.schema), [commandId]);
    w.clock.advance(60_000);
    await w.engine.dispatch();
    expect(w.east.orders()).toHaveLength(1);
    let record = await w.engine.get(orderId);
    // The failed submit was the only review reason: the order leaves review by itself.
    expect(record?.status).toBe('submitted');
    expect(record?.review).toBeUndefined();
    expect(record?.shipments.map((s) => s.status)).toEqual(['accepted']);
    await ship(w);
    record = await w.engine.get(orderId);
    expect(record?.status).toBe('shipped');
    expect(w.east.duplicateSubmits).toBe(0);
  });

  // Once the gaps the runbook used to warn about: an approval routes the failed shipment's
  // units again, and an approval after the re-run lets the order follow its shipment.
  it('an approval alone submits again (the failed shipment no longer counts as placed) and the order ships', async () => {
    const w = world();
    const { orderId } = await failedForGood(w);
    await approve(w, orderId);
    w.clock.advance(60_000);
    await w.engine.dispatch();
    await ship(w);
    expect(w.east.orders()).toHaveLength(1);
    const record = await w.engine.get(orderId);
    expect(record?.status).toBe('shipped');
    expect(record?.shipments.map((s) => s.status)).toEqual(['rejected', 'shipped']);
    expect(w.east.duplicateSubmits).toBe(0);
  });

  it('a re-run accepted after an approval had routed the units again is cancelled at the warehouse', async () => {
    // The warehouse ships an hour after accepting: time enough to cancel the late shipment.
    const w = world(3_600_000);
    const { orderId, commandId } = await failedForGood(w);
    await approve(w, orderId);
    await db.sql(runbookRequeueSql(db.schema), [commandId]);
    w.clock.advance(60_000);
    await w.engine.dispatch();
    await w.engine.dispatch();
    await ship(w);
    const record = await w.engine.get(orderId);
    expect(record?.status).toBe('shipped');
    expect(record?.shipments.map((s) => s.status)).toEqual(['cancelled', 'shipped']);
    // Both submits reached the warehouse; the late one was cancelled there.
    expect(w.east.orders().map((o) => o.status)).toContain('cancelled');
    expect(w.east.orders().filter((o) => o.status !== 'cancelled')).toHaveLength(1);
  });

  it('an approval after the re-run: the order follows its shipment to shipped', async () => {
    const w = world();
    const { orderId, commandId } = await failedForGood(w);
    await db.sql(runbookRequeueSql(db.schema), [commandId]);
    w.clock.advance(60_000);
    await w.engine.dispatch();
    await approve(w, orderId);
    await ship(w);
    const record = await w.engine.get(orderId);
    expect(record?.status).toBe('shipped');
    expect(record?.shipments.map((s) => s.status)).toEqual(['shipped']);
    expect(w.east.orders()).toHaveLength(1);
  });
});

describe('runbook: delivery.dead (storage-postgres)', () => {
  it('the runbook SQL makes a dead delivery claimable again, as received', async () => {
    const queue = db.storage().deliveries;
    const body = new TextEncoder().encode('{"id":1}');
    const delivery = { key: 'shopify:a:1', source: 'shopify', headers: {}, body, receivedAt: T0 };
    expect(await queue.enqueue(delivery)).toBe('queued');
    const [claimed] = await queue.claim({ now: T0, limit: 10, leaseMs: 30_000 });
    await queue.fail(delivery.key, claimed?.claimToken as string, { error: 'bad payload' });
    expect(await queue.stats()).toEqual({ pending: 0, dead: 1 });
    expect(await queue.claim({ now: T0 + 1, limit: 10, leaseMs: 30_000 })).toEqual([]);
    await db.sql(runbookSql('### `delivery.dead`', db.schema), [delivery.key]);
    expect(await queue.stats()).toEqual({ pending: 1, dead: 0 });
    const again = await queue.claim({ now: T0 + 2, limit: 10, leaseMs: 30_000 });
    expect(again.map((c) => [c.delivery.key, c.attempts])).toEqual([[delivery.key, 0]]);
    expect(Buffer.from(again[0]?.delivery.body ?? []).toString()).toBe('{"id":1}');
  });
});
