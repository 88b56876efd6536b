import {
  createEngine,
  createMemoryAlerts,
  createMemoryInventory,
  createSimulatedClock,
  createSimulatedWarehouse,
} from '@fulfil/core';
import { makeCommand, makeCommit, makeOrder } from '@fulfil/core/testing';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase } from './test-db';

// Issue 13 item 3 on the real database path: PostgreSQL refuses a NUL (22P05 in json, 22021
// in text) and a lone surrogate (22P02 in json). Before the fix, every delivery of such an
// order failed with ADAPTER_FAILED and the order was never stored.

const db = await openTestDatabase();
afterAll(() => db.drop());
beforeEach(() => db.truncate());

const T0 = Date.parse('2026-11-27T09:00:00.000Z');

function world() {
  const clock = createSimulatedClock(T0);
  const stock = { east: { 'TEE-M': 10 } };
  const alerts = createMemoryAlerts();
  const east = createSimulatedWarehouse({ name: 'east-wh', clock, locations: ['east'], stock });
  const engine = createEngine({
    storage: db.storage(),
    clock,
    alerts,
    inventory: createMemoryInventory({ stock }),
    warehouses: { 'east-wh': east },
    locations: [{ id: 'east', warehouse: 'east-wh' }],
    dispatch: { maxAttempts: 1 },
  });
  return { clock, engine, east, alerts };
}

describe(`customer text PostgreSQL refuses (${db.kind})`, () => {
  it('an order whose note holds a NUL and a lone surrogate is stored, and its history says what changed', async () => {
    const { engine, clock } = world();
    const order = makeOrder({ id: 'o-nul', note: 'ring\u0000 twice \ud800 thanks' });
    const result = await engine.ingest({
      type: 'order.received',
      idempotencyKey: 'recv-o-nul',
      occurredAt: new Date(clock.now()).toISOString(),
      order,
    });
    expect(result.status).toBe('submitted');
    const { record, history } = await engine.explain('o-nul');
    expect(record.order.note).toBe('ring twice \ufffd thanks');
    expect(history).toHaveLength(record.version);
    expect(history[0]?.explanation.sanitized).toEqual([
      { path: 'order.note', nul: 1, surrogates: 1 },
    ]);
    const [row] = await db.sql<{ note: string }>(
      `SELECT record->'order'->>'note' AS note FROM "${db.schema}".orders WHERE order_id = 'o-nul'`,
    );
    expect(row?.note).toBe('ring twice \ufffd thanks');
  });

  it('a warehouse error holding a NUL still fails the command for good and sends the order to review', async () => {
    const { engine, clock, east, alerts } = world();
    east.failAlways(true, new Error('vendor said \u0000 no'));
    await engine.ingest({
      type: 'order.received',
      idempotencyKey: 'recv-o-err',
      occurredAt: new Date(clock.now()).toISOString(),
      order: makeOrder({ id: 'o-err' }),
    });
    const record = await engine.get('o-err');
    expect(record?.status).toBe('needs_review');
    const [row] = await db.sql<{ status: string; last_error: string }>(
      `SELECT status, last_error FROM "${db.schema}".outbox WHERE type = 'warehouse.submit'`,
    );
    expect(row).toEqual({ status: 'dead', last_error: expect.stringContaining('vendor said  no') });
    await engine.dispatch();
    expect(alerts.alerts().length).toBeGreaterThan(0);
  });

  it('failCommand stores an error text holding NULs and lone surrogates', async () => {
    const storage = db.storage();
    const commit = makeCommit({ orderId: 'o-f', commands: [makeCommand('o-f')] });
    await storage.commit(commit);
    const [claimed] = await storage.claimCommands({ now: T0, limit: 1, leaseMs: 1000 });
    await storage.failCommand(claimed!.command.id, claimed!.claimToken, {
      error: 'bad \u0000 \udc00 text',
    });
    const [row] = await db.sql<{ status: string; last_error: string }>(
      `SELECT status, last_error FROM "${db.schema}".outbox`,
    );
    expect(row).toEqual({ status: 'dead', last_error: 'bad  \ufffd text' });
  });
});
