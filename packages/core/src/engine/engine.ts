import { decide } from '../decide/decide';
import type { DecideConfig, Decision } from '../decide/types';
import { FulfilError, isFulfilError, parseOrThrow } from '../errors';
import { createMemoryMetrics, type MetricsSnapshot } from '../memory/memory-metrics';
import type { Explanation, HistoryEntry } from '../model/commands';
import { OrderEvent, type OrderEventInput } from '../model/events';
import type { OrderRecord } from '../model/record';
import { repairEventText } from '../model/sanitize-text';
import { systemClock } from '../ports/clock';
import type { Metrics } from '../ports/services';
import type { CommandCompletion, ReservedStock } from '../ports/storage';
import { skusOf } from '../routing/demand';
import {
  createAfterCommit,
  dispatchModeOf,
  type IngestDispatch,
  type IngestOptions,
} from './after-commit';
import { type DispatcherDeps, type DispatchReport, drainOutbox } from './dispatcher';
import { observeDecision, tee } from './engine-metrics';
import { gatherFacts, reservesStock } from './gather';
import {
  assertStockSources,
  buildDecideConfig,
  checkEngineOptions,
  DispatchSettings,
  type EngineOptions,
} from './options';
import { PREVALIDATED_INGEST, type PrevalidatedIngest } from './prevalidated';
import { createRecordCache } from './record-cache';

/** Records an engine keeps of its own last commits (see `record-cache.ts`). */
const RECORD_CACHE_SIZE = 256;

/** What `ingest` did with one event. */
export interface IngestResult {
  /**
   * `applied` / `invalid_transition`: committed; `ignored`: changed nothing (stale,
   * unknown order, not waiting for stock); `duplicate`: already processed.
   */
  outcome: 'applied' | 'invalid_transition' | 'ignored' | 'duplicate';
  orderId?: string;
  status?: string;
  version?: number;
  explanation?: Explanation;
  /** For an `inventory.changed` without `orderId`: how many orders it was offered to. */
  fanout?: number;
  /**
   * What became of the outbox run after the commit (set by `ingest`). The event is stored
   * whatever this says: a failed dispatch leaves its commands in the outbox for the next
   * `dispatch()` / `runDue()`.
   */
  dispatch?: IngestDispatch;
}

/** An order's current record and its whole history, each step explained. */
export interface OrderExplanation {
  record: OrderRecord;
  history: HistoryEntry[];
}

/**
 * What the untyped `ingest` overload accepts: anything (`unknown`, `any`, a record of
 * unknowns) except a value whose type says it is an order event (`type` is one of
 * `OrderEvent['type']`) yet does not match {@link OrderEventInput}.
 */
export type UntypedEvent<T> = T extends { type: OrderEvent['type'] }
  ? unknown extends T
    ? unknown
    : never
  : unknown;

/** The running engine. */
export interface Engine {
  /**
   * Validates, deduplicates, decides and commits one event; then runs the outbox as
   * `options.dispatch` says. Rejects only when the event was not stored (invalid input,
   * storage down before or during the commit: the caller should retry or answer 5xx).
   * Once the commit succeeded it resolves; a failed dispatch is reported on
   * `result.dispatch`, counted (`dispatch_errors`) and passed to `onError`.
   */
  ingest(event: OrderEventInput, options?: IngestOptions): Promise<IngestResult>;
  /**
   * The same for input whose type is not known (a parsed webhook body, a queue message):
   * it is validated at runtime and rejected with `INVALID_INPUT` naming the path. A value
   * whose static type claims a known event `type` must match {@link OrderEventInput}
   * (the first overload), so a typed event literal is always checked at compile time.
   */
  ingest<const T>(event: T & UntypedEvent<T>, options?: IngestOptions): Promise<IngestResult>;
  /** Runs due commands from the outbox until none is due. */
  dispatch(): Promise<DispatchReport>;
  /**
   * Resolves when the background work this engine started (`ingest` with `dispatch:
   * 'background'`, and any drain running now) has finished, failed or not. Await it before
   * shutting down, and in tests.
   */
  idle(): Promise<void>;
  /** Fires due timers (e.g. hold expiries), then runs the outbox. Call it on a schedule. */
  runDue(): Promise<{ timers: number; dispatch: DispatchReport }>;
  /** Pulls shipment events from warehouses that can be polled. Returns how many were ingested. */
  pollWarehouses(): Promise<number>;
  /** The order's record and every decision made about it. Throws `ORDER_NOT_FOUND`. */
  explain(orderId: string): Promise<OrderExplanation>;
  get(orderId: string): Promise<OrderRecord | undefined>;
  /** Counters and latency histograms since the engine started. */
  metrics(): MetricsSnapshot;
  readonly config: DecideConfig;
}

