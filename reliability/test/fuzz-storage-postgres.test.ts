/**
 * Customer text of any UTF-16 on the real database path (issue 13 item 3): orders whose free
 * text holds NULs, lone surrogates, emoji, controls, quotes and backslashes go through an
 * engine on @fulfil/storage-postgres (DATABASE_URL, else embedded PGlite), and every one is
 * stored: no 22P05 / 22021 / 22P02, the text read back is the engine's repaired text.
 */
import {
  createEngine,
  createMemoryInventory,
  createSimulatedClock,
  createSimulatedWarehouse,
} from '@fulfil/core';
import { makeOrder } from '@fulfil/core/testing';
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { openTestDatabase } from '../../packages/storage-postgres/test/test-db';
import { FUZZ_TIMEOUT, fuzz, hostileText, storable } from './fuzz-helpers';

vi.setConfig({ testTimeout: FUZZ_TIMEOUT });

import { trials } from './report';

const db = await openTestDatabase();
afterAll(() => db.drop());

describe(`fuzz: customer text on PostgreSQL (${db.kind})`, () => {
  it('every order with hostile free text is stored, and reads back storable', async () => {
    const clock = createSimulatedClock(Date.parse('2026-11-27T09:00:00Z'));
    const stock = { east: { 'TEE-M': 1_000_000 } };
    const engine = createEngine({
      storage: db.storage(),
      clock,
      inventory: createMemoryInventory({ stock }),
      warehouses: { w: createSimulatedWarehouse({ name: 'w', clock, locations: ['east'], stock }) },
      locations: [{ id: 'east', warehouse: 'w' }],
    });
    let n = 0;
    await fuzz(
      {
        area: 'storage-postgres',
        fault: `order.received with any UTF-16 in note, tags, names, titles, attributes (${db.kind})`,
        result: 'every order stored; no 22P05/22021/22P02; text read back repaired',
      },
      fc.asyncProperty(
        fc.record({
          note: hostileText,
          tag: hostileText,
          name: hostileText,
          title: hostileText,
          attr: hostileText,
        }),
        async (t) => {
          const id = `o-${++n}`;
          const order = makeOrder({
            id,
            note: t.note,
            tags: [t.tag],
            noteAttributes: [{ name: t.attr, value: t.note }],
            shippingAddress: { name: t.name, city: t.tag, country: 'US' },
            lines: [{ id: 'l1', sku: 'TEE-M', title: t.title, quantity: 1, unitPrice: 100 }],
          });
          const result = await engine.ingest({
            type: 'order.received',
            idempotencyKey: `k-${id}`,
            occurredAt: new Date(clock.now()).toISOString(),
            order,
          });
          expect(result.status).toBe('submitted');
          const { record, history } = await engine.explain(id);
          expect(storable(record) && storable(history)).toBe(true);
          expect(record.order.note).toBe(
            (t.note as unknown as { toWellFormed(): string }).toWellFormed().replaceAll('\0', ''),
          );
        },
      ),
      trials(40, 1_000),
    );
  });
});
