import { describe, expect, it } from 'vitest';
import { createMemoryAlerts } from '../../src/memory';
import type { NoteClassification } from '../../src/model';
import { KeywordNoteClassifier, noteRules } from '../../src/notes';
import { HOUR, noteWorld } from './world';

const rules = noteRules();
const keyword = () => new KeywordNoteClassifier();

describe('each tag’s consequence, through the engine on the simulated clock', () => {
  it('"please ship after Dec 20" → held until Dec 20 (store time) → routed that day', async () => {
    const w = noteWorld(keyword(), { rules });
    const { order, result, record } = await w.receive({ note: 'please ship after Dec 20' });
    expect(result.status).toBe('on_hold');
    expect(record?.holds[0]).toMatchObject({
      ruleId: 'note-ship_after',
      until: '2026-12-20T05:00:00.000Z',
    });
    expect(w.warehouse.orders()).toHaveLength(0);
    w.clock.set(Date.parse('2026-12-20T04:59:00Z'));
    await w.engine.runDue();
    expect((await w.engine.get(order.id))?.status).toBe('on_hold');
    w.clock.advance(HOUR);
    await w.engine.runDue();
    expect((await w.engine.get(order.id))?.status).toBe('submitted');
    expect(w.warehouse.orders()).toHaveLength(1);
  });

  it.each([
    ['I moved, new address is 5 Elm St', 'note-address_change'],
    ['Please cancel my order', 'note-cancel_request'],
    ['Can I change the size to M?', 'note-item_change'],
  ])('%j → review', async (note, ruleId) => {
    const w = noteWorld(keyword(), { rules });
    const { result } = await w.receive({ note });
    expect(result.status).toBe('needs_review');
    const matched = result.explanation?.stages.flatMap((s) =>
      s.rules.filter((r) => r.matched).map((r) => r.ruleId),
    );
    expect(matched).toContain(ruleId);
    expect(w.warehouse.orders()).toHaveLength(0);
  });

  it('gift → packing instructions (no prices on the slip), tag; eco → packaging instruction; fragile too', async () => {
    const w = noteWorld(keyword(), { rules });
    const { result } = await w.receive({
      note: 'Gift for my sister! Less plastic please, it is fragile',
    });
    expect(result.status).toBe('submitted');
    const [submitted] = w.warehouse.orders();
    expect(submitted?.request.instructions).toEqual(
      expect.arrayContaining([
        'Gift: leave all prices off the packing slip',
        'Eco packaging: minimal packaging, no plastic fill',
        'Fragile: pack with extra protection',
      ]),
    );
  });

  it('personalization → only a location with that capability', async () => {
    const w = noteWorld(keyword(), { rules });
    const { result } = await w.receive({ note: "Engrave 'J.R.' please" });
    expect(result.status).toBe('submitted');
    expect(w.warehouse.orders().map((o) => o.request.locationId)).toEqual(['west']);
  });

  it('uncertain → review; a failing classifier → uncertain → review (the order never waits)', async () => {
    const w = noteWorld(keyword(), { rules });
    expect(
      (await w.receive({ note: 'Can you combine it with my other order?' })).result.status,
    ).toBe('needs_review');
    const failing = noteWorld(
      { name: 'down', classify: () => Promise.reject(new Error('boom')) },
      { rules },
    );
    expect((await failing.receive({ note: 'gift' })).result.status).toBe('needs_review');
  });

  it('expedite → warehouse priority; delivery instructions → carrier instruction; contact → ops notified', async () => {
    const alerts = createMemoryAlerts();
    const w = noteWorld(keyword(), { rules, alerts });
    await w.receive({
      note: 'Need it by Friday please! Leave at back door. Please call me before shipping',
    });
    const [submitted] = w.warehouse.orders();
    expect(submitted?.request.priority).toBe(1);
    expect(submitted?.request.instructions).toContain(
      'Delivery instructions in the customer note: pass them to the carrier',
    );
    expect(alerts.alerts().map((a) => a.message)).toContain(
      'The customer asks to be contacted about this order',
    );
  });

  it('an unpaid order with "ship after" is held from the day it is paid', async () => {
    const w = noteWorld(keyword(), { rules });
    const { order, result } = await w.receive({
      note: 'no enviar antes del 20 de diciembre',
      paymentStatus: 'pending',
    });
    expect(result.status).toBe('awaiting_payment');
    w.clock.advance(HOUR);
    const paid = await w.engine.ingest({
      type: 'order.paid',
      orderId: order.id,
      idempotencyKey: `paid-${order.id}`,
      occurredAt: new Date(w.clock.now()).toISOString(),
    });
    expect(paid.status).toBe('on_hold');
    expect((await w.engine.get(order.id))?.holds[0]?.until).toBe('2026-12-20T05:00:00.000Z');
  });

  it('a trivial note changes nothing', async () => {
    const w = noteWorld(keyword(), { rules });
    const { result } = await w.receive({ note: 'Thanks!! 🙏' });
    expect(result.status).toBe('submitted');
    expect(w.warehouse.orders()[0]?.request.instructions).toEqual([]);
  });

  it('a classifier may only steer through tags: a stub returning states or actions as tags changes nothing', async () => {
    const evil: NoteClassification = {
      tags: [
        { tag: 'paid', confidence: 1 },
        { tag: 'release_hold', confidence: 1 },
      ],
      uncertain: false,
      classifier: 'stub',
    };
    const w = noteWorld({ name: 'stub', classify: async () => evil }, { rules });
    const { order, result, record } = await w.receive({ note: 'x', paymentStatus: 'pending' });
    expect(result.status).toBe('awaiting_payment');
    expect(record?.order).toEqual(order);
  });
});
