import { createHash } from 'node:crypto';
import { FulfilError, isFulfilError } from '@fulfil/core';
import pg from 'pg';

// One small query runner over `pg` (a Pool) and PGlite. Internal.

/** The rows a query returned and how many rows it changed. */
export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

/** Anything that runs one parameterized statement. */
export interface Queryable {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<QueryResult<R>>;
}

/** A pg `Pool`, as far as this package uses it. */
export interface PoolLike {
  query(
    config: string | { text: string; values?: unknown[]; name?: string },
    params?: unknown[],
  ): Promise<{ rows: unknown[]; rowCount: number | null }>;
  connect(): Promise<{
    query(
      config: string | { text: string; values?: unknown[]; name?: string },
      params?: unknown[],
    ): Promise<{ rows: unknown[]; rowCount: number | null }>;
    release(err?: boolean | Error): void;
    /** pg's `Client` is an EventEmitter: a checked-out client emits `error` when its connection drops. */
    on?(event: 'error', listener: (err: Error) => void): unknown;
    removeListener?(event: 'error', listener: (err: Error) => void): unknown;
  }>;
  end(): Promise<void>;
}

/** A PGlite instance, as far as this package uses it (kept structural: PGlite is an optional peer). */
export interface PGliteLike {
  query(
    text: string,
    params?: unknown[],
  ): Promise<{ rows: unknown[]; affectedRows?: number | undefined }>;
  transaction<T>(
    fn: (tx: {
      query(
        text: string,
        params?: unknown[],
      ): Promise<{ rows: unknown[]; affectedRows?: number | undefined }>;
    }) => Promise<T>,
  ): Promise<T>;
}

/** Runs statements and transactions on one database. */
export interface Runner extends Queryable {
  readonly kind: 'pg' | 'pglite';
  /** Runs `fn` in one transaction (BEGIN/COMMIT on one client); rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Ends the pool when this runner created it; otherwise does nothing. */
  close(): Promise<void>;
}

/** Where a runner connects: exactly one of the three. */
export interface RunnerSource {
  pool?: PoolLike | undefined;
  connectionString?: string | undefined;
  pglite?: PGliteLike | undefined;
  /** With `connectionString`: `synchronous_commit` of every connection opened. */
  synchronousCommit?: 'off' | undefined;
}

export function createRunner(source: RunnerSource): Runner {
  if (source.pglite) return pgliteRunner(source.pglite);
  if (source.pool) return poolRunner(source.pool, false);
  const pool = new pg.Pool({
    connectionString: source.connectionString,
    max: 10,
    ...(source.synchronousCommit
      ? { options: `-c synchronous_commit=${source.synchronousCommit}` }
      : {}),
  });
  // An idle client losing its connection must not crash the process.
  pool.on('error', () => {});
  return poolRunner(pool as unknown as PoolLike, true);
}

function poolRunner(pool: PoolLike, owned: boolean): Runner {
  const wrap = <R>(r: { rows: unknown[]; rowCount: number | null }): QueryResult<R> => ({
    rows: r.rows as R[],
    rowCount: r.rowCount ?? 0,
  });
  // Statements with parameters are prepared once per connection (named by a hash of their
  // text), so the server parses and plans the hot statements once.
  const names = new Map<string, string>();
  const prepared = (text: string, values: unknown[] | undefined) => {
    if (values === undefined) return { text };
    let name = names.get(text);
    if (name === undefined) {
      name = `fulfil_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
      names.set(text, name);
    }
    return { text, values, name };
  };
  return {
    kind: 'pg',
    async query<R>(text: string, params?: unknown[]) {
      return wrap<R>(await pool.query(prepared(text, params)));
    },
    async transaction(fn) {
      const client = await pool.connect();
      // pg-pool takes its own `error` listener off a client while it is checked out, and a
      // pg `Client` emits `error` when its connection drops (a killed backend, a restart, a
      // network cut): with no listener that event ends the process. Ours stays on for the
      // whole checkout, and for good once the connection is lost.
      let lost: Error | undefined;
      const onError = (err: Error) => {
        lost ??= err;
      };
      client.on?.('error', onError);
      let broken: Error | undefined;
      let stage: 'begin' | 'statement' | 'commit' = 'begin';
      try {
        await client.query('BEGIN');
        stage = 'statement';
        const tx: Queryable = {
          async query<R>(text: string, params?: unknown[]) {
            return wrap<R>(await client.query(prepared(text, params)));
          },
        };
        const result = await fn(tx);
        stage = 'commit';
        await client.query('COMMIT');
        return result;
      } catch (err) {
        if (lost === undefined && !isConnectionLoss(err)) {
          broken = await client.query('ROLLBACK').then(
            () => undefined,
            (rollbackError: Error) => rollbackError,
          );
          if (broken === undefined) throw err;
        }
        // The connection is gone (an `error` event, a connection-class error, or a failed
        // ROLLBACK): a typed, retryable error instead of whatever the driver said last.
        broken = lost ?? (isConnectionLoss(err) ? (err as Error) : broken);
        throw connectionLost(err, broken, stage);
      } finally {
        // A client whose connection failed goes back with the error: the pool discards it.
        broken ??= lost;
        if (broken === undefined) client.removeListener?.('error', onError);
        client.release(broken);
      }
    },
    async close() {
      if (owned) await pool.end();
    },
  };
}

function pgliteRunner(db: PGliteLike): Runner {
  const wrap = <R>(r: { rows: unknown[]; affectedRows?: number | undefined }): QueryResult<R> => ({
    rows: r.rows as R[],
    rowCount: r.affectedRows ?? r.rows.length,
  });
  return {
    kind: 'pglite',
    async query<R>(text: string, params?: unknown[]) {
      return wrap<R>(await db.query(text, params));
    },
    transaction(fn) {
      return db.transaction((tx) =>
        fn({
          async query<R>(text: string, params?: unknown[]) {
            return wrap<R>(await tx.query(text, params));
          },
        }),
      );
    },
    async close() {},
  };
}

/** SQLSTATEs and driver messages that mean the connection itself is gone. */
function isConnectionLoss(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    // 08xxx connection exception; 57P01-03 admin/crash shutdown, cannot connect now.
    if (code.startsWith('08') || /^57P0[1-3]$/.test(code)) return true;
    if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ETIMEDOUT') return true;
  }
  const message = err instanceof Error ? err.message : '';
  return /Connection terminated|not queryable|Client was closed/i.test(message);
}

/** The typed error a transaction fails with when its connection drops. */
function connectionLost(
  err: unknown,
  first: Error | undefined = err as Error,
  stage: 'begin' | 'statement' | 'commit',
): FulfilError {
  if (isFulfilError(err) && err.details.reason === 'connection_lost') return err;
  const state = (first as { code?: unknown }).code;
  const outcome =
    stage === 'commit'
      ? 'it was lost during COMMIT, so the transaction may or may not have committed'
      : 'the server rolled the transaction back';
  return new FulfilError(
    'ADAPTER_FAILED',
    `postgres connection lost during a transaction (${first.message}); ${outcome}. ` +
      'Retry once the database is reachable.',
    {
      cause: err,
      details: {
        reason: 'connection_lost',
        retryable: true,
        stage,
        ...(typeof state === 'string' ? { sqlState: state } : {}),
      },
    },
  );
}
