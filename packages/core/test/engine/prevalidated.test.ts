import { describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine';
import { ingestPrevalidated, PREVALIDATED_INGEST } from '../../src/internal';
import { OrderReceived } from '../../src/model';
import { createWorld } from './world';

// `@fulfil/core/internal`'s ingestPrevalidated: the same decision as `ingest` for an event
// core's schemas produced, without the second parse; text repair still applies, and an
// engine made elsewhere is refused.

describe('ingestPrevalidated (internal)', () => {
  it('decides and commits a parsed event as ingest does', async () => {
    const a = createWorld();
    const b = createWorld();
    const order = a.order({ id: 'o-pre', tags: ['vip'] });
    const event = OrderReceived.parse(a.received(order));
    const viaIngest = await a.engine.ingest(event);
    const viaPrevalidated = await ingestPrevalidated(b.engine, event);
    expect(viaPrevalidated).toEqual(viaIngest);
    expect(viaPrevalidated.status).toBe('submitted');
    expect(await b.engine.get('o-pre')).toEqual(await a.engine.get('o-pre'));
    // A repeat is a duplicate, as through ingest.
    expect((await ingestPrevalidated(b.engine, event)).outcome).toBe('duplicate');
  });

  it('still repairs text, and validates the repaired event in full', async () => {
    const w = createWorld();
    const event = OrderReceived.parse(w.received(w.order({ id: 'o-nul' })));
    const withNul = { ...event, order: { ...event.order, note: 'ring\u0000 twice' } };
    const result = await ingestPrevalidated(w.engine, withNul);
    expect(result.explanation?.sanitized).toEqual([{ path: 'order.note', nul: 1, surrogates: 0 }]);
    expect((await w.engine.get('o-nul'))?.order.note).toBe('ring twice');

    // A repair that leaves the event invalid (an id of only a NUL) is refused, as ingest does.
    const badId = { ...event, order: { ...event.order, id: '\u0000' } };
    await expect(ingestPrevalidated(w.engine, badId)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('is not enumerable on the engine, and refuses an engine createEngine did not make', async () => {
    const w = createWorld();
    expect(Object.getOwnPropertySymbols(w.engine)).toEqual([PREVALIDATED_INGEST]);
    expect(Object.getOwnPropertyDescriptor(w.engine, PREVALIDATED_INGEST)?.enumerable).toBe(false);
    const fake = { ...w.engine } as Engine;
    const event = OrderReceived.parse(w.received(w.order({ id: 'o-fake' })));
    await expect(ingestPrevalidated(fake, event)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('not made by createEngine'),
    });
  });

  it('the public ingest still validates what it is given', async () => {
    const w = createWorld();
    const event = OrderReceived.parse(w.received(w.order({ id: 'o-pub' })));
    const bad = { ...event, order: { ...event.order, currency: 'dollars' } };
    await expect(w.engine.ingest(bad as unknown)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });
});
