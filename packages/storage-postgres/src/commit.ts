import { type Commit, FulfilError } from '@fulfil/core';
import { invalid } from './commit-check';
import { type BatchResult, type Tables, writeOne } from './commit-sql';
import { sqlState } from './db-errors';
import { stockConflict } from './reservations';
import type { Queryable } from './runner';

// The commit: one SQL statement, hence one atomic transaction and one round trip; this file
// turns its failures into the port's errors. Internal.

/** A unique violation's constraint, if that is what `err` is. */
function violated(err: unknown): string | undefined {
  if (sqlState(err) !== '23505') return undefined;
  const constraint = (err as { constraint?: unknown }).constraint;
  return typeof constraint === 'string' ? constraint : '';
}

/**
 * Writes a checked commit in one statement of data-modifying CTEs ({@link writeOne}). The order row is written first (`UPDATE ... WHERE version = $expected`, or
 * `INSERT ... ON CONFLICT DO NOTHING` for a new order); every other part runs only when
 * that row was written, so a stale version writes nothing and reports `VERSION_CONFLICT`
 * before any id collision can happen. An inbox key already processed fails the whole
 * statement with a unique violation, reported as `VERSION_CONFLICT`; a command id that
 * already exists fails it as `INVALID_INPUT`.
 *
 * Reservations: the statement also checks the takes (the `reservation_shortfall` function
 * locks each (location, SKU) taken from and counts with a fresh snapshot) and writes the
 * order row only when every take fits, then releases and takes in the same statement.
 */
export async function writeCommit(db: Queryable, t: Tables, commit: Commit): Promise<void> {
  const { orderId, expectedVersion } = commit;
  let result: BatchResult;
  try {
    result = await writeOne(db, t, commit);
  } catch (err) {
    const constraint = violated(err);
    if (constraint === undefined) throw err;
    if (constraint.startsWith('outbox')) {
      throw invalid(
        orderId,
        'commit.commands',
        `a command id already exists (${detail(err)})`,
        err,
      );
    }
    // The inbox (or, for a damaged database, history) already has this event.
    throw new FulfilError(
      'VERSION_CONFLICT',
      `order "${orderId}": an event of this commit was already processed; reload and skip it (${detail(err)})`,
      { cause: err, details: { orderId, constraint } },
    );
  }
  if (result.written[0]) return;
  const { rows } = await db.query<{ version: number | null; seen: boolean }>(
    `SELECT (SELECT version FROM ${t.orders} WHERE order_id = $1) AS version,
       EXISTS (SELECT 1 FROM ${t.inbox} WHERE key IN (SELECT jsonb_array_elements_text($2::jsonb))) AS seen`,
    [orderId, JSON.stringify(commit.inboxKeys)],
  );
  const stored = rows[0]?.version == null ? null : Number(rows[0].version);
  if (rows[0]?.seen) {
    throw new FulfilError(
      'VERSION_CONFLICT',
      `order "${orderId}": an event of this commit was already processed; reload and skip it`,
      { details: { orderId } },
    );
  }
  const first = result.short[0];
  if (first !== undefined && (stored ?? 0) === expectedVersion) throw stockConflict(orderId, first);
  throw new FulfilError(
    'VERSION_CONFLICT',
    `order "${orderId}" is at version ${stored ?? 'none'}, commit expected ${expectedVersion}`,
    { details: { orderId, expectedVersion, storedVersion: stored } },
  );
}

function detail(err: unknown): string {
  const d = (err as { detail?: unknown }).detail;
  return typeof d === 'string' ? d : err instanceof Error ? err.message : String(err);
}
