import { type Commit, isFulfilError, type ReservationTake } from '@fulfil/core';
import { makeCommit } from '@fulfil/core/testing';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase } from './test-db';

const db = await openTestDatabase();
afterAll(() => db.drop());
beforeEach(() => db.truncate());

const take = (key: string, loc: string, sku: string, quantity: number, available: number) =>
  ({ key, locationId: loc, sku, quantity, available }) satisfies ReservationTake;
const withTakes = (takes: ReservationTake[], release: string[] = []): Commit => ({
  ...makeCommit(),
  reservations: { take: takes, release },
});

describe(`postgres stock reservations (${db.kind})`, () => {
  it('commits taking several pairs in opposite orders from separate connections never deadlock, and no pair is over-taken', async () => {
    const handles = [db.storage(), db.connect(), db.connect(), db.connect()];
    const AVAILABLE = { TEE: 7, MUG: 5 };
    const commits = Array.from({ length: 24 }, (_, i) =>
      withTakes(
        i % 2 === 0
          ? [
              take(`a${i}`, 'east', 'TEE', 1, AVAILABLE.TEE),
              take(`b${i}`, 'west', 'MUG', 1, AVAILABLE.MUG),
            ]
          : [
              take(`b${i}`, 'west', 'MUG', 1, AVAILABLE.MUG),
              take(`a${i}`, 'east', 'TEE', 1, AVAILABLE.TEE),
            ],
      ),
    );
    const results = await Promise.allSettled(commits.map((c, i) => handles[i % 4]!.commit(c)));
    for (const r of results) {
      if (r.status === 'rejected') {
        expect(isFulfilError(r.reason, 'VERSION_CONFLICT'), String(r.reason)).toBe(true);
        expect(r.reason.details.reason).toBe('stock');
      }
    }
    // Every commit takes one of each: MUG (5) runs out first, so exactly 5 commits win.
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(AVAILABLE.MUG);
    const reserved = await db.storage().reserved(['TEE', 'MUG']);
    expect(reserved.units).toEqual({ east: { TEE: 5 }, west: { MUG: 5 } });
  });

  it('a commit that only releases frees the units', async () => {
    const storage = db.storage();
    const first = withTakes([take('a', 'east', 'TEE', 2, 5)]);
    await storage.commit(first);
    await storage.commit({
      ...makeCommit({ previous: first.record }),
      reservations: { take: [], release: ['a'] },
    });
    expect((await storage.reserved(['TEE'])).units).toEqual({});
  });

  it('purge drops reservations released more than an hour ago, keeps active and recent ones', async () => {
    const storage = db.storage();
    const first = withTakes([take('old', 'east', 'TEE', 1, 9), take('kept', 'east', 'MUG', 1, 9)]);
    await storage.commit(first);
    await storage.commit({
      ...makeCommit({ previous: first.record }),
      reservations: { take: [take('active', 'east', 'TEE', 1, 9)], release: ['old', 'kept'] },
    });
    await db.sql(
      `UPDATE "${db.schema}".reservations SET released_at = released_at - 2 * 3600000 WHERE key = 'old'`,
    );
    const purged = await storage.purge({ now: Date.now() });
    expect(purged.reservations).toBe(1);
    const keys = await db.sql<{ key: string }>(
      `SELECT key FROM "${db.schema}".reservations ORDER BY key`,
    );
    expect(keys.map((k) => k.key)).toEqual(['active', 'kept']);
  });

  it('reservation keys, locations and SKUs with quotes and SQL are stored verbatim', async () => {
    const storage = db.storage();
    const sku = "Robert'); DROP TABLE reservations;--";
    const loc = 'it\'s "east"';
    await storage.commit(withTakes([take(`["s'1", "${sku}"]`, loc, sku, 2, 3)]));
    expect((await storage.reserved([sku])).units).toEqual({ [loc]: { [sku]: 2 } });
  });
});
