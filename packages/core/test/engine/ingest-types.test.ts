/**
 * The typed `ingest` overloads. The `@ts-expect-error` lines are the test: `pnpm typecheck`
 * (run by `.ci/run`) fails if a mistyped event literal ever compiles again. The calls also
 * run, so the runtime answer to each is checked too.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { IngestResult, OrderEventInput } from '../../src';
import { isFulfilError } from '../../src/errors';
import { makeOrder } from '../../src/testing/fixtures';
import { createWorld } from './world';

const occurredAt = '2026-11-27T09:00:00.000Z';

describe('engine.ingest types', () => {
  it('an OrderEvent literal is checked at compile time and accepted', async () => {
    const w = createWorld();
    const result = await w.engine.ingest({
      type: 'order.received',
      idempotencyKey: 'typed-1',
      occurredAt,
      order: makeOrder({ id: 'typed-1' }),
    });
    expectTypeOf(result).toEqualTypeOf<IngestResult>();
    expect(result.outcome).toBe('applied');
  });

  it('a mistyped event literal does not compile (and is refused at runtime)', async () => {
    const w = createWorld();
    const refused = async (run: () => Promise<unknown>) => {
      const err = await run().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isFulfilError(err, 'INVALID_INPUT'), String(err)).toBe(true);
    };
    await refused(() =>
      // @ts-expect-error `order` is required by order.received, `orderId` is not its field
      w.engine.ingest({
        type: 'order.received',
        idempotencyKey: 'typed-2',
        occurredAt,
        orderId: 'typed-2',
      }),
    );
    await refused(() =>
      // @ts-expect-error misspelt field of a typed event (TypeScript: did you mean 'orderId'?)
      w.engine.ingest({
        type: 'order.cancelled',
        orderID: 'o-1',
        idempotencyKey: 'typed-3',
        occurredAt,
      }),
    );
    const event = {
      type: 'order.paid' as const,
      orderId: 'o-1',
      idempotencyKey: 'typed-4',
      occurredAt: 42,
    };
    // @ts-expect-error a typed event value is checked like a literal (occurredAt is a string)
    await refused(() => w.engine.ingest(event));
  });

  it('untyped input (unknown, any, parsed JSON, records) still compiles and is validated at runtime', async () => {
    const w = createWorld();
    const body: unknown = JSON.parse('{"type":"order.paid"}');
    const record: Record<string, unknown> = { type: 'order.paid' };
    const loose: { type: string } = { type: 'order.paid' };
    for (const input of [body, record, loose, JSON.parse('null')]) {
      const err = await w.engine.ingest(input).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isFulfilError(err, 'INVALID_INPUT')).toBe(true);
    }
    const typed: OrderEventInput = {
      type: 'order.received',
      idempotencyKey: 'typed-5',
      occurredAt,
      order: makeOrder({ id: 'typed-5' }),
    };
    expect((await w.engine.ingest(typed, { dispatch: 'none' })).outcome).toBe('applied');
  });
});
