// One engine of the stock race: routes orders for the last units against the fake stock
// warehouse (test/stock-warehouse.ts). Used in-process (PGlite) and by test/race-worker.ts.
import {
  createEngine,
  type Engine,
  fact,
  hold,
  type InventorySnapshot,
  rule,
  type Storage,
  type SubmitResult,
} from '@fulfil/core';

/** Orders short of stock wait (up to a day) for stock to arrive: the race's policy. */
export const HOLD_SHORT = rule('hold-short')
  .at('before_routing')
  .when(fact('inventory.hasBackorder').eq(true))
  .do(hold({ for: { hours: 24 }, reason: 'waiting for stock', releaseOnStock: true }))
  .build();

export const RACE_LOCATIONS = [
  { id: 'east', warehouse: 'stock-wh', priority: 1 },
  { id: 'west', warehouse: 'stock-wh', priority: 2 },
];

/** An engine on `storage` whose stock and warehouse are the fake at `base`; counts stock conflicts. */
export function raceEngine(storage: Storage, base: string) {
  const stats = { stockConflicts: 0 };
  const call = async (path: string, init?: RequestInit) => {
    const res = await fetch(`${base}${path}`, init);
    if (!res.ok) throw new Error(`stock warehouse ${path}: HTTP ${res.status}`);
    return res.json();
  };
  const counted: Storage = {
    ...storage,
    commit: (commit) =>
      storage.commit(commit).catch((err: unknown) => {
        if ((err as { details?: { reason?: unknown } }).details?.reason === 'stock')
          stats.stockConflicts++;
        throw err;
      }),
  };
  const engine: Engine = createEngine({
    storage: counted,
    inventory: {
      available: async (skus) =>
        (await call(`/stock?skus=${skus.map(encodeURIComponent).join(',')}`)) as InventorySnapshot,
    },
    warehouses: {
      'stock-wh': {
        name: 'stock-wh',
        capabilities: { cancel: false, holdUntil: false, inventory: false, shipmentEvents: false },
        submit: async (request, idempotencyKey) =>
          (await call('/submit', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ idempotencyKey, request }),
          })) as SubmitResult,
      },
    },
    locations: RACE_LOCATIONS,
    rules: [HOLD_SHORT],
    conflictRetries: 20,
  });

  /** Takes deliveries 4 at a time from the queue and ingests them concurrently; then drains the outbox. */
  async function run(): Promise<typeof stats> {
    for (;;) {
      const batch = (await call('/next?n=4')) as unknown[];
      if (batch.length === 0) break;
      await Promise.all(batch.map((event) => engine.ingest(event)));
    }
    await engine.dispatch();
    return stats;
  }
  return { engine, stats, run };
}
