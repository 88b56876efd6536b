/**
 * Fuzzing of @fulfil/core's boundaries: `engine.ingest` with arbitrary and structured-but-wrong
 * events, customer text of any UTF-16 (stored, and storable in PostgreSQL), rule JSON
 * (`compileRules`, then an engine running the rules) and `createEngine` options. Every input
 * ends in a typed `FulfilError` or a stored, storable order: never another exception.
 */
import {
  all,
  allowSplit,
  compileRules,
  type EngineOptions,
  fact,
  hold,
  isFulfilError,
  noteRules,
  notify,
  type OrderInput,
  riskRules,
  rule,
  setService,
} from '@fulfil/core';
import { makeOrder } from '@fulfil/core/testing';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  FUZZ_TIMEOUT,
  fuzz,
  hostileJson,
  hostileText,
  mutated,
  storable,
  typedOnly,
} from './fuzz-helpers';

vi.setConfig({ testTimeout: FUZZ_TIMEOUT });

import { T0, world } from './fuzz-world';
import { trials } from './report';

const iso = (t: number) => new Date(t).toISOString();
const order = (o: Partial<OrderInput> = {}) =>
  JSON.parse(
    JSON.stringify(
      makeOrder({
        id: 'o-1',
        note: 'gift wrap please 🎁',
        tags: ['vip'],
        noteAttributes: [{ name: 'gift', value: 'yes' }],
        lines: [
          { id: 'l1', sku: 'TEE-M', title: 'Tee', quantity: 1, unitPrice: 2500 },
          { id: 'l2', sku: 'MUG', title: 'Mug', quantity: 2, unitPrice: 1200 },
        ],
        ...o,
      }),
    ),
  );
const received = { type: 'order.received', idempotencyKey: 'k-recv', occurredAt: iso(T0) };

/** A valid event of each kind for order `o-1` (after it was received). */
const FOLLOW_UPS: Record<string, unknown>[] = [
  { type: 'order.paid', idempotencyKey: 'k-paid', occurredAt: iso(T0), orderId: 'o-1' },
  {
    type: 'order.updated',
    idempotencyKey: 'k-upd',
    occurredAt: iso(T0 + 1000),
    order: order({ updatedAt: iso(T0 + 1000), note: 'changed' }),
    upstreamUpdatedAt: iso(T0 + 1000),
  },
  {
    type: 'order.cancelled',
    idempotencyKey: 'k-c',
    occurredAt: iso(T0),
    orderId: 'o-1',
    reason: 'customer',
  },
  {
    type: 'warehouse.shipped',
    idempotencyKey: 'k-s',
    occurredAt: iso(T0),
    orderId: 'o-1',
    shipmentId: 'o-1-s1',
    tracking: { carrier: 'usps', number: '9400', url: 'https://example.com/t' },
    lines: [{ lineId: 'l1', quantity: 1 }],
  },
  {
    type: 'warehouse.rejected',
    idempotencyKey: 'k-r',
    occurredAt: iso(T0),
    orderId: 'o-1',
    shipmentId: 'o-1-s1',
    reason: 'no stock',
  },
  {
    type: 'review.resolved',
    idempotencyKey: 'k-rv',
    occurredAt: iso(T0),
    orderId: 'o-1',
    resolution: 'route',
    locationId: 'west',
    by: 'ops',
    comment: 'ok',
  },
  {
    type: 'inventory.changed',
    idempotencyKey: 'k-i',
    occurredAt: iso(T0),
    locationId: 'east',
    sku: 'TEE-M',
    available: 4,
  },
  {
    type: 'store.fulfillment_changed',
    idempotencyKey: 'k-sf',
    occurredAt: iso(T0),
    orderId: 'o-1',
    change: { kind: 'hold_placed', holdId: 'h1', reason: 'fraud', notes: 'check' },
  },
  {
    type: 'command.failed',
    idempotencyKey: 'k-cf',
    occurredAt: iso(T0),
    orderId: 'o-1',
    commandId: 'c1',
    commandType: 'warehouse.submit',
    error: 'boom',
  },
  {
    type: 'order.signal',
    idempotencyKey: 'k-sig',
    occurredAt: iso(T0),
    orderId: 'o-1',
    signal: 'CUSTOM',
  },
];

/** Ingests; a result or a typed error; after it, every stored order and history is storable. */
async function ingestChecked(w: ReturnType<typeof world>, event: unknown): Promise<void> {
  try {
    await w.engine.ingest(event);
  } catch (err) {
    typedOnly(err);
  }
  for (const r of await w.storage.listOrders({})) {
    expect(storable(r), 'stored record is storable in PostgreSQL').toBe(true);
    expect(storable(await w.storage.history(r.orderId))).toBe(true);
  }
}

