import { describe, expect, it } from 'vitest';
import { isFulfilError } from '../../src/errors';
import type { MemoryStorage } from '../../src/memory';
import { createWorld } from './world';

// Issue 13 item 3: a NUL or a lone UTF-16 surrogate in customer text is repaired before the
// event is validated, the order is stored, and the explanation names what was changed.

const NUL = '\u0000';
const HIGH = '\ud800';
const LOW = '\udc00';

describe('customer text with NULs and lone surrogates', () => {
  it('stores the order with clean text and lists every repaired field in the explanation and history', async () => {
    const w = createWorld();
    const order = w.order({
      id: 'o-text',
      note: `leave at door${NUL} please ${HIGH}🎁`,
      noteAttributes: [{ name: `gift${NUL}`, value: `yes${LOW}` }],
      tags: ['vip', `wholesale${NUL}`],
      shippingAddress: {
        name: `Ada${HIGH}`,
        line1: '1 Main St',
        city: 'Springfield',
        country: 'US',
      },
      lines: [
        { id: 'l1', sku: 'TEE-M', title: `Tee${NUL}${NUL}`, quantity: 1, unitPrice: 2500 },
        { id: 'l2', sku: 'MUG', title: 'Mug 👍', quantity: 1, unitPrice: 1200 },
      ],
    });
    const result = await w.engine.ingest(w.received(order));
    expect(result.status).toBe('submitted');
    const repaired = [
      { path: 'order.shippingAddress.name', nul: 0, surrogates: 1 },
      { path: 'order.lines[0].title', nul: 2, surrogates: 0 },
      { path: 'order.note', nul: 1, surrogates: 1 },
      { path: 'order.noteAttributes[0].name', nul: 1, surrogates: 0 },
      { path: 'order.noteAttributes[0].value', nul: 0, surrogates: 1 },
      { path: 'order.tags[1]', nul: 1, surrogates: 0 },
    ];
    expect(result.explanation?.sanitized).toEqual(expect.arrayContaining(repaired));
    expect(result.explanation?.sanitized).toHaveLength(repaired.length);
    const note = result.explanation?.notes.find((n) => n.startsWith('customer text repaired'));
    expect(note).toContain('order.note: 1 NUL removed, 1 lone surrogate(s) replaced with U+FFFD');
    expect(note).not.toMatch(/[\0\ud800-\udfff]/);

    const { record, history } = await w.engine.explain('o-text');
    expect(record.order.note).toBe('leave at door please \ufffd🎁');
    expect(record.order.noteAttributes).toEqual([{ name: 'gift', value: 'yes\ufffd' }]);
    expect(record.order.tags).toEqual(['vip', 'wholesale']);
    expect(record.order.shippingAddress?.name).toBe('Ada\ufffd');
    expect(record.order.lines.map((l) => l.title)).toEqual(['Tee', 'Mug 👍']);
    expect(history[0]?.explanation.sanitized).toEqual(result.explanation?.sanitized);
    expect(history[0]?.summary).toContain('text repaired in');
    // The warehouse got the clean text too.
    expect(w.east.orders()[0]?.request.note).toBe('leave at door please \ufffd🎁');
  });

  it('leaves clean text (emoji, other scripts) alone and adds no repair', async () => {
    const w = createWorld();
    const note = 'gift 🎁 for 👩‍👩‍👧 — ünïcödé 日本語 𝄞';
    const result = await w.engine.ingest(w.received(w.order({ id: 'o-clean', note })));
    expect(result.explanation?.sanitized).toBeUndefined();
    expect((await w.engine.get('o-clean'))?.order.note).toBe(note);
  });

  it('repairs text in events other than orders (a cancel reason) and object keys', async () => {
    const w = createWorld();
    await w.engine.ingest(w.received(w.order({ id: 'o-2' })));
    const cancel = { ...w.event('order.cancelled', 'o-2'), reason: `fraud${NUL}`, [`x${LOW}`]: 1 };
    const result = await w.engine.ingest(cancel);
    expect(result.status).toBe('cancelled');
    expect(result.explanation?.sanitized).toEqual([
      { path: 'reason', nul: 1, surrogates: 0 },
      { path: '["x\ufffd"]', key: true, nul: 0, surrogates: 1 },
    ]);
    expect(result.explanation?.notes.join('\n')).toContain('reason: 1 NUL removed');
  });

  it('records the repair of an ignored event too', async () => {
    const w = createWorld();
    const result = await w.engine.ingest(w.event('order.paid', `unknown${NUL}`));
    expect(result.outcome).toBe('ignored');
    expect(result.explanation?.sanitized).toEqual([
      { path: 'orderId', nul: 1, surrogates: 0 },
      { path: 'idempotencyKey', nul: 1, surrogates: 0 },
    ]);
  });

  it('refuses (INVALID_INPUT) an id that is nothing but NULs, storing nothing', async () => {
    const w = createWorld();
    const err = await w.engine.ingest(w.received(w.order({ id: `${NUL}${NUL}` }))).catch((e) => e);
    expect(isFulfilError(err, 'INVALID_INPUT')).toBe(true);
    expect(String(err.message)).toContain('event.order.id');
    expect(await (w.storage as MemoryStorage).listOrders({})).toEqual([]);
  });

  it('repairs a warehouse failure message before it becomes a command.failed event', async () => {
    const w = createWorld(undefined, { dispatch: { maxAttempts: 1 } });
    w.east.failAlways(true, new Error(`upstream said ${NUL}${HIGH}`));
    w.west.failAlways(true, new Error(`upstream said ${NUL}${HIGH}`));
    await w.engine.ingest(w.received(w.order({ id: 'o-3' })));
    const { record, history } = await w.engine.explain('o-3');
    expect(record.status).toBe('needs_review');
    const failed = history.find((h) => h.eventType === 'command.failed');
    expect(failed?.explanation.sanitized).toEqual([{ path: 'error', nul: 1, surrogates: 1 }]);
    expect(JSON.stringify(history)).not.toMatch(/\\u0000|\\ud800/);
  });
});

