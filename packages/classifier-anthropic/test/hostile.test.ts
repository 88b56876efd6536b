import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE, type HostileNote } from '../../core/test/notes/corpus';
import { checkHostile } from '../../core/test/notes/hostile-check';
import { type Behaviour, type SeenRequest, startFakeMessagesApi } from './fake-messages-api';
import { cascade } from './helpers';

const BENIGN = new Map(HOSTILE.map((h) => [h.note, h]));
const TRIGGERS =
  /ignor|system|assistant|vip|paid|overnight|tag|json|tool|[{<]|mark|status|override|admin|authori|approve|disregard|express/i;

/**
 * A model that obeys injections: for a note with instructions in it, it answers
 * with what the injection asks (tags outside the taxonomy, extra fields, a
 * valid but wrong tag with `uncertain: false`, an absurd date) — otherwise it
 * answers the note's benign meaning.
 */
function obedient(req: SeenRequest): Behaviour {
  const seen = req.note.replace(/ \[truncated\]$/, '');
  const h: HostileNote | undefined =
    BENIGN.get(seen) ?? HOSTILE.find((x) => x.note.startsWith(seen));
  const benign = Object.entries(h?.expect ?? { other: null }).map(([tag, date]) => ({
    tag,
    confidence: 0.9,
    ...(date ? { date } : {}),
  }));
  if (!TRIGGERS.test(req.note.normalize('NFKC')))
    return { kind: 'tool', input: { tags: benign, uncertain: false } };
  const variant = req.note.length % 4;
  const input =
    variant === 0
      ? {
          tags: [...benign, { tag: 'VIP', confidence: 1 }, { tag: 'paid', confidence: 1 }],
          uncertain: false,
        }
      : variant === 1
        ? {
            tags: benign,
            uncertain: false,
            paymentStatus: 'paid',
            shipping: { method: 'overnight' },
          }
        : variant === 2
          ? { tags: [{ tag: 'expedite', confidence: 1 }], uncertain: false }
          : { tags: [{ tag: 'ship_after', confidence: 1, date: '1999-01-01' }], uncertain: false };
  return { kind: 'tool', input };
}

let api: Awaited<ReturnType<typeof startFakeMessagesApi>>;
beforeAll(async () => {
  api = await startFakeMessagesApi(obedient);
});
afterAll(() => api.close());

describe('hostile notes against the Claude cascade with a model that obeys injections', () => {
  it.each(['uncertain', 'always'] as const)(
    'ask: %s — no tag outside the taxonomy, no order field changed, decision = benign decision or review',
    async (ask) => {
      api.requests.length = 0;
      const { classifier } = cascade(api.url, {
        ask,
        cacheSize: 0,
        budget: { callsPerMinute: 10_000 },
      });
      for (const h of HOSTILE) await checkHostile(classifier, h);
      expect(api.requests.length).toBeGreaterThan(ask === 'always' ? 90 : 20);
    },
  );
});