describe('fuzz: engine.ingest', () => {
  it('arbitrary JSON values as events: a typed error, never a crash', async () => {
    const w = world();
    await fuzz(
      {
        area: 'core',
        fault: 'engine.ingest of arbitrary JSON (hostile Unicode)',
        result: 'only INVALID_INPUT, no other error',
      },
      fc.asyncProperty(fc.oneof(hostileJson, fc.anything()), async (input) => {
        await ingestChecked(w, input as never);
      }),
      trials(300, 5000),
    );
  });

  it('a valid order.received with fields removed, retyped or replaced: typed error or stored', async () => {
    await fuzz(
      {
        area: 'core',
        fault: 'engine.ingest of order.received with 1-4 fields mutated',
        result: 'INVALID_INPUT or stored (storable)',
      },
      fc.asyncProperty(mutated({ ...received, order: order() }), async (event) => {
        await ingestChecked(world(), event);
      }),
      trials(300, 5000),
    );
  });

  it('every other event kind, mutated, after a stored order: typed error or applied', async () => {
    await fuzz(
      {
        area: 'core',
        fault: 'engine.ingest of each follow-up event kind mutated',
        result: 'INVALID_INPUT or applied (storable)',
      },
      fc.asyncProperty(
        fc.constantFrom(...FOLLOW_UPS).chain((e) => mutated(e)),
        async (event) => {
          const w = world();
          await w.engine.ingest({ ...received, order: order() });
          await ingestChecked(w, event);
        },
      ),
      trials(300, 5000),
    );
  });

  it('customer text of any UTF-16 in every free-text field: the order is stored, storable', async () => {
    const texts = fc.record({
      note: hostileText,
      tag: hostileText,
      title: hostileText,
      name: hostileText,
      attr: hostileText,
      city: hostileText,
      email: hostileText,
    });
    await fuzz(
      {
        area: 'core',
        fault: 'order.received with any UTF-16 (NUL, lone surrogates) in free text',
        result: 'every order stored, all text storable, repairs explained',
      },
      fc.asyncProperty(texts, async (t) => {
        const w = world();
        const o = order({
          note: t.note,
          tags: [t.tag],
          noteAttributes: [{ name: t.attr, value: t.attr }],
          customer: { email: t.email, tags: [t.tag] },
          shippingAddress: { name: t.name, city: t.city, country: 'US' },
        });
        o.lines[0].title = t.title;
        o.lines[0].properties = [{ name: t.attr, value: t.note }];
        const result = await w.engine.ingest({ ...received, order: o });
        expect(result.outcome).not.toBe('ignored');
        const stored = await w.storage.load('o-1');
        expect(stored).toBeDefined();
        expect(storable(stored)).toBe(true);
        const history = await w.storage.history('o-1');
        expect(storable(history)).toBe(true);
        if (!storable(o)) expect(history[0]?.explanation.sanitized?.length).toBeGreaterThan(0);
      }),
      trials(200, 3000),
    );
  });
});

const VALID_RULES = JSON.parse(
  JSON.stringify([
    ...noteRules(),
    ...riskRules(),
    rule('vip')
      .at('before_routing')
      .priority(10)
      .when(all(fact('lines.hasBackordered').eq(true), fact('customer.tags').contains('VIP')))
      .do(allowSplit(), notify('warehouse', 'VIP split'))
      .build(),
    rule('short')
      .at('before_routing')
      .when(fact('inventory.hasBackorder').eq(true))
      .do(hold({ for: { hours: 24 }, reason: 'waiting', releaseOnStock: true }))
      .build(),
    rule('note')
      .at('received')
      .when(fact('order.note').matches('/gift/i'))
      .do(setService('express'))
      .build(),
  ]),
) as unknown[];

describe('fuzz: configuration', () => {
  it('rule JSON mutated: compileRules throws CONFIG_INVALID or compiles, and an engine runs the rules', async () => {
    await fuzz(
      {
        area: 'core',
        fault: 'compileRules + engine with rule JSON mutated (1-4 fields)',
        result: 'CONFIG_INVALID, or rules that run: INVALID_INPUT or stored',
      },
      fc.asyncProperty(
        fc.oneof(
          { weight: 4, arbitrary: mutated(VALID_RULES) },
          fc.array(hostileJson, { maxLength: 3 }),
        ),
        async (rules) => {
          try {
            compileRules(rules as unknown[]);
          } catch (err) {
            if (!isFulfilError(err, 'CONFIG_INVALID')) throw err;
            return;
          }
          let w: ReturnType<typeof world>;
          try {
            w = world({ rules: rules as never });
          } catch (err) {
            // Text PostgreSQL cannot store is refused by the engine, not by compileRules.
            if (!isFulfilError(err, 'CONFIG_INVALID')) throw err;
            return;
          }
          await ingestChecked(w, { ...received, order: order() });
          await w.engine.runDue().catch(typedOnly);
        },
      ),
      trials(300, 5000),
    );
  });

  it('createEngine options mutated: CONFIG_INVALID or a working engine', async () => {
    const json = {
      locations: [
        { id: 'east', warehouse: 'east-wh', priority: 1 },
        { id: 'west', warehouse: 'west-wh', priority: 2 },
      ],
      timeZone: 'America/New_York',
      notifyCustomer: true,
      dispatch: { maxAttempts: 3, backoffMs: 1000, leaseMs: 30000, batch: 10, concurrency: 2 },
      autoDispatch: true,
      conflictRetries: 4,
      reservations: { releaseOn: 'shipped' },
      rules: VALID_RULES.slice(-2),
    };
    await fuzz(
      {
        area: 'core',
        fault: 'createEngine with its JSON options mutated (1-4 fields)',
        result: 'CONFIG_INVALID, or an engine that stores the order',
      },
      fc.asyncProperty(mutated(json), async (options) => {
        let w: ReturnType<typeof world>;
        try {
          w = world(options as Partial<EngineOptions>);
        } catch (err) {
          typedOnly(err);
          return;
        }
        await ingestChecked(w, { ...received, order: order() });
      }),
      trials(300, 5000),
    );
  });
});
