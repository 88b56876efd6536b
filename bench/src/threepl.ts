/**
 * Generic 3PL adapter (ShipBob preset) against the fake ShipBob, a real HTTP
 * server enforcing ShipBob's documented limit: 150 requests per sliding window,
 * 429 with `x-retry-after` past it. The window is compressed from 60 s to 6 s
 * (10×: 150 per 6 s = 25 requests/s), so a 25 s run covers 4 windows; the
 * ratio to the limit is what 4 real minutes would show.
 *
 * (1) Sustained submissions through the adapter's own sliding-window limiter
 * (the preset's): accepted `POST /order` per second over whole windows after
 * the first, as a % of the limit, with failed calls and 429s.
 * (2) Baseline in the same run: the same workload with no client-side limit
 * (429s retried after `x-retry-after`), to show what the limiter saves.
 *
 * Both loops are bounded in time and count.
 */
import {
  createGeneric3plWarehouse,
  shipbobPreset,
} from '../../packages/adapter-3pl-generic/src/index';
import { startFakeShipbob } from '../../packages/adapter-3pl-generic/test/fakes/fake-shipbob';
import { makeShipmentRequest } from '../../packages/core/src/testing/fixtures';

const LIMIT = 150;
const WINDOW_MS = 6_000; // ShipBob's 60 s window, compressed 10×
const WORKERS = 16;
const MAX_CALLS = 5_000;

interface Run {
  accepted: number;
  failed: number;
  /** Calls still waiting for a slot when the run ended (closed, not failed). */
  cut: number;
  throttled: number;
  /** Steady accepted rate over whole windows as a share of the limit (see below). */
  ofLimit: number;
  /** Accepted in the whole windows measured, and their span in seconds. */
  measured: number;
  seconds: number;
}

/**
 * A greedy client under a sliding window sends a window's worth, then waits for
 * the oldest call to leave the window: accepted calls arrive in cycles. The
 * steady rate is measured over whole cycles, from the first call of the second
 * cycle (index `limit`) to the first call of the last complete one: calls per
 * second over that span, against `limit / window`.
 */
function steadyShare(arrivals: number[]): { share: number; measured: number; seconds: number } {
  const sorted = [...arrivals].sort((a, b) => a - b);
  const last = Math.floor((sorted.length - 1) / LIMIT) * LIMIT;
  if (last <= LIMIT) return { share: Number.NaN, measured: 0, seconds: 0 };
  const seconds = (sorted[last]! - sorted[LIMIT]!) / 1000;
  const measured = last - LIMIT;
  return { share: measured / seconds / (LIMIT / (WINDOW_MS / 1000)), measured, seconds };
}

async function sustained(runMs: number, clientLimit: boolean): Promise<Run> {
  const fake = await startFakeShipbob({
    limit: LIMIT,
    windowMs: WINDOW_MS,
    stock: { '1': { 'TEE-M': 1_000_000 } },
  });
  const adapter = createGeneric3plWarehouse(
    shipbobPreset({
      token: fake.token,
      baseUrl: fake.baseUrl,
      locations: { '1': 'cicero' },
      rateLimit: clientLimit
        ? { kind: 'sliding-window', limit: LIMIT, windowMs: WINDOW_MS }
        : { kind: 'token-bucket', capacity: 1e6, refillPerSecond: 1e6 },
      retry: { retries: 20, minDelayMs: 20, maxDelayMs: 500, maxRetryAfterMs: WINDOW_MS * 2 },
    }),
  );
  const stopAt = performance.now() + runMs;
  // At the end, close the adapter: calls waiting for a slot stop (counted as cut, not failed).
  const closing = new Promise<void>((resolve) =>
    setTimeout(() => void adapter.close().then(resolve), runMs),
  );
  let n = 0;
  let failed = 0;
  let cut = 0;
  let accepted = 0;
  const worker = async () => {
    while (performance.now() < stopAt && n < MAX_CALLS) {
      const k = n++;
      const request = makeShipmentRequest({
        orderId: `bench-${clientLimit ? 'l' : 'u'}-${k}`,
        locationId: 'cicero',
        lines: [{ sku: 'TEE-M', quantity: 1 }],
      });
      try {
        const r = await adapter.submit(request, `submit:${request.shipment.id}`);
        if (r.status === 'accepted') accepted++;
        else failed++;
      } catch (err) {
        // the run's end closed the limiter under a waiting call: cut, not failed
        if (performance.now() >= stopAt && /limiter closed|stopped/.test(String(err))) cut++;
        else failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, worker));
  await closing;
  const steady = steadyShare(fake.submissions().map((c) => c.at));
  const throttled = fake.calls.filter((c) => c.status === 429).length;
  await fake.close();
  return {
    accepted,
    failed,
    cut,
    throttled,
    ofLimit: steady.share,
    measured: steady.measured,
    seconds: steady.seconds,
  };
}

/** Runs the generic 3PL benchmarks; returns the headline figures. */
export async function run(): Promise<Record<string, string>> {
  const limited = await sustained(25_000, true);
  console.log('client-limited run', limited);
  const bare = await sustained(12_500, false);
  console.log('no client limit (baseline)', bare);
  const pct = (r: Run) => `${(r.ofLimit * 100).toFixed(1)} %`;
  return {
    'threepl shipbob sustained submissions': `${pct(limited)} of the 150/window limit (window compressed 60 s → 6 s; ${limited.measured} submissions over ${limited.seconds.toFixed(1)} s of whole windows after the first; ${limited.accepted} accepted in all, ${WORKERS} concurrent submitters)`,
    'threepl shipbob failed calls / 429s': `${limited.failed} failed, ${limited.throttled} answered 429 (${limited.cut} calls still queued for a slot at the end, not sent)`,
    'threepl baseline without client limiter': `${pct(bare)} of the limit, ${bare.throttled} answered 429 (${(bare.throttled / Math.max(1, bare.accepted)).toFixed(2)} per accepted order), ${bare.failed} failed`,
  };
}
