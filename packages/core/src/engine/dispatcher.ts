import { FulfilError, isFulfilError } from '../errors';
import type { Command } from '../model/commands';
import type { OrderEvent } from '../model/events';
import type { OrderRecord } from '../model/record';
import { sanitizeText } from '../model/sanitize-text';
import type { Clock } from '../ports/clock';
import type { AlertSink, Metrics } from '../ports/services';
import type { ClaimedCommand, CommandCompletion, Storage } from '../ports/storage';
import type { StoreAdapter, StoreOrderRef } from '../ports/store';
import type { WarehouseAdapter } from '../ports/warehouse';

/** What the dispatcher needs. */
export interface DispatcherDeps {
  storage: Storage;
  warehouses: Record<string, WarehouseAdapter>;
  store?: StoreAdapter;
  alerts?: AlertSink;
  clock: Clock;
  metrics: Metrics;
  maxAttempts: number;
  backoffMs: number;
  leaseMs: number;
  batch: number;
  /** Claimed commands run at once, at most (one order's commands never overlap). */
  concurrency: number;
  /**
   * Feeds results back (warehouse accepted/rejected, command failed). With `completion`, the
   * storage may mark the command done in the result's commit: resolves `true` when it did.
   */
  feed: (event: OrderEvent, completion?: CommandCompletion) => Promise<boolean>;
  /** Reads an order's record (store commands need its store ids). */
  load: (orderId: string) => Promise<OrderRecord | undefined>;
  /**
   * How many commands this engine has committed so far. A round that claimed fewer rows
   * than `batch` ends the drain unless this grew meanwhile (fed results, or an `ingest`
   * running alongside, committed new commands), which saves the claim that finds nothing.
   */
  committed: () => number;
}

/** Result of one `dispatch()` run. */
export interface DispatchReport {
  done: number;
  retried: number;
  failed: number;
}

/**
 * Drains the outbox: claims due commands, runs each through its adapter with its
 * idempotency key, feeds results back as events, retries failures with exponential
 * backoff, and turns a command that keeps failing into a `command.failed` event.
 * Commands of different orders run side by side (at most `concurrency`); one order's
 * commands run one after another in commit order.
 */
export async function drainOutbox(deps: DispatcherDeps): Promise<DispatchReport> {
  const report: DispatchReport = { done: 0, retried: 0, failed: 0 };
  for (;;) {
    const committed = deps.committed();
    const claimed = await deps.storage.claimCommands({
      now: deps.clock.now(),
      limit: deps.batch,
      leaseMs: deps.leaseMs,
    });
    if (claimed.length === 0) return report;
    await runClaimed(deps, claimed, report);
    if (claimed.length < deps.batch && deps.committed() === committed) return report;
  }
}

/**
 * Runs one claim's rows: a queue per order (in claim order, which is commit order), up to
 * `concurrency` queues at once. After a failure no further queue starts; the ones running
 * finish, then the first error is thrown (unstarted rows stay claimed until their lease ends).
 */
