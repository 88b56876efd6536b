import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine';
import { isFulfilError } from '../../src/errors';
import { createMemoryStorage } from '../../src/memory';
import type { Storage } from '../../src/ports/storage';
import type { SubmitResult, WarehouseAdapter } from '../../src/ports/warehouse';
import { createWorld } from './world';

type Method =
  | 'load'
  | 'loadWithReserved'
  | 'reserved'
  | 'commit'
  | 'isProcessed'
  | 'markProcessed'
  | 'claimCommands'
  | 'completeCommand';

/**
 * Memory storage that counts the calls the engine makes (each would be a round trip on a
 * server). `without` hides optional features (as a storage that lacks them).
 */
function countedStorage(without: { completesInCommit?: true; loadWithReserved?: true } = {}) {
  const inner = createMemoryStorage();
  const calls: Record<Method, number> = {
    load: 0,
    loadWithReserved: 0,
    reserved: 0,
    commit: 0,
    isProcessed: 0,
    markProcessed: 0,
    claimCommands: 0,
    completeCommand: 0,
  };
  const capabilities = {
    ...inner.capabilities,
    ...(without.completesInCommit ? { completesInCommit: false } : {}),
  };
  const storage = new Proxy(inner, {
    get(target, name, receiver) {
      if (name === 'capabilities') return capabilities;
      if (name === 'loadWithReserved' && without.loadWithReserved) return undefined;
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (name in calls) calls[name as Method]++;
        return value.apply(target, args);
      };
    },
  }) as Storage;
  const reset = () => {
    for (const k of Object.keys(calls) as Method[]) calls[k] = 0;
  };
  return { inner, storage, calls, reset };
}

/** A warehouse that accepts after a timer tick and logs when each submit starts and ends. */
function slowWarehouse(name: string, log: string[], gauge: { now: number; max: number }) {
  let n = 0;
  const adapter: WarehouseAdapter = {
    name,
    capabilities: { cancel: false, holdUntil: false, inventory: false, shipmentEvents: false },
    async submit(request): Promise<SubmitResult> {
      const id = request.shipment.id;
      log.push(`start ${id}`);
      gauge.now++;
      gauge.max = Math.max(gauge.max, gauge.now);
      await new Promise((resolve) => setTimeout(resolve, 2));
      gauge.now--;
      log.push(`end ${id}`);
      return { status: 'accepted', warehouseOrderId: `${name}-${++n}` };
    },
  };
  return adapter;
}

