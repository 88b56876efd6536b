import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noteWorld } from '../../core/test/notes/world';
import { noteRules } from './core-notes';
import { type Behaviour, startFakeMessagesApi } from './fake-messages-api';
import { cascade } from './helpers';

const NOTE = 'Can you combine this with my previous order #1042?';
let api: Awaited<ReturnType<typeof startFakeMessagesApi>>;
let answer: Behaviour = {
  kind: 'tool',
  input: { tags: [{ tag: 'other', confidence: 0.9 }], uncertain: false },
};
beforeAll(async () => {
  api = await startFakeMessagesApi(() => answer);
});
afterAll(() => api.close());

describe('the cascade in a real engine', () => {
  it('the model settles a note the offline classifier was unsure of: no review', async () => {
    const w = noteWorld(cascade(api.url).classifier, { rules: noteRules() });
    const { result, record } = await w.receive({ note: NOTE });
    expect(result.status).toBe('submitted');
    expect(record?.facts.note?.classifier).toBe('claude');
  });

  it('when the model is down the order goes to review instead of waiting', async () => {
    answer = { kind: 'status', status: 503, type: 'overloaded_error' };
    const w = noteWorld(cascade(api.url).classifier, { rules: noteRules() });
    const { result, record } = await w.receive({ note: NOTE });
    expect(result.status).toBe('needs_review');
    expect(record?.facts.note?.classifier).toBe('keyword (claude fallback: server_error)');
  });

  it('a model date becomes a hold until that date', async () => {
    answer = {
      kind: 'tool',
      input: {
        tags: [{ tag: 'ship_after', confidence: 0.9, date: '2026-12-20' }],
        uncertain: false,
      },
    };
    const w = noteWorld(cascade(api.url).classifier, { rules: noteRules() });
    const { result, record } = await w.receive({
      note: 'we are off to see grandma, send it once we are back on the twentieth?',
    });
    expect(result.status).toBe('on_hold');
    expect(record?.holds[0]?.until).toBe('2026-12-20T05:00:00.000Z');
  });
});
