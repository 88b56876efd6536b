import { createReadStream, statSync } from 'node:fs';
import {
  defaultMachine,
  type FulfilConfig,
  type HistoryEntry,
  type KitDefinitions,
  type MachineDefinitionInput,
  type OrderRecord,
  validateKits,
} from '@fulfil/core';
import { ingestPrevalidated } from '@fulfil/core/internal';
import { readShopifyCsv } from '../shopify/csv-orders';
import { readShopifyJsonl } from '../shopify/jsonl-orders';
import type { InputProblem, SourceOrder } from '../shopify/source-order';
import { type AuditReport, createAggregator } from './report';
import { checkRunAuditOptions } from './run-options';
import type { AuditStock } from './stock';
import { newTrack, type OrderTrack, type Outcome, observeCommit, outcomeOf } from './tracker';
import { type AuditStorageKind, type AuditWorld, createAuditWorld } from './world';

const HOUR = 3_600_000;
/** After the last order, time keeps running this long so holds and payments can end. */
const DRAIN_MS = 30 * 24 * HOUR;
/** Problems kept in the report (all are counted). */
const MAX_PROBLEMS = 100;

/** Options of {@link runAudit}. */
export interface RunAuditOptions {
  config: FulfilConfig;
  /** Shown in the report. */
  configFile: string;
  /** Path of the Shopify export (`.csv`) or bulk-operation output (`.jsonl`). */
  orders: string;
  /** Orders to replay instead of reading `orders` (which then only labels the report). */
  source?: AsyncIterable<SourceOrder> | Iterable<SourceOrder>;
  stock: AuditStock;
  /** Told after every order with the share of the file read (0..1). */
  onProgress?: (fraction: number, orders: number) => void;
  /** Told about every skipped row as it happens. */
  onProblem?: (problem: InputProblem) => void;
  /** Receives each order's outcome and explanation when it settles (for `--compare`). */
  onOutcome?: (outcome: Outcome) => void;
  /** The storage replayed on (default `audit`); `memory` only to check the two agree. */
  storage?: AuditStorageKind;
}

/**
 * Replays an export through the configured engine in dry run and returns the report. The
 * file is read as a stream; an order's state is dropped from memory once it settles
 * (submitted, in review, cancelled: states of kind active/review/done/final), so memory
 * stays flat however long the export. Time is simulated: the clock follows the orders'
 * `Created at`, firing due timers every simulated hour; payments (`Paid at`) and
 * cancellations (`Cancelled at`) are replayed at their times.
 */