async function runClaimed(
  deps: DispatcherDeps,
  claimed: ClaimedCommand[],
  report: DispatchReport,
): Promise<void> {
  const byOrder = new Map<string, ClaimedCommand[]>();
  for (const row of claimed) {
    const queue = byOrder.get(row.command.orderId);
    if (queue) queue.push(row);
    else byOrder.set(row.command.orderId, [row]);
  }
  const queues = [...byOrder.values()];
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && next < queues.length) {
      const queue = queues[next++] as ClaimedCommand[];
      try {
        for (const row of queue) await runOne(deps, row, report);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const workers = Math.max(1, Math.min(deps.concurrency, queues.length));
  await Promise.all(Array.from({ length: workers }, worker));
  if (failure) throw failure.error;
}

async function runOne(
  deps: DispatcherDeps,
  row: ClaimedCommand,
  report: DispatchReport,
): Promise<void> {
  const { command } = row;
  const started = performance.now();
  if (row.attempts > 0 && (await raisedBefore(deps, row))) {
    // An earlier run raised this command's exception (order in review, alert queued) and
    // then crashed before marking the row dead: finish that, do not run it again. A row a
    // person re-queued (`insights.retryCommand`) is a new round with its own key: it runs.
    await settle(() =>
      deps.storage.failCommand(command.id, row.claimToken, { error: 'failed for good earlier' }),
    );
    report.failed++;
    return;
  }
  let result: OrderEvent | undefined;
  try {
    result = await execute(deps, command);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const attempts = row.attempts + 1;
    deps.metrics.increment('command_errors', { type: command.type });
    // An alert is the last way to tell a person: it is retried until the sink takes it (at
    // the longest backoff once attempts run out), unless the sink refuses it for good.
    const again = attempts < deps.maxAttempts || command.type === 'alert';
    if (again && isRetryable(err)) {
      const step = Math.min(attempts, deps.maxAttempts) - 1;
      const retryAt = deps.clock.now() + deps.backoffMs * 2 ** step;
      await settle(() =>
        deps.storage.failCommand(command.id, row.claimToken, { error: storable(message), retryAt }),
      );
      report.retried++;
      return;
    }
    await giveUp(deps, row, message);
    report.failed++;
    return;
  }
  // The result is recorded before (or, where the storage can, together with) marking the row
  // done: a crash in between makes another worker repeat the (idempotent) command, whose
  // result is then a duplicate; the other way round, the result would be lost.
  const completed = result
    ? await deps.feed(result, { commandId: command.id, claimToken: row.claimToken })
    : false;
  if (!completed) await settle(() => deps.storage.completeCommand(command.id, row.claimToken));
  deps.metrics.observe('command_ms', performance.now() - started, { type: command.type });
  deps.metrics.increment('commands', { type: command.type });
  report.done++;
}

/**
 * A command that failed for good: its `command.failed` event (order to review, alert) is
 * committed FIRST, and only then is the row marked dead. A crash or a storage failure in
 * between never strands the order: until the event is committed the row stays claimable
 * (retry time set, or its lease runs out) and the next run raises it again; once it is
 * committed, the next claim sees `failed:<id>` processed and only marks the row dead. The
 * event's key makes a repeat a duplicate. `alert` and `notify` raise nothing (an alert
 * about a failed alert would go to the same sink).
 */
async function giveUp(deps: DispatcherDeps, row: ClaimedCommand, message: string): Promise<void> {
  const { command } = row;
  if (command.type !== 'alert' && command.type !== 'notify') {
    try {
      await deps.feed({
        type: 'command.failed',
        idempotencyKey: failedKey(row),
        occurredAt: new Date(deps.clock.now()).toISOString(),
        orderId: command.orderId,
        commandId: command.id,
        commandType: command.type,
        error: message,
        ...(command.type === 'warehouse.submit' ? { shipmentId: command.request.shipment.id } : {}),
      });
    } catch (feedError) {
      // Not raised: keep the row for another run (if this write fails too, its lease ends).
      const retryAt = deps.clock.now() + deps.backoffMs;
      await settle(() =>
        deps.storage.failCommand(command.id, row.claimToken, { error: storable(message), retryAt }),
      ).catch(() => undefined);
      throw feedError;
    }
  }
  deps.metrics.increment('exceptions', { type: command.type });
  await settle(() =>
    deps.storage.failCommand(command.id, row.claimToken, { error: storable(message) }),
  );
}

/**
 * The inbox key of a command's `command.failed` event in its current round: `failed:<id>`,
 * then `failed:<id>:retry<n>` after a person's n-th re-queue of the dead row, so each round
 * that fails for good is raised (review, alert) once.
 */
function failedKey(row: ClaimedCommand): string {
  const retries = row.retries ?? 0;
  return retries > 0 ? `failed:${row.command.id}:retry${retries}` : `failed:${row.command.id}`;
}

/** Whether an earlier run already committed this command's `command.failed` event. */
async function raisedBefore(deps: DispatcherDeps, row: ClaimedCommand): Promise<boolean> {
  const { type } = row.command;
  if (type === 'alert' || type === 'notify') return false;
  return deps.storage.isProcessed(failedKey(row));
}

/** A lost claim means another worker owns the row now: not an error for this one. */
async function settle(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (!isFulfilError(err, 'CLAIM_LOST')) throw err;
  }
}

