import { describe } from 'vitest';
import type { Storage } from '../ports/storage';
import { freshPerCase } from './helpers';
import { commitCases } from './storage/commit-cases';
import { completionCases } from './storage/completion-cases';
import { concurrentCases } from './storage/concurrent-cases';
import type { StorageCaseContext } from './storage/context';
import { outboxCases } from './storage/outbox-cases';
import { readCases } from './storage/read-cases';
import { reservationCases } from './storage/reservation-cases';
import { timerCases } from './storage/timer-cases';

/** What a storage factory hands the conformance suite. */
export interface StorageTestSetup {
  /** The storage under test. It MUST start empty: no orders, inbox keys, commands or timers. */
  storage: Storage;
  /**
   * Opens a second handle on the same data, as another process would (a new
   * pool, a new client). Used by the `multiProcess` cases; without it they use
   * `storage` again.
   */
  connect?: () => Promise<Storage>;
  /** Releases what the setup opened (pools, temp schemas). Runs after each case. */
  cleanup?: () => Promise<void>;
}

/** Makes a fresh, empty storage. Called once to read capabilities, then once per case. */
export type StorageFactory = () => Promise<StorageTestSetup>;

/**
 * Registers the {@link Storage} conformance suite: one vitest case per MUST in
 * the port contract (atomic commit, version conflicts write nothing, the inbox
 * commits with the record, copies, verbatim strings, claims, leases, fencing,
 * retries, dead rows, timers, `listOrders`, history, stock reservations, commits made at once). Cases for capabilities
 * the storage declares `false` are skipped, and their names say why.
 *
 * @example
 * ```ts
 * // test/postgres.conformance.test.ts
 * import { storageConformance } from '@fulfil/core/testing';
 * import { createPostgresStorage } from '../src';
 *
 * storageConformance('postgres', async () => {
 *   const db = await createTempDatabase();
 *   return { storage: createPostgresStorage({ pool: db.pool }), cleanup: db.drop };
 * });
 * ```
 */
export function storageConformance(name: string, factory: StorageFactory): void {
  describe(`Storage conformance: ${name}`, async () => {
    const probe = await factory();
    const capabilities = { ...probe.storage.capabilities };
    await probe.cleanup?.();

    const fresh = freshPerCase('storage', factory);
    const ctx: StorageCaseContext = {
      get storage() {
        return fresh.current.storage;
      },
      connect: async () => {
        const setup = fresh.current;
        return setup.connect ? setup.connect() : setup.storage;
      },
      get now() {
        return fresh.now;
      },
      capabilities,
    };

    commitCases(ctx);
    readCases(ctx);
    outboxCases(ctx);
    timerCases(ctx);
    reservationCases(ctx);
    completionCases(ctx);
    concurrentCases(ctx);
  });
}
