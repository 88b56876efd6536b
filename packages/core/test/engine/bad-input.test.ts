import { describe, expect, it } from 'vitest';
import { type FulfilError, isFulfilError } from '../../src/errors';
import { defaultMachine, extendMachine } from '../../src/machine';
import type { MemoryStorage } from '../../src/memory';
import { MAX_ORDER_LINES } from '../../src/model/order';
import { createWorld } from './world';

type Raw = Record<string, unknown>;
type World = ReturnType<typeof createWorld>;

/** A received event for a valid two-line order, with `value` put at `path` in the order. */
function receivedWith(w: World, path: (string | number)[], value: unknown): Raw {
  const order = structuredClone(
    w.order({
      id: 'o-bad',
      lines: [
        { id: 'l1', sku: 'TEE-M', quantity: 1, unitPrice: 2500 },
        { id: 'l2', sku: 'MUG', quantity: 1, unitPrice: 1200 },
      ],
    }),
  ) as unknown as Raw;
  let at: Record<string | number, unknown> = order;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  at[path.at(-1) as string | number] = value;
  return { ...(w.received(w.order()) as Raw), order };
}

async function rejection(w: World, input: unknown): Promise<FulfilError> {
  const err = await w.engine.ingest(input).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isFulfilError(err, 'INVALID_INPUT'), `expected INVALID_INPUT, got ${String(err)}`).toBe(
    true,
  );
  return err as FulfilError;
}

async function expectNothingStored(w: World): Promise<void> {
  const storage = w.storage as MemoryStorage;
  expect(await storage.listOrders({})).toEqual([]);
  expect(storage.outbox()).toEqual([]);
  expect(storage.timers()).toEqual([]);
  expect(storage.inbox()).toEqual([]);
  expect(w.east.orders()).toEqual([]);
}

const T = '2026-11-27T09:00:00Z';
const BAD_EVENTS: [string, (w: World) => unknown, string][] = [
  [
    'zero quantity',
    (w) => receivedWith(w, ['lines', 0, 'quantity'], 0),
    'event.order.lines[0].quantity: must be > 0',
  ],
  [
    'negative quantity',
    (w) => receivedWith(w, ['lines', 1, 'quantity'], -2),
    'event.order.lines[1].quantity: must be > 0',
  ],
  [
    'fractional quantity',
    (w) => receivedWith(w, ['lines', 1, 'quantity'], 1.5),
    'event.order.lines[1].quantity: must be a whole number',
  ],
  [
    'no lines',
    (w) => receivedWith(w, ['lines'], []),
    'event.order.lines: an order needs at least one line',
  ],
  [
    'duplicate line ids',
    (w) => receivedWith(w, ['lines', 1, 'id'], 'l1'),
    'event.order.lines[1].id: duplicate line id "l1"',
  ],
  [
    'unknown currency',
    (w) => receivedWith(w, ['currency'], 'XYZ'),
    'event.order.currency: unknown ISO 4217 currency code',
  ],
  [
    'non-integer unit price',
    (w) => receivedWith(w, ['lines', 1, 'unitPrice'], 12.5),
    'event.order.lines[1].unitPrice: must be an integer amount in minor units',
  ],
  [
    'non-integer total',
    (w) => receivedWith(w, ['totals', 'total'], 30.01),
    'event.order.totals.total: must be an integer amount in minor units',
  ],
  [
    'negative price',
    (w) => receivedWith(w, ['lines', 0, 'unitPrice'], -1),
    'event.order.lines[0].unitPrice: must be >= 0',
  ],
  [
    'money as a string',
    (w) => receivedWith(w, ['lines', 0, 'unitPrice'], '25.00'),
    'event.order.lines[0].unitPrice: ',
  ],
  [
    'numeric order id',
    (w) => receivedWith(w, ['id'], JSON.parse('820982911946154508')),
    'event.order.id: ',
  ],
  [
    'word for a timestamp',
    (w) => receivedWith(w, ['createdAt'], 'yesterday'),
    'event.order.createdAt: Invalid ISO datetime',
  ],
  [
    'timestamp without offset',
    (w) => receivedWith(w, ['updatedAt'], '2026-11-27T09:00:00'),
    'event.order.updatedAt: Invalid ISO datetime',
  ],
  [
    'impossible date',
    (w) => receivedWith(w, ['lines', 1, 'shipAfter'], '2026-02-30T09:00:00Z'),
    'event.order.lines[1].shipAfter: Invalid ISO datetime',
  ],
  [
    'bad occurredAt',
    (w) => ({ ...(w.event('order.paid', 'o-1') as Raw), occurredAt: '2026-13-01T00:00:00Z' }),
    'event.occurredAt: Invalid ISO datetime',
  ],
  [
    'bad upstreamUpdatedAt',
    (w) => ({
      ...(w.event('order.updated', 'o-1', { order: w.order() }) as Raw),
      upstreamUpdatedAt: 'now',
    }),
    'event.upstreamUpdatedAt: Invalid ISO datetime',
  ],
  [
    'unknown event type',
    () => ({ type: 'order.exploded', idempotencyKey: 'k', occurredAt: T, orderId: 'o-1' }),
    'event.type: Invalid discriminator value',
  ],
  [
    'missing idempotencyKey',
    () => ({ type: 'order.paid', occurredAt: T, orderId: 'o-1' }),
    'event.idempotencyKey: ',
  ],
  [
    'empty idempotencyKey',
    () => ({ type: 'order.paid', idempotencyKey: '', occurredAt: T, orderId: 'o-1' }),
    'event.idempotencyKey: ',
  ],
  [
    'shipped line with zero quantity',
    (w) =>
      w.event('warehouse.shipped', 'o-1', {
        shipmentId: 's',
        tracking: { carrier: 'c', number: '1' },
        lines: [{ lineId: 'l1', quantity: 0 }],
      }),
    'event.lines[0].quantity: must be > 0',
  ],
  [
    'lower-case signal',
    (w) => w.event('order.signal', 'o-1', { signal: 'engraved' }),
    'event.signal: must be an UPPER_SNAKE_CASE machine event',
  ],
];

