import { createRequire } from 'node:module';
import type { PoolLike } from '../../packages/storage-postgres/src/index';

/** A pg Pool (pg comes from @fulfil/storage-postgres, whose dependency it is). */
interface Pool extends PoolLike {
  on(event: 'error', listener: (err: Error) => void): unknown;
}
const pg = createRequire(new URL('../../packages/storage-postgres/package.json', import.meta.url))(
  'pg',
) as { Pool: new (options: { connectionString: string; max: number }) => Pool };

/**
 * A pg Pool for `createPostgresStorage({ pool })` that counts the statements sent through it
 * (each one is a round trip to the server: pool queries and the queries of transactions on a
 * checked-out client, BEGIN and COMMIT included).
 */
export function countingPool(connectionString: string, max = 10) {
  const pool = new pg.Pool({ connectionString, max });
  pool.on('error', () => {});
  let statements = 0;
  const counted: PoolLike = {
    query: (config, params) => {
      statements++;
      return pool.query(config, params);
    },
    async connect() {
      const client = await pool.connect();
      return {
        query: (config, params) => {
          statements++;
          return client.query(config, params);
        },
        release: (err) => client.release(err),
        // The storage listens for a dropped connection while it holds the client.
        on: (event, listener) => client.on?.(event, listener),
        removeListener: (event, listener) => client.removeListener?.(event, listener),
      };
    },
    end: () => pool.end(),
  };
  return { pool: counted, statements: () => statements };
}
