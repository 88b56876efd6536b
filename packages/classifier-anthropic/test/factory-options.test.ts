import { expectConfigInvalid } from '@fulfil/core/testing';
import { describe, expect, it } from 'vitest';
import {
  type ClaudeNoteClassifierOptions,
  type ClaudeRiskReviewerOptions,
  createBudget,
  createClaudeNoteClassifier,
  createClaudeRiskReviewer,
  type RiskSummaryOptions,
  withRiskSummaries,
} from '../src';
import { KeywordNoteClassifier, NOTE_TAXONOMY } from './core-notes';

const note = (o: unknown) => () => createClaudeNoteClassifier(o as ClaudeNoteClassifierOptions);
const reviewer = (o: unknown) => () => createClaudeRiskReviewer(o as ClaudeRiskReviewerOptions);
const budget = (o: unknown) => () => createBudget(o as never);
const summaries = (o: unknown) => () => withRiskSummaries(o as RiskSummaryOptions);

describe('createClaudeNoteClassifier options', () => {
  const full = { offline: new KeywordNoteClassifier(), taxonomy: NOTE_TAXONOMY };

  it('valid options give a classifier', async () => {
    const classifier = createClaudeNoteClassifier({ ...full, apiKey: 'k' });
    expect(typeof classifier.classify).toBe('function');
    await classifier.close();
  });

  it('no options, and each required option missing in turn', () => {
    expectConfigInvalid(note(undefined), 'offline', /required: offline, taxonomy/);
    for (const key of Object.keys(full) as (keyof typeof full)[]) {
      const { [key]: _dropped, ...rest } = full;
      expectConfigInvalid(note({ ...rest, apiKey: 'k' }), key, /required/);
    }
  });

  it('a misspelt key gets a suggestion, also inside budget', () => {
    expectConfigInvalid(note({ ...full, apikey: 'k' }), 'apikey', /did you mean "apiKey"/);
    expectConfigInvalid(
      note({ ...full, apiKey: 'k', budget: { callsPerMinut: 5 } }),
      'budget.callsPerMinut',
      /did you mean "callsPerMinute"/,
    );
  });

  it('a wrong type names the path', () => {
    expectConfigInvalid(note({ ...full, offline: {} }), 'offline', /missing method classify/);
    expectConfigInvalid(
      note({ ...full, taxonomy: { tags: [] } }),
      'taxonomy.tags',
      /at least one tag/,
    );
    expectConfigInvalid(note({ ...full, ask: 'sometimes' }), 'ask');
    const e = expectConfigInvalid(note({ ...full, apiKey: 12345 }), 'apiKey');
    expect(e.message).not.toContain('12345');
  });
});

describe('createClaudeRiskReviewer options', () => {
  it('all optional; misspelt and mistyped keys named', () => {
    expect(typeof createClaudeRiskReviewer({ apiKey: 'k' }).summarize).toBe('function');
    expectConfigInvalid(
      reviewer({ apiKey: 'k', maxChar: 10 }),
      'maxChar',
      /did you mean "maxChars"/,
    );
    expectConfigInvalid(reviewer({ apiKey: 'k', maxTokens: '400' }), 'maxTokens');
    expectConfigInvalid(reviewer({ client: {} }), 'client', /missing method messages/);
  });
});

describe('createBudget options', () => {
  it('all optional; misspelt and mistyped keys named', async () => {
    await createBudget().close();
    expectConfigInvalid(budget({ tokensPerDy: 5 }), 'tokensPerDy', /did you mean "tokensPerDay"/);
    expectConfigInvalid(budget({ maxStores: 'many' }), 'maxStores');
    expectConfigInvalid(
      budget({ redis: { client: {}, prefx: 'x' } }),
      'redis.prefx',
      /did you mean "prefix"/,
    );
  });
});

describe('withRiskSummaries options', () => {
  const full = {
    sink: { send: async () => {} },
    reviewer: { summarize: async () => undefined },
    load: async () => undefined,
  };

  it('valid options give a sink', () => {
    expect(typeof withRiskSummaries(full).send).toBe('function');
  });

  it('no options, each required option missing in turn, a misspelt key, a wrong type', () => {
    expectConfigInvalid(summaries(undefined), 'sink', /required: sink, reviewer, load/);
    for (const key of Object.keys(full) as (keyof typeof full)[]) {
      const { [key]: _dropped, ...rest } = full;
      expectConfigInvalid(summaries(rest), key, /required/);
    }
    expectConfigInvalid(summaries({ ...full, level: ['high'] }), 'level', /did you mean "levels"/);
    expectConfigInvalid(summaries({ ...full, levels: ['severe'] }), 'levels[0]');
  });
});
