/** Tiny benchmark harness: warm up, then time batches and report ns/op percentiles. */
export interface Measurement {
  name: string;
  /** Median nanoseconds per operation over the batches. */
  nsPerOp: number;
  p99NsPerOp: number;
  ops: number;
}

/**
 * Runs `fn` in batches of `batch` calls for about `ms` milliseconds after a warm-up,
 * and returns the median and p99 cost per call.
 */
export function measure(
  name: string,
  fn: () => unknown,
  { ms = 1000, batch = 1000 } = {},
): Measurement {
  let sink: unknown;
  const warmUntil = performance.now() + Math.min(300, ms / 3);
  while (performance.now() < warmUntil) for (let i = 0; i < batch; i++) sink = fn();
  const samples: number[] = [];
  const until = performance.now() + ms;
  let ops = 0;
  while (performance.now() < until) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) sink = fn();
    samples.push(((performance.now() - t0) * 1e6) / batch);
    ops += batch;
  }
  keep(sink);
  samples.sort((a, b) => a - b);
  return {
    name,
    nsPerOp: samples[Math.floor(samples.length / 2)] ?? Number.NaN,
    p99NsPerOp:
      samples[Math.min(samples.length - 1, Math.floor(samples.length * 0.99))] ?? Number.NaN,
    ops,
  };
}

/** Async variant, one call per sample. Returns per-call microsecond percentiles. */
export async function measureAsync(name: string, fn: () => Promise<unknown>, { ms = 1000 } = {}) {
  const samples: number[] = [];
  const until = performance.now() + ms;
  while (performance.now() < until) {
    const t0 = performance.now();
    await fn();
    samples.push((performance.now() - t0) * 1000);
  }
  samples.sort((a, b) => a - b);
  const q = (p: number) =>
    samples[Math.min(samples.length - 1, Math.floor(samples.length * p))] ?? Number.NaN;
  return { name, p50Us: q(0.5), p99Us: q(0.99), ops: samples.length };
}

let blackhole: unknown;
function keep(value: unknown) {
  blackhole = value;
  if (blackhole === Symbol.for('never')) console.log('');
}

export function fmtNs(ns: number): string {
  return ns >= 1e6
    ? `${(ns / 1e6).toFixed(2)} ms`
    : ns >= 1e3
      ? `${(ns / 1e3).toFixed(2)} µs`
      : `${ns.toFixed(1)} ns`;
}
