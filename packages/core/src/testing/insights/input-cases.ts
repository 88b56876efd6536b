import { describe, it } from 'vitest';
import type { InsightsBucket } from '../../ports/insights';
import { expectInvalid, type InsightsCaseContext, T0 } from './context';

/** Cases for invalid queries: INVALID_INPUT naming the field. */
export function inputCases(ctx: InsightsCaseContext): void {
  describe('invalid queries', () => {
    it('ranges: an unknown bucket, a since or until that is not a finite number, since > until', async () => {
      const i = ctx.insights;
      const range = { since: T0, until: T0 + 1, bucket: 'minute' as InsightsBucket };
      await expectInvalid(i.throughput({ ...range, bucket: 'week' as InsightsBucket }), 'bucket');
      await expectInvalid(i.throughput({ ...range, since: Number.NaN }), 'since');
      await expectInvalid(i.throughput({ ...range, until: Number.POSITIVE_INFINITY }), 'until');
      await expectInvalid(i.throughput({ ...range, since: T0 + 2 }), 'until');
      await expectInvalid(
        i.throughput({ ...range, submittedStates: 'submitted' as unknown as string[] }),
        'submittedStates',
      );
      await expectInvalid(
        i.processingTime({ ...range, bucket: 'second' as InsightsBucket }),
        'bucket',
      );
      await expectInvalid(i.processingTime({ ...range, since: T0 + 2 }), 'until');
      await expectInvalid(i.timeInState({ since: T0 + 2, until: T0 }), 'until');
      await expectInvalid(i.timeInState({ since: Number.NaN }), 'since');
      await expectInvalid(i.summary({ since: T0 + 2, until: T0 }), 'until');
      await expectInvalid(i.summary({ since: '1' as unknown as number }), 'since');
      await expectInvalid(
        i.summary({ since: T0, llmClassifiers: 'claude' as unknown as string[] }),
        'llmClassifiers',
      );
    });

    it('pages: a limit out of 1..500 or not whole, a malformed cursor', async () => {
      const i = ctx.insights;
      for (const limit of [0, -1, 501, 1.5, Number.NaN]) {
        await expectInvalid(i.reviewQueue({ limit }), 'limit');
        await expectInvalid(i.failedCommands({ limit }), 'limit');
        await expectInvalid(i.search({ text: '#1001', limit }), 'limit');
      }
      for (const cursor of ['not a cursor', '', '{"x":1}']) {
        await expectInvalid(i.reviewQueue({ cursor }), 'cursor');
        await expectInvalid(i.failedCommands({ cursor }), 'cursor');
      }
      await expectInvalid(i.reviewQueue({ now: Number.NaN }), 'now');
      // The bounds themselves are valid.
      await i.reviewQueue({ limit: 500 });
      await i.reviewQueue({ limit: 1 });
      await i.failedCommands({ limit: 500 });
      await i.search({ text: 'x', limit: 500 });
      await i.throughput({ since: T0, until: T0, bucket: 'day' });
    });

    it('search: an empty text; retryCommand: an at that is not a finite number', async () => {
      await expectInvalid(ctx.insights.search({ text: '' }), 'text');
      await expectInvalid(ctx.insights.retryCommand('any', { at: Number.NaN }), 'at');
    });
  });
}
