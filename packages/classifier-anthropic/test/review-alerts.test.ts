import {
  type Alert,
  createMemoryMetrics,
  KeywordNoteClassifier,
  noteRules,
  RuleBasedRiskScorer,
  riskRules,
} from '@fulfil/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noteWorld } from '../../core/test/notes/world';
import { createClaudeRiskReviewer, SUMMARY_HEADING, withRiskSummaries } from '../src';
import { type Behaviour, startFakeMessagesApi } from './fake-messages-api';

let answer: Behaviour = {
  kind: 'text',
  text: 'Billing and shipping countries differ and the total is far above usual. Check the card holder.',
};
let api: Awaited<ReturnType<typeof startFakeMessagesApi>>;
beforeAll(async () => {
  api = await startFakeMessagesApi(() => answer);
});
afterAll(() => api.close());

/** A real engine whose review alerts go through withRiskSummaries to a recording sink. */
function world(options: { timeoutMs?: number } = {}) {
  const sent: Alert[] = [];
  const metrics = createMemoryMetrics();
  let w: ReturnType<typeof noteWorld> | undefined;
  const alerts = withRiskSummaries({
    sink: { send: async (a) => void sent.push(a) },
    reviewer: createClaudeRiskReviewer({ apiKey: 'k', baseURL: api.url, maxRetries: 0 }),
    load: (id) => (w as ReturnType<typeof noteWorld>).storage.load(id),
    metrics,
    ...options,
  });
  w = noteWorld(new KeywordNoteClassifier(), {
    risk: new RuleBasedRiskScorer({ typicalOrderTotal: 1000 }),
    rules: [...riskRules({ medium: 'review' }), ...noteRules()],
    alerts,
  });
  return { w, sent, metrics };
}

/** Billing in France, shipping in the US, 20× the typical total: medium risk. */
const risky = {
  billingAddress: { line1: '1 rue de Rivoli', city: 'Paris', postalCode: '75001', country: 'FR' },
  totals: { subtotal: 20_000, shipping: 0, tax: 0, total: 20_000 },
};

describe('withRiskSummaries: the risk reviewer on orders entering review', () => {
  it('adds the summary to the review alert; the decision is the same as without it', async () => {
    const { w, sent, metrics } = world();
    const { result, record } = await w.receive(risky);
    await w.engine.dispatch();
    expect(record?.facts.risk?.level).toBe('medium');
    expect(result.status).toBe('needs_review');
    const review = sent.find((a) => a.title.includes('needs review'));
    expect(review?.message).toContain('medium fraud risk');
    expect(review?.message).toContain(
      `${SUMMARY_HEADING}\nBilling and shipping countries differ and the total is far above usual.`,
    );
    const req = api.requests.at(-1);
    expect(req?.body.messages[0]?.content).toContain('address_mismatch');
    expect(
      metrics.snapshot().counters.find((c) => c.name === 'risk_summaries')?.labels.outcome,
    ).toBe('added');
    // the record is untouched by the summary: same state, no new facts
    expect((await w.engine.get(record?.orderId ?? ''))?.status).toBe('needs_review');
  });

  it('a low-risk order is not summarized, and a failing model never blocks the alert', async () => {
    const low = world();
    await low.w.receive({ note: 'Please cancel this order' });
    await low.w.engine.dispatch();
    const before = api.requests.length;
    expect(low.sent.some((a) => a.title.includes('needs review'))).toBe(true);
    expect(low.sent.every((a) => !a.message.includes(SUMMARY_HEADING))).toBe(true);
    expect(api.requests.length).toBe(before);

    answer = { kind: 'status', status: 500, type: 'api_error' };
    const down = world();
    await down.w.receive(risky);
    await down.w.engine.dispatch();
    const alert = down.sent.find((a) => a.title.includes('needs review'));
    expect(alert?.message).toContain('medium fraud risk');
    expect(alert?.message).not.toContain(SUMMARY_HEADING);
    const outcome = (m: typeof down.metrics) =>
      m.snapshot().counters.find((c) => c.name === 'risk_summaries')?.labels.outcome;
    expect(outcome(down.metrics)).toBe('unavailable');
    answer = { kind: 'slow', ms: 5_000 };
    const slow = world({ timeoutMs: 50 });
    await slow.w.receive(risky);
    await slow.w.engine.dispatch();
    const late = slow.sent.find((a) => a.title.includes('needs review'));
    expect(late?.message).toContain('medium fraud risk');
    expect(late?.message).not.toContain(SUMMARY_HEADING);
    expect(outcome(slow.metrics)).toBe('timeout');
  });

  it('rejects missing options with CONFIG_INVALID', () => {
    expect(() => withRiskSummaries({} as never)).toThrow(/CONFIG_INVALID/);
  });
});
