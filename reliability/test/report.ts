/**
 * Shared by every reliability test: how long to run (short in `pnpm test` and CI, long in
 * `pnpm soak`) and a row per fault tried for `docs/reliability.md`.
 *
 * Rows are appended (one JSON line each) to `FULFIL_RELIABILITY_OUT` when it is set;
 * `pnpm soak` sets it and then writes the table from the file.
 */
import { appendFileSync } from 'node:fs';

/** True under `pnpm soak` (`FULFIL_SOAK=1`): run many more trials. */
export const soak = process.env.FULFIL_SOAK === '1';

/** `short` trials in a normal run, `long` under `pnpm soak`. */
export function trials(short: number, long: number): number {
  return soak ? long : short;
}

/** One line of the reliability table. */
export interface TrialRow {
  /** The part under test, e.g. `engine`, `http`, `adapter-shipstation`. */
  area: string;
  /** The fault injected, in words, e.g. `crash at every storage call of received → shipped`. */
  fault: string;
  /** How many times it was tried (runs, requests, generated inputs). */
  trials: number;
  /** What happened, in words, e.g. `0 lost, 0 duplicate submits, 37 reviews each with an alert`. */
  result: string;
  /** Whether the expectation held. */
  ok: boolean;
}

/** Records one row for the table (a no-op unless `FULFIL_RELIABILITY_OUT` is set). */
export function recordTrial(row: TrialRow): void {
  const out = process.env.FULFIL_RELIABILITY_OUT;
  if (out) appendFileSync(out, `${JSON.stringify(row)}\n`);
}
