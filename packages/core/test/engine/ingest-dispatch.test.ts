import { describe, expect, it } from 'vitest';
import type { EngineErrorContext } from '../../src/engine';
import { createMemoryStorage } from '../../src/memory';
import type { WarehouseAdapter } from '../../src/ports/warehouse';
import { faultyStorage } from './faulty-storage';
import { createWorld } from './world';

/**
 * Wraps a warehouse so that every `submit` waits until `release()` (a warehouse that hangs),
 * then goes through. `started` counts the submits that began.
 */
function hanging(inner: WarehouseAdapter) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const state = { started: 0 };
  const adapter: WarehouseAdapter = {
    ...inner,
    name: inner.name,
    capabilities: inner.capabilities,
    async submit(request, key) {
      state.started++;
      await gate;
      return inner.submit(request, key);
    },
  };
  return { adapter, state, release: () => open() };
}

/** Resolves with `p`'s value, or with 'pending' if it has not settled after a few ticks. */
async function soon<T>(p: Promise<T>): Promise<T | 'pending'> {
  const tick = new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), 50));
  return Promise.race([p, tick]);
}

describe('ingest: stored is separate from dispatched', () => {
  it("dispatch 'background' resolves once the event is committed, with a hanging warehouse; the command runs later", async () => {
    const base = createWorld();
    const east = hanging(base.east);
    const w = createWorld(undefined, {
      warehouses: { 'east-wh': east.adapter, 'west-wh': base.west },
    });
    const order = w.order();
    const result = await soon(w.engine.ingest(w.received(order), { dispatch: 'background' }));
    expect(result).toMatchObject({
      outcome: 'applied',
      status: 'submitted',
      dispatch: { status: 'background' },
    });
    // Stored, and the submit is under way (hanging).
    expect((await w.engine.get(order.id))?.shipments.map((s) => s.status)).toEqual(['pending']);
    expect(east.state.started).toBe(1);
    expect(await soon(w.engine.idle())).toBe('pending');
    // More webhooks are answered at once while it hangs.
    const second = w.order();
    expect(
      await soon(w.engine.ingest(w.received(second), { dispatch: 'background' })),
    ).toMatchObject({ outcome: 'applied', dispatch: { status: 'background' } });
    east.release();
    await w.engine.idle();
    expect((await w.engine.get(order.id))?.shipments.map((s) => s.status)).toEqual(['accepted']);
    expect((await w.engine.get(second.id))?.shipments.map((s) => s.status)).toEqual(['accepted']);
    expect(base.east.orders()).toHaveLength(2);
  });

  it("the default stays 'wait' (dispatch done) with autoDispatch, 'none' without; no background work without it", async () => {
    const w = createWorld();
    const r = await w.engine.ingest(w.received(w.order()));
    expect(r.dispatch).toMatchObject({ status: 'done', report: { done: 1 } });
    const off = createWorld(undefined, { autoDispatch: false });
    const order = off.order();
    expect((await off.engine.ingest(off.received(order))).dispatch).toEqual({ status: 'skipped' });
    // Without autoDispatch the engine starts no background work (a Lambda would freeze it);
    // an explicit 'wait' still runs the outbox.
    const later = await off.engine.ingest(off.received(off.order()), { dispatch: 'background' });
    expect(later.dispatch).toEqual({ status: 'skipped' });
    expect(off.east.calls.submit).toBe(0);
    const now = await off.engine.ingest(off.received(off.order()), { dispatch: 'wait' });
    expect(now.dispatch).toMatchObject({ status: 'done', report: { done: 3 } });
    const repeat = await w.engine.ingest({ ...w.received(order), idempotencyKey: 'k1' });
    expect(repeat.dispatch?.status).toBe('done');
    expect(
      (await w.engine.ingest({ ...w.received(order), idempotencyKey: 'k1' })).dispatch,
    ).toEqual({ status: 'skipped' });
  });

  it('a claim failing after the commit: ingest resolves with the failure, the event is stored, onError is told', async () => {
    const inner = createMemoryStorage();
    let failClaims = 1;
    const errors: { error: unknown; context: EngineErrorContext }[] = [];
    const w = createWorld(undefined, {
      storage: faultyStorage(inner, (call) =>
        call.method === 'claimCommands' && failClaims-- > 0 ? 'before' : undefined,
      ),
      onError: (error, context) => errors.push({ error, context }),
    });
    const order = w.order();
    const event = w.received(order);
    const r = await w.engine.ingest(event);
    expect(r).toMatchObject({ outcome: 'applied', status: 'submitted' });
    expect(r.dispatch?.status).toBe('failed');
    expect(String(r.dispatch?.error)).toContain('storage down: claimCommands');
    expect((await w.engine.get(order.id))?.version).toBe(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.context).toEqual({
      stage: 'dispatch',
      orderId: order.id,
      idempotencyKey: event.idempotencyKey,
    });
    const counted = w.engine.metrics().counters.find((c) => c.name === 'dispatch_errors');
    expect(counted).toMatchObject({ labels: { stage: 'dispatch' }, value: 1 });
    // The command is still in the outbox and runs on the next dispatch.
    expect((await w.engine.dispatch()).done).toBe(1);
    expect(w.east.orders()).toHaveLength(1);
  });

  it('a background dispatch that fails is reported to onError, never as an unhandled rejection', async () => {
    const inner = createMemoryStorage();
    let failClaims = 1;
    const errors: EngineErrorContext[] = [];
    const w = createWorld(undefined, {
      storage: faultyStorage(inner, (call) =>
        call.method === 'claimCommands' && failClaims-- > 0 ? 'before' : undefined,
      ),
      onError: (_error, context) => {
        errors.push(context);
        throw new Error('a throwing hook is ignored');
      },
    });
    const order = w.order();
    const r = await w.engine.ingest(w.received(order), { dispatch: 'background' });
    expect(r.dispatch).toEqual({ status: 'background' });
    await w.engine.idle();
    expect(errors.map((c) => c.stage)).toEqual(['background-dispatch']);
    expect((await w.engine.dispatch()).done).toBe(1);
  });

  it('an unknown dispatch mode is refused before anything is stored', async () => {
    const w = createWorld();
    const order = w.order();
    await expect(
      w.engine.ingest(w.received(order), { dispatch: 'later' as never }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(await w.engine.get(order.id)).toBeUndefined();
  });
});