describe('text from ports that is stored on the record', () => {
  it('repairs a classifier and a risk scorer answering with NULs and lone surrogates', async () => {
    const w = createWorld(undefined, {
      classifier: {
        name: 'echo',
        classify: async () => ({
          tags: [{ tag: 'gift', confidence: 0.9, text: `wrap${NUL} it${HIGH}` }],
          uncertain: false,
          classifier: `echo${NUL}`,
        }),
      },
      risk: {
        name: 'odd',
        assess: async () => ({
          score: 10,
          level: 'low',
          reasons: [{ signal: `s${LOW}`, weight: 1, reason: `r${NUL}` }],
          scorer: 'odd',
        }),
      },
    });
    await w.engine.ingest(w.received(w.order({ id: 'o-facts', note: 'please wrap it' })));
    const record = await w.engine.get('o-facts');
    expect(record?.facts.note?.tags[0]?.text).toBe('wrap it\ufffd');
    expect(record?.facts.note?.classifier).toBe('echo');
    expect(record?.facts.risk?.reasons[0]).toEqual({ signal: 's\ufffd', weight: 1, reason: 'r' });
  });
});

describe('configuration text PostgreSQL could not store', () => {
  it('is refused by createEngine with CONFIG_INVALID naming the path (found by fuzzing)', () => {
    const rules = [
      {
        id: 'svc',
        stage: 'received',
        when: { fact: 'order.total', op: 'gte', value: 0 },
        actions: [{ type: 'set_service', service: `express${NUL}` }],
      },
    ];
    let err: unknown;
    try {
      createWorld(undefined, { rules: rules as never });
    } catch (e) {
      err = e;
    }
    expect(isFulfilError(err, 'CONFIG_INVALID')).toBe(true);
    expect((err as Error).message).toContain('rules[0].actions[0].service');
    expect(() =>
      createWorld(undefined, {
        locations: [{ id: `east${HIGH}`, warehouse: 'east-wh' }],
      }),
    ).toThrow(/locations\[0\]\.id/);
  });
});

describe('a hold duration past the end of time (found by fuzzing)', () => {
  it('is refused by createEngine with CONFIG_INVALID instead of failing every decision', () => {
    const rules = [
      {
        id: 'forever',
        stage: 'received',
        when: { fact: 'order.total', op: 'gte', value: 0 },
        actions: [{ type: 'hold', reason: 'waiting', for: { hours: 2399501175 } }],
      },
    ];
    expect(() => createWorld(undefined, { rules: rules as never })).toThrow(
      /CONFIG_INVALID: .*rules\[0\]\.actions\[0\]\.for.*at most 3650 days/,
    );
  });
});
