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

/**
 * {@link measure} for several functions in `rounds` interleaved rounds of `ms` each; keeps,
 * per function, the median over rounds of its median and of its p99 batch. A burst of load
 * from elsewhere on the machine then lands on all of them alike and is voted out.
 */
export function measureInterleaved(
  fns: readonly (readonly [name: string, fn: () => unknown])[],
  { rounds = 5, ms = 200, batch = 1000 } = {},
): Measurement[] {
  const runs = fns.map((): Measurement[] => []);
  for (let round = 0; round < rounds; round++) {
    fns.forEach(([name, fn], i) => {
      runs[i]?.push(measure(name, fn, { ms, batch }));
    });
  }
  const median = (xs: number[]) =>
    xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
  return fns.map(([name], i) => {
    const rs = runs[i] ?? [];
    return {
      name,
      nsPerOp: median(rs.map((m) => m.nsPerOp)),
      p99NsPerOp: median(rs.map((m) => m.p99NsPerOp)),
      ops: rs.reduce((n, m) => n + m.ops, 0),
    };
  });
}

/** Per-call latency percentiles, in microseconds. */
export interface PerCall {
  name: string;
  p50Us: number;
  p99Us: number;
  meanUs: number;
  /** Calls timed (after the warm-up). */
  ops: number;
}

/** p50, p99 and mean of per-call samples (µs); sorts `samples` in place. */
export function percentiles(name: string, samples: number[]): PerCall {
  samples.sort((a, b) => a - b);
  const q = (p: number) =>
    samples[Math.min(samples.length - 1, Math.floor(samples.length * p))] ?? Number.NaN;
  const sum = samples.reduce((s, x) => s + x, 0);
  return {
    name,
    p50Us: q(0.5),
    p99Us: q(0.99),
    meanUs: samples.length > 0 ? sum / samples.length : Number.NaN,
    ops: samples.length,
  };
}

/**
 * Times every call of `fn` on its own (no batching) for about `ms` milliseconds after a
 * `warmupMs` warm-up, so p99 is a per-call p99 (GC pauses included). For calls of a
 * microsecond or more, where the timer's own cost (tens of ns) is noise.
 */
export function measureEach(
  name: string,
  fn: () => unknown,
  { ms = 1000, warmupMs = 300 } = {},
): PerCall {
  let sink: unknown;
  const warmUntil = performance.now() + warmupMs;
  while (performance.now() < warmUntil) sink = fn();
  const samples: number[] = [];
  const until = performance.now() + ms;
  for (;;) {
    const t0 = performance.now();
    sink = fn();
    const t1 = performance.now();
    samples.push((t1 - t0) * 1000);
    if (t1 >= until) break;
  }
  keep(sink);
  return percentiles(name, samples);
}

/**
 * {@link measureEach} for several functions at once, in `rounds` interleaved rounds of `ms`
 * each (after a `warmupMs` warm-up of each): every function's samples are pooled across
 * rounds, so a burst of load from elsewhere on the machine lands on all of them alike.
 */
export function measureEachInterleaved(
  fns: readonly (readonly [name: string, fn: () => unknown])[],
  { rounds = 4, ms = 250, warmupMs = 300 } = {},
): PerCall[] {
  let sink: unknown;
  for (const [, fn] of fns) {
    const warmUntil = performance.now() + warmupMs;
    while (performance.now() < warmUntil) sink = fn();
  }
  const samples = fns.map((): number[] => []);
  for (let round = 0; round < rounds; round++) {
    fns.forEach(([, fn], i) => {
      const out = samples[i] as number[];
      const until = performance.now() + ms;
      for (;;) {
        const t0 = performance.now();
        sink = fn();
        const t1 = performance.now();
        out.push((t1 - t0) * 1000);
        if (t1 >= until) break;
      }
    });
  }
  keep(sink);
  return fns.map(([name], i) => percentiles(name, samples[i] as number[]));
}

/** Async variant, one call per sample. Returns per-call microsecond percentiles. */
export async function measureAsync(
  name: string,
  fn: () => Promise<unknown>,
  { ms = 1000 } = {},
): Promise<PerCall> {
  const samples: number[] = [];
  const until = performance.now() + ms;
  while (performance.now() < until) {
    const t0 = performance.now();
    await fn();
    samples.push((performance.now() - t0) * 1000);
  }
  return percentiles(name, samples);
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

export function fmtUs(us: number): string {
  return us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(1)} µs`;
}
