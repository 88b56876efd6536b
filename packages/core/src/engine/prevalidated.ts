import { FulfilError } from '../errors';
import type { OrderEvent } from '../model/events';
import type { IngestOptions } from './after-commit';
import type { Engine, IngestResult } from './engine';

/**
 * Where an engine made by `createEngine` keeps its prevalidated ingest. A registered symbol,
 * so that two copies of this module (a bundle next to the package) still agree on it. The
 * property is not enumerable and not part of the {@link Engine} interface.
 */
export const PREVALIDATED_INGEST: unique symbol = Symbol.for('@fulfil/core.ingestPrevalidated');

/** The engine's ingest that skips the `OrderEvent` schema (see {@link ingestPrevalidated}). */
export type PrevalidatedIngest = (
  event: OrderEvent,
  options?: IngestOptions,
) => Promise<IngestResult>;

/**
 * **Internal** (`@fulfil/core/internal`): ingests an event whose every part was already
 * validated by core's own schemas in this process, without validating it against
 * `OrderEvent` a second time. It exists for first-party tools that validate what they read
 * once and replay it in bulk — `fulfil audit` normalizes each exported order with
 * `normalizeShopifyOrder` (which parses it with core's `Order` schema) and then ingests it
 * here, instead of paying for the same parse again on every one of 100,000 orders.
 *
 * It is not a way to skip validation: input from outside the process (a webhook body, a
 * queue message, a file's raw rows, a caller's objects) must go through `engine.ingest`,
 * which every public path of the engine uses. Everything else is the same as `ingest`: the
 * event's text is still checked for NULs and lone surrogates, and an event that needed a
 * repair is validated in full after it, as `ingest` does; then it is deduplicated, decided,
 * committed and dispatched as `options.dispatch` says.
 *
 * The caller guarantees that `event` is an `OrderEvent` as the schema outputs it (defaults
 * filled in), built from values core validated, and that nothing changed it since.
 * Throws `INVALID_INPUT` when `engine` was not made by `createEngine`.
 */
export function ingestPrevalidated(
  engine: Engine,
  event: OrderEvent,
  options?: IngestOptions,
): Promise<IngestResult> {
  const ingest = (engine as unknown as Record<symbol, PrevalidatedIngest | undefined>)[
    PREVALIDATED_INGEST
  ];
  if (typeof ingest !== 'function') {
    return Promise.reject(
      new FulfilError(
        'INVALID_INPUT',
        'ingestPrevalidated: the engine was not made by createEngine (it has no prevalidated ingest)',
      ),
    );
  }
  return ingest(event, options);
}
