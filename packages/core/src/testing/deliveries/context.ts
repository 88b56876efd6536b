import type { DeliveryQueue, RawDelivery } from '../../ports/deliveries';

/** What one delivery queue conformance case sees. Internal to the suite. */
export interface DeliveryCaseContext {
  /** The queue under test: fresh and empty for each case. */
  readonly queue: DeliveryQueue;
  /** A second handle on the same store, as another process would open; undefined when the setup has none. */
  connect(): Promise<DeliveryQueue | undefined>;
  /** Whether the setup can open a second handle (`connect`). */
  readonly canConnect: boolean;
  /** "Now" for the case: the wall clock when it started. */
  readonly now: number;
}

export const LEASE = 30_000;

/** A delivery with a JSON body; `n` makes the key and the body unique. */
export function makeDelivery(n: number, overrides: Partial<RawDelivery> = {}): RawDelivery {
  return {
    key: `test:shop.example:${n}`,
    source: 'test',
    headers: { 'content-type': 'application/json', 'x-test-id': String(n) },
    body: new TextEncoder().encode(JSON.stringify({ id: n, note: `order ${n}` })),
    receivedAt: 1_767_225_600_000 + n,
    ...overrides,
  };
}

/** Claims everything due at `now` (default: the case's now). */
export function claimAll(ctx: DeliveryCaseContext, now = ctx.now, limit = 100) {
  return ctx.queue.claim({ now, limit, leaseMs: LEASE });
}

/** The keys of claimed deliveries, in the order given. */
export function keys(rows: { delivery: RawDelivery }[]): string[] {
  return rows.map((row) => row.delivery.key);
}