export async function runAudit(options: RunAuditOptions): Promise<AuditReport> {
  checkRunAuditOptions(options);
  const wall = performance.now();
  const { config } = options;
  const format = /\.jsonl?$/i.test(options.orders) ? 'jsonl' : 'csv';
  const size = options.source ? 1 : statSync(options.orders).size;
  const input = options.source
    ? undefined
    : createReadStream(options.orders, { highWaterMark: 1 << 20 });
  const problems: InputProblem[] = [];
  let skipped = 0;
  const onProblem = (p: InputProblem) => {
    skipped++;
    // Kept: the first MAX_PROBLEMS by row (reported out of row order when an order ends late).
    if (problems.length < MAX_PROBLEMS) problems.push(p);
    options.onProblem?.(p);
  };
  const kits: KitDefinitions | undefined = config.kits ? validateKits(config.kits) : undefined;
  const readOptions = {
    onProblem,
    ...(kits ? { kits } : {}),
    ...(config.store?.domain ? { shop: config.store.domain } : {}),
  };
  const trusted = options.source === undefined;
  const source: AsyncIterable<SourceOrder> | Iterable<SourceOrder> =
    options.source ??
    (format === 'csv'
      ? readShopifyCsv(input as NonNullable<typeof input>, readOptions)
      : readShopifyJsonl(input as NonNullable<typeof input>, readOptions));

  const machine = (config.machine ?? defaultMachine) as MachineDefinitionInput;
  const settledKinds = new Set(['active', 'review', 'done', 'final']);
  const settled = (status: string) => settledKinds.has(machine.states[status]?.kind ?? '');
  const aggregator = createAggregator();
  const tracks = new Map<string, OrderTrack>();
  const fulfilledAt = new Map<string, number>();
  const waiting = new Map<string, number>();
  const dirty = new Set<string>();
  const followUps: { at: number; seq: number; event: Record<string, unknown> }[] = [];
  let seq = 0;
  let world: AuditWorld | undefined;
  let peakRss = process.memoryUsage.rss();
  let orders = 0;
  let outOfOrder = 0;
  let first: number | undefined;
  let last: number | undefined;

  const observe = (entry: HistoryEntry, record: OrderRecord) => {
    let track = tracks.get(record.orderId);
    if (!track) {
      track = newTrack(record);
      tracks.set(record.orderId, track);
    }
    observeCommit(track, entry, record, options.onOutcome !== undefined);
    dirty.add(record.orderId);
  };
  const finish = (id: string) => {
    const track = tracks.get(id);
    if (!track) return;
    aggregator.add(track, fulfilledAt.get(id));
    options.onOutcome?.(outcomeOf(track));
    tracks.delete(id);
    fulfilledAt.delete(id);
    world?.forget(id);
  };
  const sweep = () => {
    for (const id of dirty) {
      const track = tracks.get(id);
      if (track && settled(track.status) && !waiting.has(id)) finish(id);
    }
    dirty.clear();
  };
  /** The next simulated hour at which due timers fire (hours counted from the first order). */
  let nextHour = Number.POSITIVE_INFINITY;
  /**
   * Moves the clock to `t`, firing due timers at every simulated hour on the way. The hours
   * are counted from the first order, not from the clock's last move: orders less than an
   * hour apart (a busy store) must not keep timers from firing until a quiet hour comes.
   */
  const tickTo = async (w: AuditWorld, t: number) => {
    while (nextHour <= t) {
      if (nextHour > w.clock.now()) w.clock.set(nextHour);
      await w.engine.runDue();
      nextHour += HOUR;
    }
    if (t > w.clock.now()) w.clock.set(t);
  };
  const runFollowUps = async (w: AuditWorld, until: number) => {
    while (followUps.length > 0 && (followUps[0] as { at: number }).at <= until) {
      const f = followUps.shift() as (typeof followUps)[number];
      await tickTo(w, f.at);
      await w.engine.ingest(f.event);
      const id = f.event.orderId as string;
      const left = (waiting.get(id) ?? 1) - 1;
      if (left <= 0) waiting.delete(id);
      else waiting.set(id, left);
      dirty.add(id);
    }
  };
  const later = (at: number, event: Record<string, unknown>) => {
    const item = { at, seq: ++seq, event };
    let i = followUps.length;
    while (i > 0 && (followUps[i - 1] as { at: number }).at > at) i--;
    followUps.splice(i, 0, item);
    const id = event.orderId as string;
    waiting.set(id, (waiting.get(id) ?? 0) + 1);
  };

  for await (const s of source) {
    const created = Date.parse(s.order.createdAt);
    if (world === undefined) {
      world = createAuditWorld(config, options.stock, created, observe, options.storage);
      nextHour = created + HOUR;
    }
    first = first === undefined ? created : Math.min(first, created);
    last = last === undefined ? created : Math.max(last, created);
    if (created < world.clock.now()) outOfOrder++;
    await runFollowUps(world, created);
    await tickTo(world, created);
    const id = s.order.id;
    if (s.fulfilledAt !== undefined) fulfilledAt.set(id, s.fulfilledAt);
    const when = (t: number) => new Date(Math.max(t, world?.clock.now() ?? t)).toISOString();
    if (s.paidAt !== undefined && s.order.paymentStatus === 'pending')
      later(s.paidAt, {
        type: 'order.paid',
        idempotencyKey: `audit:paid:${id}`,
        occurredAt: when(s.paidAt),
        orderId: id,
      });
    if (s.cancelledAt !== undefined)
      later(Math.max(s.cancelledAt, created), {
        type: 'order.cancelled',
        idempotencyKey: `audit:cancelled:${id}`,
        occurredAt: when(s.cancelledAt),
        orderId: id,
        reason: s.cancelReason ?? 'other',
      });
    const received = {
      type: 'order.received' as const,
      idempotencyKey: `audit:received:${id}`,
      occurredAt: new Date(world.clock.now()).toISOString(),
      order: s.order,
    };
    // The readers' orders were validated by the normalizer (core's Order schema) and only
    // completed from the validated config since: ingested without parsing them again.
    // Orders a caller passes as `source` are validated by `ingest` like any input.
    if (trusted) await ingestPrevalidated(world.engine, received);
    else await world.engine.ingest(received);
    sweep();
    orders++;
    if ((orders & 255) === 0) {
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
      options.onProgress?.(Math.min(1, (input?.bytesRead ?? 0) / Math.max(1, size)), orders);
    }
  }
  if (world) {
    const w = world;
    await runFollowUps(w, Number.POSITIVE_INFINITY);
    sweep();
    const end = w.clock.now() + DRAIN_MS;
    while (tracks.size > 0 && w.clock.now() < end) {
      await tickTo(w, Math.min(end, w.clock.now() + 24 * HOUR));
      sweep();
    }
    for (const id of [...tracks.keys()]) finish(id);
  }
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  options.onProgress?.(1, orders);
  const wallMs = performance.now() - wall;
  return aggregator.report({
    input: {
      file: options.orders,
      format,
      orders,
      skipped,
      problems: problems.sort((a, b) => a.row - b.row),
      outOfOrder,
      ...(first === undefined ? {} : { from: new Date(first).toISOString() }),
      ...(last === undefined ? {} : { to: new Date(last).toISOString() }),
    },
    config: {
      file: options.configFile,
      rules: (config.rules ?? []).map((r) => r.id),
      locations: config.locations.map((l) => l.id),
    },
    stock: options.stock.kind === 'unlimited' ? 'unlimited' : options.stock.source,
    run: {
      wallMs: Math.round(wallMs),
      ordersPerSecond: Math.round(orders / Math.max(0.001, wallMs / 1000)),
      peakRssMb: Math.round(peakRss / 1048576),
    },
  });
}
