import { randomUUID } from 'node:crypto';
import {
  type ClaimedCommand,
  type ClaimedTimer,
  type ClaimOptions,
  type Command,
  FulfilError,
  parseOrThrow,
  sanitizeText,
  type Timer,
} from '@fulfil/core';
import { z } from 'zod';
import type { Tables } from './commit-sql';
import type { Queryable } from './runner';

// Outbox and timer claims with FOR UPDATE SKIP LOCKED, leases and fencing tokens. Internal.

/** Makes the statement's own transaction wait for the WAL flush (a session set to `off`). */
export const SYNC_COMMIT = `(SELECT set_config('synchronous_commit', 'on', true)) IS NOT NULL`;

const ClaimOptionsSchema = z.object({
  now: z.number().finite(),
  limit: z.number().int().nonnegative(),
  leaseMs: z.number().finite().positive(),
});

function checkClaim(options: ClaimOptions): ClaimOptions {
  return parseOrThrow(ClaimOptionsSchema, options, 'options');
}

/** Claims pending commands due by `now` (or whose lease ran out), in commit order. */
export async function claimCommands(
  db: Queryable,
  t: Tables,
  options: ClaimOptions,
  /**
   * The session commits asynchronously: this claim waits for the flush (of itself and of
   * every commit before it), so no command runs before the state that produced it is durable.
   */
  forceSync = false,
): Promise<ClaimedCommand[]> {
  const { now, limit, leaseMs } = checkClaim(options);
  if (limit === 0) return [];
  const { rows } = await db.query<{
    seq: string | number;
    command: Command;
    attempts: number;
    claim_token: string;
    retries: number;
  }>(
    `WITH c AS (
       SELECT id FROM ${t.outbox}
       WHERE status = 'pending'
         AND (next_attempt_at IS NULL OR next_attempt_at <= $1)
         AND (claimed_until IS NULL OR claimed_until <= $1)
       ORDER BY seq
       LIMIT $2
       FOR UPDATE SKIP LOCKED
     )
     UPDATE ${t.outbox} o
     SET claim_token = $3 || o.seq::text, claimed_until = $1 + $4, attempts = o.attempts + 1
     FROM c WHERE o.id = c.id${forceSync ? ` AND ${SYNC_COMMIT}` : ''}
     RETURNING o.seq, o.command, o.attempts - 1 AS attempts, o.claim_token, o.retries`,
    [now, limit, `${randomUUID()}:`, leaseMs],
  );
  return rows
    .sort((a, b) => Number(a.seq) - Number(b.seq))
    .map((row) => ({
      command: row.command,
      attempts: Number(row.attempts),
      claimToken: row.claim_token,
      // Rounds a person started with insights.retryCommand (the dispatcher keys failures by it).
      ...(Number(row.retries) > 0 ? { retries: Number(row.retries) } : {}),
    }));
}

/** Marks a claimed command done. Throws `CLAIM_LOST` when `claimToken` is not current. */
export async function completeCommand(
  db: Queryable,
  t: Tables,
  commandId: string,
  claimToken: string,
): Promise<void> {
  const { rowCount } = await db.query(
    `UPDATE ${t.outbox}
     SET status = CASE WHEN status = 'pending' THEN 'done' ELSE status END,
         finished_at = CASE WHEN status = 'pending' THEN $3 ELSE finished_at END,
         claimed_until = NULL
     WHERE id = $1 AND claim_token = $2`,
    [commandId, claimToken, Date.now()],
  );
  if (rowCount !== 1) throw claimLost('command', commandId);
}

/**
 * Records a failure: retry at `retryAt`, or dead without it. Throws `CLAIM_LOST` when fenced.
 * The error text comes from vendors: NULs and lone surrogates, which PostgreSQL refuses (and
 * a refused write would leave the command claimed and never dead), are repaired first.
 */
export async function failCommand(
  db: Queryable,
  t: Tables,
  commandId: string,
  claimToken: string,
  failure: { error: string; retryAt?: number },
): Promise<void> {
  const parsed = parseOrThrow(
    z.object({ error: z.string(), retryAt: z.number().finite().optional() }),
    failure,
    'failure',
  );
  const { rowCount } = await db.query(
    `UPDATE ${t.outbox}
     SET last_error = CASE WHEN status = 'pending' THEN $3 ELSE last_error END,
         next_attempt_at = CASE WHEN status = 'pending' AND $4::float8 IS NOT NULL
                                THEN $4::float8 ELSE next_attempt_at END,
         finished_at = CASE WHEN status = 'pending' AND $4::float8 IS NULL
                            THEN $5 ELSE finished_at END,
         status = CASE WHEN status = 'pending' AND $4::float8 IS NULL THEN 'dead' ELSE status END,
         claimed_until = NULL
     WHERE id = $1 AND claim_token = $2`,
    [commandId, claimToken, sanitizeText(parsed.error).value, parsed.retryAt ?? null, Date.now()],
  );
  if (rowCount !== 1) throw claimLost('command', commandId);
}

/** Claims pending timers with `dueAt <= now` not held by a live claim, earliest first. */
export async function claimDueTimers(
  db: Queryable,
  t: Tables,
  options: ClaimOptions,
): Promise<ClaimedTimer[]> {
  const { now, limit, leaseMs } = checkClaim(options);
  if (limit === 0) return [];
  const { rows } = await db.query<{
    due_at: number;
    seq: string | number;
    timer: Timer;
    claim_token: string;
  }>(
    `WITH c AS (
       SELECT id FROM ${t.timers}
       WHERE status = 'pending' AND due_at <= $1
         AND (claimed_until IS NULL OR claimed_until <= $1)
       ORDER BY due_at, seq
       LIMIT $2
       FOR UPDATE SKIP LOCKED
     )
     UPDATE ${t.timers} x
     SET claim_token = $3 || x.seq::text, claimed_until = $1 + $4
     FROM c WHERE x.id = c.id
     RETURNING x.due_at, x.seq, x.timer, x.claim_token`,
    [now, limit, `${randomUUID()}:`, leaseMs],
  );
  return rows
    .sort((a, b) => Number(a.due_at) - Number(b.due_at) || Number(a.seq) - Number(b.seq))
    .map((row) => ({ timer: row.timer, claimToken: row.claim_token }));
}

/** Marks a claimed timer done (a cancelled one stays cancelled). `CLAIM_LOST` when fenced. */
export async function completeTimer(
  db: Queryable,
  t: Tables,
  timerId: string,
  claimToken: string,
): Promise<void> {
  const { rowCount } = await db.query(
    `UPDATE ${t.timers}
     SET status = CASE WHEN status = 'pending' THEN 'done' ELSE status END,
         finished_at = $3, claimed_until = NULL
     WHERE id = $1 AND claim_token = $2`,
    [timerId, claimToken, Date.now()],
  );
  if (rowCount !== 1) throw claimLost('timer', timerId);
}

function claimLost(kind: 'command' | 'timer', id: string): FulfilError {
  return new FulfilError(
    'CLAIM_LOST',
    `${kind} "${id}": the claim token is not the row's current token (lease expired and reclaimed, or unknown row)`,
    { details: { [`${kind}Id`]: id } },
  );
}
