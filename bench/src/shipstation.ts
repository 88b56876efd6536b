/**
 * ShipStation adapter: sustained `submit`s against the fake ShipStation (a real
 * HTTP server enforcing a fixed window per key with `X-Rate-Limit-*` headers and
 * 429s), with time compressed: ShipStation's 40 requests per 60 s window becomes
 * 40 per 1 s window (60×), run for 30 windows (30 s of wall time; 30 minutes of
 * ShipStation traffic). Reported: accepted submissions per window as a % of the
 * limit, failed calls and 429s. The fake sends `X-Rate-Limit-Reset` with
 * millisecond precision (whole seconds would be too coarse for 1 s windows).
 *
 * Baseline, same run, same fake: a plain @fulfil/http client with a fixed-window
 * limiter of the same 40 per window (no reading of the rate-limit headers)
 * sending the same `createorder` calls, for 6 windows.
 *
 * Both loops are bounded in time.
 */
import { makeShipmentRequest } from '@fulfil/core/testing';
import {
  createShipStationWarehouse,
  toShipStationOrder,
} from '../../packages/adapter-shipstation/src/index';
import {
  type FakeShipStation,
  startFakeShipStation,
} from '../../packages/adapter-shipstation/src/testing/index';
import { createHttpClient, createRateLimiter } from '../../packages/http/src/index';

const LIMIT = 40;
const WINDOW_MS = 1000;
const WINDOWS = 30;
const BASELINE_WINDOWS = 6;
const WORKERS = 16;

const request = () =>
  makeShipmentRequest({ locationId: 'east', lines: [{ sku: 'TEE-M', quantity: 1 }] });

/** Resolves at the start of the fake's next window; returns that window's index. */
async function nextWindow(fake: FakeShipStation): Promise<number> {
  const n = Math.floor((Date.now() - fake.startedAt) / WINDOW_MS) + 1;
  await new Promise((r) => setTimeout(r, fake.startedAt + n * WINDOW_MS - Date.now()));
  return n;
}

/** Runs `submit` from WORKERS loops for `windows` windows (starting at a window boundary). */
async function sustain(
  fake: FakeShipStation,
  windows: number,
  submit: (i: number) => Promise<boolean>,
) {
  const first = await nextWindow(fake);
  const stopAt = fake.startedAt + (first + windows) * WINDOW_MS;
  let n = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: WORKERS }, async () => {
      while (Date.now() < stopAt) {
        const ok = await submit(n++).catch(() => false);
        if (!ok) failed++;
      }
    }),
  );
  const calls = fake.requests.filter(
    (r) =>
      r.method === 'POST' &&
      r.url === '/orders/createorder' &&
      r.window >= first &&
      r.window < first + windows,
  );
  const perWindow = Array.from(
    { length: windows },
    (_, k) => calls.filter((c) => c.window === first + k && c.status === 200).length,
  );
  const total = perWindow.reduce((s, x) => s + x, 0);
  return {
    share: total / (LIMIT * windows),
    min: Math.min(...perWindow) / LIMIT,
    full: perWindow.filter((x) => x >= LIMIT).length,
    total,
    throttled: calls.filter((c) => c.status === 429).length,
    failed,
    perWindow,
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

/** Runs the ShipStation benchmark; returns the headline figures. */
export async function run(): Promise<Record<string, string>> {
  const fake = await startFakeShipStation({
    limit: LIMIT,
    windowMs: WINDOW_MS,
    resetPrecision: 'milliseconds',
    warehouses: [401],
  });
  try {
    const adapter = createShipStationWarehouse({
      baseUrl: fake.url,
      apiKey: fake.apiKey,
      apiSecret: fake.apiSecret,
      warehouseIds: { east: 401 },
      rateLimit: { limit: LIMIT, windowMs: WINDOW_MS },
    });
    await adapter.submit(request(), 'warm-up'); // learn the server's window
    const ours = await sustain(fake, WINDOWS, async (i) => {
      const r = await adapter.submit(request(), `bench-${i}`);
      return r.status === 'accepted';
    });
    await adapter.close();
    console.log(
      `adapter: ${ours.total} accepted in ${WINDOWS} windows of ${WINDOW_MS} ms (limit ${LIMIT}/window): ${pct(ours.share)}; lowest window ${pct(ours.min)}; ${ours.full}/${WINDOWS} windows full; 429s ${ours.throttled}; failed ${ours.failed}\n  accepted per window: ${ours.perWindow.join(' ')}`,
    );

    const limiter = createRateLimiter({ kind: 'fixed-window', limit: LIMIT, windowMs: WINDOW_MS });
    const http = createHttpClient({
      baseUrl: fake.url,
      headers: {
        Authorization: `Basic ${Buffer.from(`${fake.apiKey}:${fake.apiSecret}`).toString('base64')}`,
      },
      limiter,
    });
    const base = await sustain(fake, BASELINE_WINDOWS, async (i) => {
      const r = request();
      const res = await http.post('orders/createorder', toShipStationOrder(r, `base-${i}`, 401), {
        idempotent: true,
      });
      return res.status === 200;
    });
    await limiter.disconnect();
    console.log(
      `baseline (plain @fulfil/http fixed window, headers ignored): ${base.total} in ${BASELINE_WINDOWS} windows: ${pct(base.share)}; lowest window ${pct(base.min)}; 429s ${base.throttled}; failed ${base.failed}`,
    );
    return {
      'shipstation sustained submits': `${pct(ours.share)} of the limit (${LIMIT} per ${WINDOW_MS} ms window = ShipStation's 40/min at 60×; ${WINDOWS} windows; lowest window ${pct(ours.min)}; ${ours.full}/${WINDOWS} full) (aim ≥ 95 %)`,
      'shipstation failed calls / 429s': `${ours.failed} / ${ours.throttled} (aim 0)`,
      'shipstation vs plain client': `${(ours.share / Math.max(base.share, 1e-9)).toFixed(2)}× the share of a plain @fulfil/http fixed-window client that ignores the headers (${pct(base.share)} with ${base.throttled} 429s in ${BASELINE_WINDOWS} windows; the adapter: ${ours.throttled} 429s)`,
    };
  } finally {
    await fake.close();
  }
}
