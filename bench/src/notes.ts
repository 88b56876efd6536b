/**
 * notes: the offline note classifier (`KeywordNoteClassifier`: four languages,
 * typo-tolerant phrase matching, date reading, injection check) per note, over
 * the 340 labelled notes in rotation, against the simple English keyword
 * classifier of `memory/` measured in the same run as the baseline; plus the
 * rule-based risk scorer (with an in-memory velocity source of 2,000 orders)
 * against the simple risk scorer.
 */
import {
  createKeywordNoteClassifier,
  createMemoryVelocitySource,
  createSimpleRiskScorer,
  KeywordNoteClassifier,
  type Order,
  RuleBasedRiskScorer,
} from '@fulfil/core';
import { makeOrder } from '@fulfil/core/testing';
import labelled from '../../packages/core/test/notes/data/labelled.json' with { type: 'json' };
import { fmtNs, fmtUs, measureAsync, measureInterleaved } from './harness';

const NOW = Date.parse('2026-11-27T15:00:00.000Z');
const TZ = 'America/New_York';

export async function run(): Promise<Record<string, string>> {
  const notes = (labelled as { note: string }[]).map((e) => e.note);
  const order = makeOrder();
  const ctx = { order, now: NOW, timeZone: TZ };
  const fresh = new KeywordNoteClassifier();
  const simple = createKeywordNoteClassifier();
  let i = 0;
  let j = 0;
  const [kw, base] = measureInterleaved(
    [
      ['keyword (4 languages)', () => fresh.classifySync(notes[i++ % notes.length] as string, ctx)],
      ['simple English baseline', () => simple.classify(notes[j++ % notes.length] as string, ctx)],
    ],
    { rounds: 5, ms: 200, batch: 100 },
  );
  const long = `Please gift wrap. ${'lorem ipsum dolor sit amet '.repeat(80)}`;
  const [longNote] = measureInterleaved(
    [['2,000-char note', () => fresh.classifySync(long, ctx)]],
    {
      rounds: 3,
      ms: 150,
      batch: 10,
    },
  );

  const velocity = createMemoryVelocitySource();
  for (let k = 0; k < 2000; k++) {
    velocity.record(
      makeOrder({
        id: `v${k}`,
        createdAt: new Date(NOW - k * 60_000).toISOString(),
        clientIp: `198.51.100.${k % 250}`,
      }),
    );
  }
  const scorer = new RuleBasedRiskScorer({ typicalOrderTotal: 5000, velocity });
  const simpleRisk = createSimpleRiskScorer({ typicalOrderTotal: 5000 });
  const risky: Order = makeOrder({
    billingAddress: { country: 'FR', line1: '1 rue X' },
    clientIp: '198.51.100.7',
  });
  const r1 = await measureAsync('rule-based + velocity', () => scorer.assess(risky, { now: NOW }), {
    ms: 400,
  });
  const r0 = await measureAsync('simple baseline', () => simpleRisk.assess(risky, { now: NOW }), {
    ms: 400,
  });

  return {
    'note classify (keyword, median per note)': fmtNs(kw?.nsPerOp ?? Number.NaN),
    'note classify (simple baseline)': fmtNs(base?.nsPerOp ?? Number.NaN),
    'note classify ratio (keyword / baseline)': `${((kw?.nsPerOp ?? 0) / (base?.nsPerOp ?? 1)).toFixed(1)}×`,
    'note classify, 2,000-char note': fmtNs(longNote?.nsPerOp ?? Number.NaN),
    'risk assess p50 (rule-based, 2,000-order velocity scan)': fmtUs(r1.p50Us),
    'risk assess p50 (simple baseline)': fmtUs(r0.p50Us),
  };
}
