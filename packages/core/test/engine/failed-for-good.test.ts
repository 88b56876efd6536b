import { describe, expect, it } from 'vitest';
import { FulfilError } from '../../src/errors';
import { createMemoryStorage } from '../../src/memory';
import { commitKey, faultyStorage, type StorageCall, type StorageFault } from './faulty-storage';
import { createWorld } from './world';

const refused = () =>
  new FulfilError('ADAPTER_FAILED', 'east-wh: account suspended', {
    details: { retryable: false },
  });

/**
 * A world whose warehouse refuses every submit for good and whose storage fails as `fault`
 * says. Returns it with the inner storage (to inspect) and `settle()`: moves the clock past
 * every retry and lease and dispatches until the outbox is quiet.
 */
function refusingWorld(fault: StorageFault) {
  const inner = createMemoryStorage();
  const w = createWorld(undefined, {
    storage: faultyStorage(inner, fault),
    dispatch: { maxAttempts: 3, backoffMs: 1000, leaseMs: 5000 },
  });
  w.east.failAlways(true, refused());
  w.west.failAlways(true, refused());
  const settle = async () => {
    for (let i = 0; i < 10; i++) {
      w.clock.advance(60_000);
      await w.engine.dispatch().catch(() => undefined);
    }
  };
  return { ...w, inner, settle };
}

/** Faults the first call that `match` picks, `when` (before or after it took effect). */
function once(match: (call: StorageCall) => boolean, when: 'before' | 'after'): StorageFault {
  let done = false;
  return (call) => {
    if (done || !match(call)) return undefined;
    done = true;
    return when;
  };
}

const failedCommit = (call: StorageCall) => commitKey(call)?.startsWith('failed:') === true;
const markDead = (call: StorageCall) =>
  call.method === 'failCommand' &&
  (call.args[2] as { retryAt?: number } | undefined)?.retryAt === undefined;

async function expectReviewedAndAlerted(w: ReturnType<typeof refusingWorld>, orderId: string) {
  const record = await w.engine.get(orderId);
  expect(record?.status).toBe('needs_review');
  const alerts = w.alerts.alerts().filter((a) => a.orderId === orderId);
  expect(alerts).toHaveLength(1);
  expect(alerts[0]?.message).toContain('warehouse.submit failed for good');
  const rows = w.inner.outbox();
  expect(rows.filter((r) => r.command.type === 'warehouse.submit').map((r) => r.status)).toEqual([
    'dead',
  ]);
  expect(rows.filter((r) => r.command.type === 'alert').map((r) => r.status)).toEqual(['done']);
}

describe('approving an order whose submit failed for good', () => {
  it('routes its units again (the failed shipment is marked rejected, not counted as placed)', async () => {
    const w = refusingWorld(() => undefined);
    const order = w.order();
    await w.engine.ingest(w.received(order));
    const failed = await w.engine.get(order.id);
    expect(failed?.shipments.map((s) => s.status)).toEqual(['rejected']);
    w.east.failAlways(false);
    w.west.failAlways(false);
    const r = await w.engine.ingest({
      type: 'review.resolved',
      idempotencyKey: 'approve-1',
      occurredAt: new Date(w.clock.now()).toISOString(),
      orderId: order.id,
      resolution: 'approve',
      by: 'ops',
    });
    expect(r.status).toBe('submitted');
    const record = await w.engine.get(order.id);
    expect(record?.shipments.map((s) => s.status)).toEqual(['rejected', 'accepted']);
  });
});