describe('engine I/O: storage calls per order', () => {
  it('received → submitted: load with reserved stock, commit, claim, commit that completes the submit; no inbox read, no empty claim', async () => {
    const s = countedStorage();
    const w = createWorld(undefined, { storage: s.storage });
    const result = await w.engine.ingest(w.received(w.order()));
    expect(result.status).toBe('submitted');
    expect((await s.inner.load(result.orderId ?? ''))?.shipments[0]?.status).toBe('accepted');
    // The warehouse's acceptance is decided on the engine's copy of the record it committed,
    // and its commit marks the submit command done.
    expect(s.calls).toEqual({
      load: 0,
      loadWithReserved: 1,
      reserved: 0,
      commit: 2,
      isProcessed: 0,
      markProcessed: 0,
      claimCommands: 1,
      completeCommand: 0,
    });
    expect(s.inner.outbox().map((row) => row.status)).toEqual(['done']);
  });

  it('a storage without loadWithReserved and completesInCommit: load, reserved, then completeCommand after the result', async () => {
    const s = countedStorage({ completesInCommit: true, loadWithReserved: true });
    const w = createWorld(undefined, { storage: s.storage });
    const result = await w.engine.ingest(w.received(w.order()));
    expect(result.status).toBe('submitted');
    expect(s.calls).toEqual({
      load: 1,
      loadWithReserved: 0,
      reserved: 1,
      commit: 2,
      isProcessed: 0,
      markProcessed: 0,
      claimCommands: 1,
      completeCommand: 1,
    });
    expect(s.inner.outbox().map((row) => row.status)).toEqual(['done']);
  });

  it('a command without a result (an alert) is completed on its own', async () => {
    const s = countedStorage();
    const w = createWorld(undefined, { storage: s.storage });
    // No stock anywhere: the order goes to review, which alerts.
    const order = w.order({
      lines: [{ id: 'l1', sku: 'NOWHERE', quantity: 1, unitPrice: 100 }],
    });
    const result = await w.engine.ingest(w.received(order));
    const kinds = s.inner.outbox().map((row) => `${row.command.type}:${row.status}`);
    expect(kinds.length).toBeGreaterThan(0);
    expect(kinds.every((k) => k.endsWith(':done'))).toBe(true);
    expect(s.calls.completeCommand).toBe(kinds.length);
    expect(result.outcome).toBe('applied');
  });

  it('a repeated delivery: outcome duplicate, one inbox read after deciding, nothing applied twice', async () => {
    const s = countedStorage();
    const w = createWorld(undefined, { storage: s.storage });
    const event = w.received(w.order());
    await w.engine.ingest(event);
    s.reset();
    expect((await w.engine.ingest(event)).outcome).toBe('duplicate');
    // Decided on the stored record it changes nothing; the inbox then says it was a repeat.
    expect(s.calls).toMatchObject({
      load: 0,
      loadWithReserved: 1,
      commit: 0,
      isProcessed: 1,
      markProcessed: 0,
    });
    expect(w.east.orders()).toHaveLength(1);
    expect(w.engine.metrics().counters.find((c) => c.name === 'version_conflicts')).toBe(undefined);
  });

  it('a duplicate of an ignored event is reported as duplicate, not ignored again', async () => {
    const w = createWorld();
    const stale = w.event('warehouse.accepted', 'no-such-order', {
      shipmentId: 'x',
      warehouseOrderId: 'y',
    });
    expect((await w.engine.ingest(stale)).outcome).toBe('ignored');
    expect((await w.engine.ingest(stale)).outcome).toBe('duplicate');
  });

  it('an outbox result decided on a stale copy (another engine changed the order) is decided again on the stored record', async () => {
    const w = createWorld(undefined, { autoDispatch: false });
    const other = createEngine({
      storage: w.storage,
      inventory: w.inventory,
      clock: w.clock,
      warehouses: { 'east-wh': w.east, 'west-wh': w.west },
      locations: [
        { id: 'east', warehouse: 'east-wh', priority: 1 },
        { id: 'west', warehouse: 'west-wh', priority: 2 },
      ],
      autoDispatch: false,
    });
    const order = w.order({ tags: [] });
    await w.engine.ingest(w.received(order));
    const updated = await other.ingest(
      w.event('order.updated', order.id, {
        order: { ...order, tags: ['gift'], updatedAt: '2026-11-27T09:05:00Z' },
        upstreamUpdatedAt: '2026-11-27T09:05:00Z',
      }),
    );
    expect(updated.version).toBe(2);
    await w.engine.dispatch();
    const { record, history } = await w.engine.explain(order.id);
    expect(record.version).toBe(3);
    expect(history.map((h) => h.eventType)).toEqual([
      'order.received',
      'order.updated',
      'warehouse.accepted',
    ]);
    expect(record.order.tags).toEqual(['gift']);
    expect(record.shipments.map((s) => s.status)).toEqual(['accepted']);
    expect(w.east.calls.submit).toBe(1);
  });
});

describe('engine I/O: a command result and its completion', () => {
  it('a claim lost before the result commits: the result is kept, the new holder completes the row', async () => {
    const s = countedStorage();
    let steal = true;
    const storage = new Proxy(s.storage, {
      get(target, name, receiver) {
        if (name === 'commit') {
          return async (commit: Parameters<Storage['commit']>[0]) => {
            if (steal && commit.completes?.length) {
              // Another worker reclaims the row (its lease ran out) while this one runs it.
              steal = false;
              w.clock.advance(1001);
              const taken = await s.inner.claimCommands({
                now: w.clock.now(),
                limit: 10,
                leaseMs: 1000,
              });
              expect(taken).toHaveLength(1);
            }
            return s.storage.commit(commit);
          };
        }
        return Reflect.get(target, name, receiver);
      },
    });
    const w = createWorld(undefined, { storage, dispatch: { leaseMs: 1000 } });
    const order = w.order();
    const result = await w.engine.ingest(w.received(order));
    expect(result.status).toBe('submitted');
    expect((await w.engine.get(order.id))?.shipments.map((x) => x.status)).toEqual(['accepted']);
    // The stale token did not complete the row: it is still claimed by the other worker.
    expect(s.inner.outbox().map((row) => row.status)).toEqual(['claimed']);
    w.clock.advance(1001);
    expect((await w.engine.dispatch()).done).toBe(1);
    expect(w.east.orders()).toHaveLength(1);
    expect((await w.engine.explain(order.id)).history).toHaveLength(2);
    expect(s.inner.outbox().map((row) => row.status)).toEqual(['done']);
  });
});