/**
 * Creates an engine from ports and configuration. Validates everything up front
 * (`CONFIG_INVALID` names the bad path) and compiles the machine and rules once.
 *
 * @example
 * ```ts
 * const engine = createEngine({
 *   storage: createMemoryStorage(),
 *   warehouses: { main: createSimulatedWarehouse({ name: 'main', clock, locations: ['east'] }) },
 *   locations: [{ id: 'east', warehouse: 'main' }],
 *   rules: [vipBackorderRule],
 *   clock,
 * });
 * const result = await engine.ingest(webhookEvent);
 * console.log(result.status, result.explanation?.routing?.reason);
 * ```
 */
export function createEngine(options: EngineOptions): Engine {
  checkEngineOptions(options);
  const config = buildDecideConfig(options);
  assertStockSources(options);
  const clock = options.clock ?? systemClock;
  const own = createMemoryMetrics();
  const metrics: Metrics = options.metrics ? tee(own, options.metrics) : own;
  const storage = options.storage;
  const retries = options.conflictRetries ?? 8;
  const d = parseOrThrow(DispatchSettings, options.dispatch ?? {}, 'dispatch', 'CONFIG_INVALID');
  const watermarks = new Map<string, number>();
  const cache = createRecordCache(RECORD_CACHE_SIZE);
  let running: Promise<DispatchReport> | undefined;
  let again = false;
  /** Commands this engine has committed so far: the dispatcher claims again while it grows. */
  let committedCommands = 0;

  const degraded = (what: string, err: unknown) => {
    metrics.increment('degraded', { port: what });
    void err;
  };

  /**
   * Decides and commits one event. There is no inbox read up front: the commit carries the
   * event's key and fails with VERSION_CONFLICT when it was already processed, so a repeat
   * costs its decision but is never applied twice. Only the paths that write nothing (an
   * ignored event, a failure before the commit) ask the inbox. The result of a command this
   * engine ran (`fromOutbox`) is decided first on the engine's copy of the record, which is
   * current unless another engine changed the order meanwhile (then the commit conflicts
   * and the record is loaded); other events always load it. An event that carries the order
   * reads the record and the reserved stock in one storage call where the storage can.
   *
   * `outbox` (a command's result): the storage may complete the command in the same commit
   * (`completesInCommit`); `outbox.completed` then says it did.
   */
  async function process(event: OrderEvent, outbox?: OutboxResult): Promise<IngestResult> {
    if (event.type === 'inventory.changed' && event.orderId === undefined) return fanOut(event);
    const orderId = orderIdOf(event);
    const key = event.idempotencyKey;
    const preread = prereadSkus(event);
    for (let attempt = 0; ; attempt++) {
      const cached = outbox !== undefined && attempt === 0 ? cache.get(orderId) : undefined;
      let record: OrderRecord | undefined;
      let reserved: ReservedStock | undefined;
      if (cached) record = cached;
      else if (preread && storage.loadWithReserved) {
        ({ record, reserved } = await storage.loadWithReserved(orderId, preread));
      } else record = await storage.load(orderId);
      const now = clock.now();
      const t0 = performance.now();
      let decision: Decision;
      let t1: number;
      try {
        const facts = await gatherFacts(
          options,
          record,
          event,
          now,
          config.timeZone,
          degraded,
          reserved,
        );
        t1 = performance.now();
        decision = decide(record, event, facts, config, now);
      } catch (err) {
        // A repeat of a processed event is a duplicate even where its new decision fails.
        if (await storage.isProcessed(key).catch(() => false)) return duplicate(event);
        throw err;
      }
      const t2 = performance.now();
      metrics.observe('stage_ms', t1 - t0, { stage: 'gather' });
      metrics.observe('stage_ms', t2 - t1, { stage: 'decide' });
      if (decision.outcome === 'ignored' || !decision.record || !decision.history) {
        // Ignoring is only final on the stored record, not on this engine's copy of it.
        if (cached) continue;
        if (await storage.isProcessed(key)) return duplicate(event);
        await storage.markProcessed([key], now);
        return { outcome: 'ignored', orderId, explanation: decision.explanation };
      }
      const completes =
        outbox?.completion && storage.capabilities.completesInCommit
          ? [outbox.completion]
          : undefined;
      try {
        await storage.commit({
          orderId: decision.record.orderId,
          expectedVersion: record?.version ?? 0,
          record: decision.record,
          history: decision.history,
          commands: decision.commands,
          timers: decision.timers,
          cancelTimerIds: decision.cancelTimerIds,
          inboxKeys: [key],
          ...(decision.reservations ? { reservations: decision.reservations } : {}),
          ...(completes ? { completes } : {}),
        });
      } catch (err) {
        cache.delete(orderId);
        if (!isFulfilError(err, 'VERSION_CONFLICT')) throw err;
        if (await storage.isProcessed(key)) return duplicate(event);
        metrics.increment('version_conflicts');
        if (attempt >= retries) throw err;
        continue;
      }
      cache.set(decision.record);
      if (outbox && completes) outbox.completed = true;
      if (decision.commands.length > 0) committedCommands += decision.commands.length;
      metrics.observe('stage_ms', performance.now() - t2, { stage: 'commit' });
      observeDecision(metrics, record, decision, now);
      return {
        outcome: decision.outcome,
        orderId: decision.record.orderId,
        status: decision.record.status,
        version: decision.record.version,
        explanation: decision.explanation,
      };
    }
  }

  /** The SKUs to read reserved stock for together with the record, if this event may. */
  function prereadSkus(event: OrderEvent): string[] | undefined {
    if (event.type !== 'order.received' && event.type !== 'order.updated') return undefined;
    if (!reservesStock(options) || storage.loadWithReserved === undefined) return undefined;
    const skus = skusOf(event.order);
    return skus.length > 0 ? skus : undefined;
  }

  function duplicate(event: OrderEvent): IngestResult {
    metrics.increment('duplicates', { event: event.type });
    return { outcome: 'duplicate', orderId: orderIdOf(event) };
  }

  async function fanOut(
    event: Extract<OrderEvent, { type: 'inventory.changed' }>,
  ): Promise<IngestResult> {
    if (await storage.isProcessed(event.idempotencyKey)) return duplicate(event);
    const states = config.machine.states.filter((s) => {
      const k = config.machine.kind(s);
      return k === 'hold' || k === 'active';
    });
    const waiting = (await storage.listOrders({ statuses: states })).filter(
      (r) =>
        (r.holds.some((h) => h.releaseOnStock) || r.backordered.length > 0) &&
        r.order.lines.some(
          (l) => l.sku === event.sku || l.kit?.components.some((c) => c.sku === event.sku),
        ),
    );
    for (const r of waiting) {
      await process({
        ...event,
        orderId: r.orderId,
        idempotencyKey: `${event.idempotencyKey}@${r.orderId}`,
      });
    }
    await storage.markProcessed([event.idempotencyKey], clock.now());
    return { outcome: waiting.length > 0 ? 'applied' : 'ignored', fanout: waiting.length };
  }

  /**
   * `prevalidated`: `input` is an `OrderEvent` core's schemas already produced (see
   * `ingestPrevalidated`); it is validated again only when its text needed a repair.
   */
  async function ingestOne(
    input: unknown,
    outbox?: OutboxResult,
    prevalidated = false,
  ): Promise<IngestResult> {
    const started = performance.now();
    // NULs and lone surrogates (which PostgreSQL refuses) are repaired first, and listed.
    const repaired = repairEventText(input);
    const event =
      prevalidated && repaired === input
        ? (input as OrderEvent)
        : parseOrThrow(OrderEvent, repaired, 'event');
    const result = await process(event, outbox);
    metrics.observe('ingest_ms', performance.now() - started, { event: event.type });
    metrics.increment('events', { type: event.type, outcome: result.outcome });
    return result;
  }

  /** `committedCommands` as the running drain last read it. */
  let seen = 0;
  const deps: DispatcherDeps = {
    storage,
    warehouses: options.warehouses,
    ...(options.store ? { store: options.store } : {}),
    ...(options.alerts ? { alerts: options.alerts } : {}),
    clock,
    metrics,
    maxAttempts: d.maxAttempts ?? 5,
    backoffMs: d.backoffMs ?? 1000,
    leaseMs: d.leaseMs ?? 30_000,
    batch: d.batch ?? 50,
    concurrency: d.concurrency ?? 8,
    feed: async (e: OrderEvent, completion?: CommandCompletion) => {
      const outbox: OutboxResult = { ...(completion ? { completion } : {}), completed: false };
      await ingestOne(e, outbox);
      return outbox.completed;
    },
    load: async (orderId: string) => cache.get(orderId) ?? storage.load(orderId),
    committed: () => {
      seen = committedCommands;
      return seen;
    },
  };

  /**
   * Runs the outbox; a call while a drain runs joins it and, unless `afterCommit` says the
   * caller only wants its own commits run (which the drain sees when it reads the count
   * after them), asks it for one more pass.
   */
  function dispatch(afterCommit = false): Promise<DispatchReport> {
    if (running) {
      if (!afterCommit || committedCommands !== seen) again = true;
      return running;
    }
    running = (async () => {
      const total: DispatchReport = { done: 0, retried: 0, failed: 0 };
      do {
        again = false;
        const r = await drainOutbox(deps);
        total.done += r.done;
        total.retried += r.retried;
        total.failed += r.failed;
      } while (again);
      return total;
    })().finally(() => {
      running = undefined;
    });
    return running;
  }

  const auto = options.autoDispatch ?? true;
  const afterCommit = createAfterCommit({
    dispatch: () => dispatch(true),
    running: () => running,
    metrics,
    ...(options.onError ? { onError: options.onError } : {}),
  });

  const prevalidatedIngest: PrevalidatedIngest = async (event, ingestOptions) => {
    const mode = dispatchModeOf(ingestOptions, auto);
    const result = await ingestOne(event, undefined, true);
    result.dispatch = await afterCommit.run(mode, result, event);
    return result;
  };

  const engine: Engine = {
    config,
    async ingest(input: unknown, ingestOptions?: IngestOptions): Promise<IngestResult> {
      const mode = dispatchModeOf(ingestOptions, auto);
      const result = await ingestOne(input);
      result.dispatch = await afterCommit.run(mode, result, input);
      return result;
    },
    dispatch: () => dispatch(),
    idle: () => afterCommit.idle(),
    async runDue() {
      let timers = 0;
      const lease = d.leaseMs ?? 30_000;
      for (;;) {
        const due = await storage.claimDueTimers({
          now: clock.now(),
          limit: d.batch ?? 50,
          leaseMs: lease,
        });
        if (due.length === 0) break;
        for (const { timer, claimToken } of due) {
          await ingestOne({
            type: 'timer.fired',
            idempotencyKey: `timer:${timer.id}`,
            occurredAt: new Date(clock.now()).toISOString(),
            orderId: timer.orderId,
            timerId: timer.id,
            purpose: timer.purpose,
          });
          await storage.completeTimer(timer.id, claimToken).catch((err) => {
            if (!isFulfilError(err, 'CLAIM_LOST')) throw err;
          });
          timers++;
        }
      }
      return { timers, dispatch: await dispatch() };
    },
    async pollWarehouses() {
      let n = 0;
      for (const [key, w] of Object.entries(options.warehouses)) {
        if (!w.pollEvents) continue;
        let events: unknown[];
        try {
          events = await w.pollEvents(watermarks.get(key) ?? 0);
        } catch (err) {
          degraded(`warehouse:${key}`, err);
          continue;
        }
        for (const e of events) {
          try {
            await ingestOne(e);
            n++;
          } catch (err) {
            degraded(`warehouse-event:${key}`, err);
            // An invalid event is skipped (it would fail forever); anything else stops this
            // warehouse's batch before the watermark passes it, so the next poll retries it.
            if (!isFulfilError(err, 'INVALID_INPUT')) break;
          }
          const at = Date.parse((e as { occurredAt?: string }).occurredAt ?? '');
          if (Number.isFinite(at) && at > (watermarks.get(key) ?? 0)) watermarks.set(key, at);
        }
      }
      if (n > 0 && auto) await dispatch();
      return n;
    },
    async explain(orderId) {
      const record = await storage.load(orderId);
      if (!record) throw new FulfilError('ORDER_NOT_FOUND', `no order "${orderId}"`);
      return { record, history: await storage.history(orderId) };
    },
    get: (orderId) => storage.load(orderId),
    metrics: () => own.snapshot(),
  };
  // Internal (`@fulfil/core/internal`'s `ingestPrevalidated`); not enumerable, not typed.
  Object.defineProperty(engine, PREVALIDATED_INGEST, { value: prevalidatedIngest });
  return engine;
}

/** A command result being fed back, and whether its commit also completed the command. */
interface OutboxResult {
  completion?: CommandCompletion;
  completed: boolean;
}

function orderIdOf(event: OrderEvent): string {
  if (event.type === 'order.received' || event.type === 'order.updated') return event.order.id;
  if (event.type === 'inventory.changed') return event.orderId ?? '';
  return event.orderId;
}
