import { z } from 'zod';
import { parseOptions, portOption } from '../options';
import { type Clock, systemClock } from '../ports/clock';
import type { ClaimedDelivery, DeliveryQueue, RawDelivery } from '../ports/deliveries';
import {
  checkDeliveryClaim,
  checkDeliveryFailure,
  checkRawDelivery,
  deliveryClaimLost,
} from './delivery-checks';

/** Options for {@link createMemoryDeliveryQueue}. */
export interface MemoryDeliveryQueueOptions {
  /** Stamps when a delivery was done or went dead (see `rows()`). Default: the system clock. */
  clock?: Clock;
}

const OptionsSchema = z.object({
  clock: portOption<Clock>('Clock', ['now'], 'systemClock or createSimulatedClock(...)').optional(),
} satisfies Record<keyof MemoryDeliveryQueueOptions, z.ZodType>);

/** Status of a delivery as {@link MemoryDeliveryQueue.rows} shows it. */
export type DeliveryRowStatus = 'pending' | 'done' | 'dead';

/** One delivery, for inspection. */
export interface DeliveryRow {
  key: string;
  status: DeliveryRowStatus;
  /** Claims so far. */
  attempts: number;
  /** Epoch ms from which a pending row may be claimed (a lease end, a retry time, or 0). */
  dueAt: number;
  /** The delivery (a copy); absent once done (a done row keeps only its key, for duplicates). */
  delivery?: RawDelivery;
  /** The error of the last `fail`. */
  error?: string;
  /** When it was done or went dead, from the clock. */
  finishedAt?: number;
}

/** The in-memory {@link DeliveryQueue}, plus inspection for tests and demos. */
export interface MemoryDeliveryQueue extends DeliveryQueue {
  /** Every delivery, as copies: pending ones in claim order (oldest `receivedAt` first), then done and dead ones. */
  rows(): DeliveryRow[];
}

interface Row {
  seq: number;
  key: string;
  receivedAt: number;
  /** Dropped when done: only the key is needed then. */
  delivery: RawDelivery | undefined;
  status: DeliveryRowStatus;
  attempts: number;
  dueAt: number;
  token: string | undefined;
  error: string | undefined;
  finishedAt: number | undefined;
}

/**
 * Creates the in-memory reference {@link DeliveryQueue}: one process, nothing survives a
 * restart (so "durable" means "stored in this process"), for tests and the quickstart.
 * `enqueue` copies the body bytes; claims hand out copies; tokens are random UUIDs. A done
 * delivery keeps only its key (to drop repeats); dead deliveries are kept whole.
 *
 * @example
 * ```ts
 * const queue = createMemoryDeliveryQueue();
 * await queue.enqueue({ key: 'shopify:shop:1', source: 'shopify', headers: {}, body, receivedAt: Date.now() });
 * const [claimed] = await queue.claim({ now: Date.now(), limit: 10, leaseMs: 30_000 });
 * await queue.complete(claimed.delivery.key, claimed.claimToken);
 * ```
 */
export function createMemoryDeliveryQueue(
  options: MemoryDeliveryQueueOptions = {},
): MemoryDeliveryQueue {
  parseOptions(OptionsSchema, options, 'createMemoryDeliveryQueue', { optional: true });
  const clock = options.clock ?? systemClock;
  const rows = new Map<string, Row>();
  /**
   * Pending rows sorted by (receivedAt, seq) (enqueue is nearly always an append). Finished
   * rows are dropped from it lazily, once they are half of it, so `complete` stays O(1).
   */
  let pending: Row[] = [];
  let finished = 0;
  let seq = 0;
  let dead = 0;

  const owned = (key: string, token: string): Row => {
    const row = rows.get(key);
    if (row === undefined || row.token === undefined || row.token !== token) {
      throw deliveryClaimLost(String(key));
    }
    return row;
  };
  const finish = (row: Row, status: 'done' | 'dead') => {
    row.status = status;
    row.finishedAt = clock.now();
    if (status === 'done') row.delivery = undefined;
    else dead++;
    if (++finished > 32 && finished * 2 > pending.length) {
      pending = pending.filter((r) => r.status === 'pending');
      finished = 0;
    }
  };

  return {
    async enqueue(input) {
      const delivery = checkRawDelivery(input);
      if (rows.has(delivery.key)) return 'duplicate';
      const row: Row = {
        seq: ++seq,
        key: delivery.key,
        receivedAt: delivery.receivedAt,
        delivery,
        status: 'pending',
        attempts: 0,
        dueAt: 0,
        token: undefined,
        error: undefined,
        finishedAt: undefined,
      };
      rows.set(row.key, row);
      let at = pending.length;
      while (at > 0 && pending[at - 1]!.receivedAt > delivery.receivedAt) at--;
      pending.splice(at, 0, row);
      return 'queued';
    },

    async claim(claimOptions) {
      const { now, limit, leaseMs } = checkDeliveryClaim(claimOptions);
      const out: ClaimedDelivery[] = [];
      for (const row of pending) {
        if (out.length >= limit) break;
        if (row.status !== 'pending' || row.dueAt > now) continue;
        row.token = crypto.randomUUID();
        row.dueAt = now + leaseMs;
        out.push({
          delivery: copy(row.delivery!),
          claimToken: row.token,
          attempts: row.attempts++,
        });
      }
      return out;
    },

    async complete(key, claimToken) {
      const row = owned(key, claimToken);
      if (row.status === 'pending') finish(row, 'done');
    },

    async fail(key, claimToken, outcome) {
      const checked = checkDeliveryFailure(outcome);
      const row = owned(key, claimToken);
      if (row.status !== 'pending') return;
      row.error = checked.error;
      if (checked.retryAt === undefined) finish(row, 'dead');
      else row.dueAt = checked.retryAt;
    },

    async stats() {
      return { pending: pending.length - finished, dead };
    },

    rows() {
      const done = [...rows.values()].filter((row) => row.status !== 'pending');
      const live = pending.filter((row) => row.status === 'pending');
      return [...live, ...done.sort((a, b) => a.seq - b.seq)].map((row) => ({
        key: row.key,
        status: row.status,
        attempts: row.attempts,
        dueAt: row.dueAt,
        ...(row.delivery === undefined ? {} : { delivery: copy(row.delivery) }),
        ...(row.error === undefined ? {} : { error: row.error }),
        ...(row.finishedAt === undefined ? {} : { finishedAt: row.finishedAt }),
      }));
    },
  };
}

function copy(delivery: RawDelivery): RawDelivery {
  return { ...delivery, headers: { ...delivery.headers }, body: delivery.body.slice() };
}
