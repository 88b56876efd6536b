import { describe, it } from 'vitest';
import type { Insights } from '../ports/insights';
import { freshPerCase, gated } from './helpers';
import { commandCases } from './insights/command-cases';
import type { InsightsCaseContext } from './insights/context';
import { inputCases } from './insights/input-cases';
import { rangeCases } from './insights/range-cases';
import { reviewCases } from './insights/review-cases';
import { searchCases } from './insights/search-cases';
import { summaryCases } from './insights/summary-cases';
import type { StorageFactory } from './storage-conformance';

/**
 * Registers the {@link Insights} conformance suite (Storage capability `insights`): one
 * vitest case per clause of the contract, on scenarios committed through the Storage port
 * (orders received → ready → submitted → shipped, reviews and their resolution, holds,
 * splits, backorders, `command.failed`; outbox commands claimed, failed, retried):
 * throughput per UTC minute / hour / day with half-open ranges, processing-time
 * percentiles (nearest rank, exact values), orders by state, time in state, the summary
 * shares, the review queue (order, filter, paging, reasons, fields, awkward ids), failed
 * and per-order commands, search, `retryCommand`, and `INVALID_INPUT` naming the field.
 * A storage that does not declare `insights` gets one skipped case saying so.
 *
 * The factory is the same as {@link storageConformance}'s: each case gets a fresh, empty
 * storage. Cases use fixed times in November 2026 (and the wall clock where the contract
 * defaults to now).
 *
 * @example
 * ```ts
 * // test/insights.conformance.test.ts
 * import { insightsConformance } from '@fulfil/core/testing';
 * import { createMemoryStorage } from '@fulfil/core';
 *
 * insightsConformance('memory', async () => ({ storage: createMemoryStorage() }));
 * ```
 */
export function insightsConformance(name: string, factory: StorageFactory): void {
  describe(`Insights conformance: ${name}`, async () => {
    const probe = await factory();
    const enabled =
      probe.storage.capabilities.insights === true && probe.storage.insights !== undefined;
    await probe.cleanup?.();
    if (!enabled) {
      it.skip(
        gated(
          false,
          'the read model',
          'storage does not declare insights: true with storage.insights',
        ),
        () => {},
      );
      return;
    }

    const fresh = freshPerCase('insights', factory);
    const ctx: InsightsCaseContext = {
      get storage() {
        return fresh.current.storage;
      },
      get insights(): Insights {
        const insights = ctx.storage.insights;
        if (insights === undefined)
          throw new Error('insights conformance: storage.insights is missing');
        return insights;
      },
      get now() {
        return fresh.now;
      },
    };

    rangeCases(ctx);
    summaryCases(ctx);
    reviewCases(ctx);
    commandCases(ctx);
    searchCases(ctx);
    inputCases(ctx);
  });
}