describe('engine I/O: a worker dying between a result and marking its command done (storage without completesInCommit)', () => {
  it('keeps the result; the repeat after the lease is an idempotent submit and a duplicate result', async () => {
    const s = countedStorage({ completesInCommit: true });
    let crash = true;
    const storage = new Proxy(s.storage, {
      get(target, name, receiver) {
        if (name === 'completeCommand' && crash) {
          return async () => {
            crash = false;
            throw new Error('worker died');
          };
        }
        return Reflect.get(target, name, receiver);
      },
    });
    const w = createWorld(undefined, { storage, dispatch: { leaseMs: 1000 } });
    const order = w.order();
    // The event is stored: ingest resolves and reports the failed dispatch.
    const r = await w.engine.ingest(w.received(order));
    expect(r).toMatchObject({ outcome: 'applied', dispatch: { status: 'failed' } });
    expect(String(r.dispatch?.error)).toContain('worker died');
    // The acceptance was recorded before the row would have been marked done.
    expect((await w.engine.get(order.id))?.shipments.map((x) => x.status)).toEqual(['accepted']);
    w.clock.advance(1001);
    expect((await w.engine.dispatch()).done).toBe(1);
    expect(w.east.calls.submit).toBe(2);
    expect(w.east.orders()).toHaveLength(1);
    const { record, history } = await w.engine.explain(order.id);
    expect(history).toHaveLength(2);
    expect(record.version).toBe(2);
    expect(s.inner.outbox().map((row) => row.status)).toEqual(['done']);
  });
});

describe('engine I/O: dispatching claimed commands a few at a time', () => {
  function gatedWorld(concurrency: number) {
    const log: string[] = [];
    const gauge = { now: 0, max: 0 };
    const storage = createMemoryStorage();
    const engine = createEngine({
      storage,
      warehouses: {
        'east-wh': slowWarehouse('east-wh', log, gauge),
        'west-wh': slowWarehouse('west-wh', log, gauge),
      },
      inventory: createWorld({ east: { 'TEE-M': 100 }, west: { MUG: 100 } }).inventory,
      locations: [
        { id: 'east', warehouse: 'east-wh', priority: 1 },
        { id: 'west', warehouse: 'west-wh', priority: 2 },
      ],
      autoDispatch: false,
      dispatch: { concurrency },
    });
    return { log, gauge, storage, engine };
  }

  it('runs up to `concurrency` orders at once; one order’s commands one after another, in commit order', async () => {
    const g = gatedWorld(3);
    const w = createWorld();
    const split = w.order({
      lines: [
        { id: 'l1', sku: 'TEE-M', quantity: 1, unitPrice: 2500 },
        { id: 'l2', sku: 'MUG', quantity: 1, unitPrice: 1200 },
      ],
    });
    await g.engine.ingest(w.received(split));
    for (let i = 0; i < 5; i++) await g.engine.ingest(w.received(w.order()));
    const report = await g.engine.dispatch();
    expect(report).toEqual({ done: 7, retried: 0, failed: 0 });
    expect(g.gauge.max).toBe(3);
    const mine = g.storage
      .outbox()
      .filter((row) => row.command.orderId === split.id && row.command.type === 'warehouse.submit')
      .map((row) => (row.command as { request: { shipment: { id: string } } }).request.shipment.id);
    expect(mine).toHaveLength(2);
    const steps = g.log.filter((line) => mine.some((id) => line.endsWith(` ${id}`)));
    expect(steps).toEqual([
      `start ${mine[0]}`,
      `end ${mine[0]}`,
      `start ${mine[1]}`,
      `end ${mine[1]}`,
    ]);
    const record = await g.engine.get(split.id);
    expect(record?.shipments.map((s) => s.status)).toEqual(['accepted', 'accepted']);
  });

  it('concurrency 1 runs one command at a time', async () => {
    const g = gatedWorld(1);
    const w = createWorld();
    for (let i = 0; i < 4; i++) await g.engine.ingest(w.received(w.order()));
    expect((await g.engine.dispatch()).done).toBe(4);
    expect(g.gauge.max).toBe(1);
  });

  it('rejects a bad dispatch setting with CONFIG_INVALID naming it', () => {
    const w = createWorld();
    let error: unknown;
    try {
      createEngine({
        storage: w.storage,
        warehouses: { 'east-wh': w.east },
        locations: [{ id: 'east', warehouse: 'east-wh' }],
        dispatch: { concurrency: 0 },
      });
    } catch (err) {
      error = err;
    }
    expect(isFulfilError(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toContain('dispatch.concurrency');
  });
});
