/**
 * The delivery queue port: webhook deliveries kept durably exactly as received, so a host
 * can acknowledge a webhook as soon as its bytes are safe (one insert) and parse, decide
 * and dispatch after the answer, in the same process or in a worker.
 *
 * Contract (every implementation MUST, checked by `deliveryQueueConformance` in
 * `@fulfil/core/testing`):
 * - `enqueue` resolves only once the delivery is durable (it survives a crash of this
 *   process); it is idempotent on `key`: a delivery whose key was ever enqueued (queued,
 *   claimed, done or dead) is not stored again and resolves `'duplicate'`.
 * - `claim` hands out due deliveries (`queued`, or `claimed` with an expired lease, or
 *   failed with `retryAt <= now`), oldest `receivedAt` first, each to one caller at a
 *   time: a claimed row is leased for `leaseMs` and carries a fresh `claimToken`;
 *   `attempts` counts earlier claims.
 * - `complete` / `fail` take effect only while `claimToken` is the row's current token;
 *   otherwise they reject with `FulfilError` code `CLAIM_LOST` and change nothing.
 *   `fail` with `retryAt` makes the row due again then; without it the row is dead
 *   (never claimed again, kept for inspection).
 * - The body is kept byte for byte (any bytes, NULs included).
 */

/** A webhook delivery as it arrived, before parsing. */
export interface RawDelivery {
  /**
   * Unique per delivery, e.g. `shopify:{shop}:{webhook id}`: a repeat with the same key
   * (the vendor retrying) is dropped by `enqueue`.
   */
  key: string;
  /** Which reader parses it, e.g. `shopify`. */
  source: string;
  /** The request headers the reader needs, names in lower case. */
  headers: Record<string, string>;
  /** The body bytes exactly as received. */
  body: Uint8Array;
  /** When it arrived (epoch ms). */
  receivedAt: number;
}

/** A delivery handed to one caller by `claim`. */
export interface ClaimedDelivery {
  delivery: RawDelivery;
  /** Proves the claim in `complete` / `fail`. */
  claimToken: string;
  /** Claims of this delivery before this one. */
  attempts: number;
}

/** Counts of deliveries by state. */
export interface DeliveryQueueStats {
  /** Waiting or being processed (queued, claimed, failed with a retry). */
  pending: number;
  /** Failed for good (`fail` without `retryAt`). */
  dead: number;
}

/** Durable queue of raw webhook deliveries (see the module comment for the contract). */
export interface DeliveryQueue {
  /** Stores the delivery durably; `'duplicate'` when its key was enqueued before. */
  enqueue(delivery: RawDelivery): Promise<'queued' | 'duplicate'>;
  /** Leases up to `limit` due deliveries for `leaseMs`, oldest first. */
  claim(options: { now: number; limit: number; leaseMs: number }): Promise<ClaimedDelivery[]>;
  /** Marks a claimed delivery done. `CLAIM_LOST` when the token is not current. */
  complete(key: string, claimToken: string): Promise<void>;
  /**
   * Records a failure: with `retryAt` the delivery is due again then; without, it is dead.
   * `CLAIM_LOST` when the token is not current.
   */
  fail(
    key: string,
    claimToken: string,
    outcome: { error: string; retryAt?: number },
  ): Promise<void>;
  /** Counts by state. */
  stats(): Promise<DeliveryQueueStats>;
}