describe('engine: bad input is refused with its path, and nothing is stored', () => {
  it.each(BAD_EVENTS)('%s', async (_, build, message) => {
    const w = createWorld();
    const err = await rejection(w, build(w));
    expect(err.message).toContain(message);
    expect(err.details.path).toBe(message.slice(0, message.indexOf(':')));
    await expectNothingStored(w);
  });

  it('takes a 10,000-line order and routes it', async () => {
    const stock: Record<string, number> = {};
    const lines = Array.from({ length: MAX_ORDER_LINES }, (_, i) => {
      stock[`SKU-${i}`] = 1;
      return { id: `l${i}`, sku: `SKU-${i}`, quantity: 1, unitPrice: 100 };
    });
    const w = createWorld({ east: stock, west: {} });
    const order = w.order({ lines, totals: { subtotal: 1_000_000, total: 1_000_000 } });
    const started = performance.now();
    const r = await w.engine.ingest(w.received(order));
    const ms = performance.now() - started;
    console.log(`10,000-line order: ingested, routed and submitted in ${ms.toFixed(0)} ms`);
    expect(r).toMatchObject({ outcome: 'applied', status: 'submitted', version: 1 });
    const record = await w.engine.get(order.id);
    expect(record?.shipments).toHaveLength(1);
    expect(record?.shipments[0]?.lines).toHaveLength(MAX_ORDER_LINES);
    expect(w.east.orders()).toHaveLength(1);
  });

  it('refuses a 10,001-line order', async () => {
    const w = createWorld();
    const err = await rejection(
      w,
      receivedWith(
        w,
        ['lines'],
        Array.from({ length: MAX_ORDER_LINES + 1 }, (_, i) => ({
          id: `l${i}`,
          sku: 'TEE-M',
          quantity: 1,
          unitPrice: 100,
        })),
      ),
    );
    expect(err.message).toContain('event.order.lines: an order may have at most 10000 lines');
    await expectNothingStored(w);
  });

  it('creates the order from an update for an order it has never seen', async () => {
    const w = createWorld();
    const order = w.order({ id: 'o-new' });
    const r = await w.engine.ingest(
      w.event('order.updated', 'o-new', { order, upstreamUpdatedAt: '2026-11-27T09:30:00Z' }),
    );
    expect(r).toMatchObject({ outcome: 'applied', orderId: 'o-new', status: 'submitted' });
    expect(r.version).toBe(1);
    const { record, history } = await w.engine.explain('o-new');
    expect(record.upstreamUpdatedAt).toBe('2026-11-27T09:30:00Z');
    expect(history[0]).toMatchObject({ version: 1, eventType: 'order.updated', from: null });
    expect(w.east.orders()).toHaveLength(1);
  });
});

function configError(options: Parameters<typeof createWorld>[1]): FulfilError {
  let err: unknown;
  try {
    createWorld(undefined, options);
  } catch (e) {
    err = e;
  }
  expect(isFulfilError(err, 'CONFIG_INVALID'), `expected CONFIG_INVALID, got ${String(err)}`).toBe(
    true,
  );
  return err as FulfilError;
}

describe('engine: bad configuration is refused with its path', () => {
  it('duplicate location ids', () => {
    const err = configError({
      locations: [
        { id: 'east', warehouse: 'east-wh' },
        { id: 'east', warehouse: 'west-wh' },
      ],
    });
    expect(err.message).toContain('locations[1].id: duplicate location id "east"');
  });

  it('a location naming a missing warehouse', () => {
    const err = configError({ locations: [{ id: 'east', warehouse: 'nowhere' }] });
    expect(err.message).toContain('locations[0].warehouse: no warehouse adapter "nowhere"');
    expect(err.message).toContain('east-wh, west-wh');
  });

  it('no locations at all', () => {
    expect(configError({ locations: [] }).details.path).toBe('locations');
  });

  it('an unknown time zone', () => {
    const err = configError({ timeZone: 'Mars/Olympus_Mons' });
    expect(err.message).toContain('timeZone: unknown IANA time zone');
  });

  it('a bad rule, named by index and id', () => {
    const err = configError({
      rules: [
        {
          id: 'vip-tag',
          stage: 'received',
          when: { fact: 'customer.tags', op: 'contains', value: 'VIP' },
          actions: [{ type: 'add_tag', tag: 'vip' }],
        },
        {
          id: 'colour-check',
          stage: 'paid',
          when: { fact: 'order.colour', op: 'eq', value: 'red' },
          actions: [{ type: 'add_tag', tag: 'red' }],
        },
      ],
    });
    expect(err.message).toContain(
      'rules[1].when.fact (rule colour-check): unknown fact "order.colour"',
    );
  });

  it('a machine with an unreachable state', () => {
    const machine = extendMachine(defaultMachine, {
      states: { limbo: { kind: 'hold', on: { CANCEL: 'cancelled' } } },
    });
    const err = configError({ machine });
    expect(err.message).toContain(
      'machine.states.limbo: state "limbo" is unreachable from the initial state "received"',
    );
  });
});