async function execute(deps: DispatcherDeps, c: Command): Promise<OrderEvent | undefined> {
  const at = new Date(deps.clock.now()).toISOString();
  switch (c.type) {
    case 'warehouse.submit': {
      const r = await warehouse(deps, c.warehouse).submit(c.request, c.idempotencyKey);
      const base = { orderId: c.orderId, shipmentId: c.request.shipment.id, occurredAt: at };
      return r.status === 'accepted'
        ? {
            type: 'warehouse.accepted',
            ...base,
            idempotencyKey: `result:${c.idempotencyKey}`,
            warehouseOrderId: r.warehouseOrderId,
          }
        : {
            type: 'warehouse.rejected',
            ...base,
            idempotencyKey: `result:${c.idempotencyKey}`,
            reason: r.reason,
          };
    }
    case 'warehouse.cancel': {
      const w = warehouse(deps, c.warehouse);
      if (w.cancel) await w.cancel(c.shipmentId, c.idempotencyKey);
      else deps.metrics.increment('commands_skipped', { type: c.type, why: 'no_cancel' });
      return undefined;
    }
    case 'alert':
    case 'notify': {
      if (!deps.alerts) {
        deps.metrics.increment('commands_skipped', { type: c.type, why: 'no_alert_sink' });
        return undefined;
      }
      const alert =
        c.type === 'alert'
          ? {
              severity: c.severity,
              title: c.title,
              message: c.message,
              ...(c.link ? { link: c.link } : {}),
            }
          : {
              severity: 'info' as const,
              title: `Notify ${c.channel}${c.locationId ? ` (${c.locationId})` : ''}`,
              message: c.message,
            };
      await deps.alerts.send({ ...alert, orderId: c.orderId, idempotencyKey: c.idempotencyKey });
      return undefined;
    }
    default:
      return runStore(deps, c);
  }
}

async function runStore(deps: DispatcherDeps, c: Command): Promise<undefined> {
  const store = deps.store;
  if (!store) {
    deps.metrics.increment('commands_skipped', { type: c.type, why: 'no_store' });
    return undefined;
  }
  const record = await deps.load(c.orderId);
  if (!record)
    throw new FulfilError('ORDER_NOT_FOUND', `order ${c.orderId} vanished before ${c.type}`);
  const ref: StoreOrderRef = {
    orderId: c.orderId,
    externalId: record.order.source.externalId,
    store: record.order.source.store,
  };
  switch (c.type) {
    case 'store.add_tags':
      await store.addTags(ref, c.tags, c.idempotencyKey);
      break;
    case 'store.hold':
      await store.hold(ref, c.holdReason, c.note, c.idempotencyKey);
      break;
    case 'store.release_hold':
      await store.releaseHold(ref, c.idempotencyKey);
      break;
    case 'store.add_note':
      if (store.addNote) await store.addNote(ref, c.text, c.idempotencyKey);
      else deps.metrics.increment('commands_skipped', { type: c.type, why: 'no_add_note' });
      break;
    case 'store.fulfill':
      await store.fulfill(
        ref,
        {
          shipmentId: c.shipmentId,
          tracking: c.tracking,
          lines: c.lines,
          notifyCustomer: c.notifyCustomer,
        },
        c.idempotencyKey,
      );
      break;
  }
  return undefined;
}

function warehouse(deps: DispatcherDeps, key: string): WarehouseAdapter {
  const w = deps.warehouses[key];
  if (!w) throw new FulfilError('ADAPTER_MISSING', `no warehouse adapter "${key}"`);
  return w;
}

/** Errors an adapter marks `details.retryable: false` (a permanent refusal) are not retried. */
function isRetryable(err: unknown): boolean {
  if (isFulfilError(err)) return err.details.retryable !== false;
  return (err as { retryable?: unknown } | null)?.retryable !== false;
}

/**
 * A vendor's error text as the outbox row keeps it: repaired like customer text (a NUL
 * or a lone surrogate would make the write fail on PostgreSQL and strand the row). The
 * `command.failed` event carries the raw text; `ingest` repairs it and records that.
 */
function storable(message: string): string {
  return sanitizeText(message).value;
}