describe('a command that fails for good always reaches review with an alert', () => {
  it('without faults: review and alert in the same ingest', async () => {
    const w = refusingWorld(() => undefined);
    const order = w.order();
    const r = await w.engine.ingest(w.received(order));
    expect(r.dispatch?.status).toBe('done');
    await expectReviewedAndAlerted(w, order.id);
  });

  it('the commit of command.failed fails: the command stays claimable and is raised again', async () => {
    const w = refusingWorld(once(failedCommit, 'before'));
    const order = w.order();
    const r = await w.engine.ingest(w.received(order));
    expect(r).toMatchObject({ outcome: 'applied', dispatch: { status: 'failed' } });
    expect((await w.engine.get(order.id))?.status).toBe('submitted');
    // Not dead: a later run raises it again.
    expect(w.inner.outbox().map((row) => row.status)).toEqual(['pending']);
    await w.settle();
    await expectReviewedAndAlerted(w, order.id);
  });

  it('the commit of command.failed took effect but its answer was lost: marked dead without running again', async () => {
    const w = refusingWorld(once(failedCommit, 'after'));
    const order = w.order();
    await w.engine.ingest(w.received(order));
    const submits = w.east.calls.submit;
    await w.settle();
    await expectReviewedAndAlerted(w, order.id);
    expect(w.east.calls.submit).toBe(submits);
  });

  it('marking the row dead fails after the event was committed: the next claim only finishes it', async () => {
    for (const when of ['before', 'after'] as const) {
      const w = refusingWorld(once(markDead, when));
      const order = w.order();
      await w.engine.ingest(w.received(order));
      const submits = w.east.calls.submit;
      await w.settle();
      await expectReviewedAndAlerted(w, order.id);
      expect(w.east.calls.submit).toBe(submits);
    }
  });

  it('the storage is down for the commit and for the retry mark: the lease brings the row back', async () => {
    // The first command.failed commit fails, and so does the write right after it.
    let step: 'up' | 'down' | 'over' = 'up';
    const w = refusingWorld((call) => {
      if (step === 'up' && failedCommit(call)) {
        step = 'down';
        return 'before';
      }
      if (step === 'down') {
        step = 'over';
        expect(call.method).toBe('failCommand');
        return 'before';
      }
      return undefined;
    });
    const order = w.order();
    await w.engine.ingest(w.received(order));
    expect(w.inner.outbox(w.clock.now()).map((row) => row.status)).toEqual(['claimed']);
    await w.settle();
    await expectReviewedAndAlerted(w, order.id);
  });

  it('an alert sink failing longer than maxAttempts still delivers the alert; one refusing for good does not loop', async () => {
    const w = refusingWorld(() => undefined);
    w.alerts.failNext(8); // maxAttempts is 3
    const order = w.order();
    await w.engine.ingest(w.received(order));
    expect(w.alerts.alerts()).toHaveLength(0);
    await w.settle();
    await expectReviewedAndAlerted(w, order.id);
    const refused = refusingWorld(() => undefined);
    refused.alerts.failNext(
      1,
      new FulfilError('ADAPTER_FAILED', 'channel not found', { details: { retryable: false } }),
    );
    await refused.engine.ingest(refused.received(refused.order()));
    await refused.settle();
    const alertRows = refused.inner.outbox().filter((r) => r.command.type === 'alert');
    expect(alertRows.map((r) => [r.status, r.attempts])).toEqual([['dead', 1]]);
  });

  it('every storage call of the path failing once, before or after it took effect, still ends in review with an alert', async () => {
    // Count the calls of a clean run, then fault each one in turn.
    let calls = 0;
    const clean = refusingWorld(() => {
      calls++;
      return undefined;
    });
    await clean.engine.ingest(clean.received(clean.order()));
    await clean.settle();
    for (let n = 1; n <= calls; n++) {
      for (const when of ['before', 'after'] as const) {
        let seen = 0;
        const w = refusingWorld(() => (++seen === n ? when : undefined));
        const order = w.order();
        // A failed ingest is redelivered, as a store does with a 5xx.
        const event = w.received(order);
        for (let i = 0; i < 3; i++) {
          const ok = await w.engine.ingest(event).then(
            () => true,
            () => false,
          );
          if (ok) break;
        }
        await w.settle();
        await expectReviewedAndAlerted(w, order.id);
      }
    }
  });
});

describe("a person's retry of a dead command (insights.retryCommand)", () => {
  it('runs it again; accepted, the order leaves the review it was in only for that failure', async () => {
    const w = refusingWorld(() => undefined);
    const order = w.order();
    await w.engine.ingest(w.received(order));
    const dead = w.inner.outbox().find((r) => r.command.type === 'warehouse.submit');
    expect(dead?.status).toBe('dead');
    const submits = w.east.calls.submit + w.west.calls.submit;
    w.east.failAlways(false);
    w.west.failAlways(false);
    await w.inner.insights.retryCommand(dead?.command.id as string);
    await w.engine.dispatch();
    expect(w.east.calls.submit + w.west.calls.submit).toBe(submits + 1);
    const row = w.inner.outbox().find((r) => r.command.id === dead?.command.id);
    expect(row?.status).toBe('done');
    const record = await w.engine.get(order.id);
    expect(record?.status).toBe('submitted');
    expect(record?.review).toBeUndefined();
    expect(record?.shipments.map((s) => s.status)).toEqual(['accepted']);
  });

  it('failing for good again raises a second review and alert (a key per round)', async () => {
    const w = refusingWorld(() => undefined);
    const order = w.order();
    await w.engine.ingest(w.received(order));
    const dead = w.inner.outbox().find((r) => r.command.type === 'warehouse.submit');
    await w.inner.insights.retryCommand(dead?.command.id as string);
    await w.settle();
    const alerts = w.alerts.alerts().filter((a) => a.orderId === order.id);
    expect(
      alerts.filter((a) => a.message.includes('warehouse.submit failed for good')),
    ).toHaveLength(2);
    expect(w.inner.outbox().find((r) => r.command.id === dead?.command.id)?.status).toBe('dead');
    expect(await w.inner.isProcessed(`failed:${dead?.command.id}:retry1`)).toBe(true);
  });

  it('the retried round raised its failure and crashed before marking the row dead: finished without running again', async () => {
    let armed = false;
    const w = refusingWorld((call) => {
      if (!armed || !markDead(call)) return undefined;
      armed = false;
      return 'before';
    });
    const order = w.order();
    await w.engine.ingest(w.received(order));
    const dead = w.inner.outbox().find((r) => r.command.type === 'warehouse.submit');
    armed = true;
    await w.inner.insights.retryCommand(dead?.command.id as string);
    await w.engine.dispatch().catch(() => undefined);
    const submits = w.east.calls.submit + w.west.calls.submit;
    // Raised (alert committed), but not marked dead: the row is still held.
    expect(w.inner.outbox().find((r) => r.command.id === dead?.command.id)?.status).toBe('claimed');
    expect(await w.inner.isProcessed(`failed:${dead?.command.id}:retry1`)).toBe(true);
    await w.settle();
    expect(w.east.calls.submit + w.west.calls.submit).toBe(submits);
    expect(w.inner.outbox().find((r) => r.command.id === dead?.command.id)?.status).toBe('dead');
  });
});
