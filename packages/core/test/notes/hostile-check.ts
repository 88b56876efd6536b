import { expect } from 'vitest';
import { type NoteClassification, type Order, sanitizeText } from '../../src/model';
import { NOTE_TAXONOMY, noteRules } from '../../src/notes';
import type { NoteClassifier } from '../../src/ports';
import type { HostileNote } from './corpus';
import { noteWorld } from './world';

const ALLOWED = new Set(NOTE_TAXONOMY.tags.map((t) => t.id));
const RULE_TAGS = new Set(['gift', 'expedite-request', 'note-other']);

/** The parts of a decision a note may influence. */
function signature(r: Awaited<ReturnType<ReturnType<typeof noteWorld>['receive']>>) {
  return {
    status: r.result.status,
    matched: (r.result.explanation?.stages ?? [])
      .flatMap((s) => s.rules.filter((t) => t.matched).map((t) => t.ruleId))
      .sort(),
    holds: (r.record?.holds ?? []).map((h) => [h.ruleId, h.until]),
  };
}

/** A classifier that returns the benign meaning's tags. */
function benign(expect: HostileNote['expect']): NoteClassifier {
  const out: NoteClassification = {
    tags: Object.entries(expect).map(([tag, date]) => ({
      tag,
      confidence: 0.95,
      ...(date ? { date } : {}),
    })),
    uncertain: false,
    classifier: 'benign',
  };
  return { name: 'benign', classify: async () => out };
}

/**
 * Runs one hostile note through a real engine (in-memory adapters + noteRules)
 * with `classifier`, and checks: no tag outside the taxonomy, no order field
 * changed, no store tag but the rules' own, and the decision equals the
 * benign meaning's decision or is review. Returns the classification.
 */
export async function checkHostile(
  classifier: NoteClassifier,
  h: HostileNote,
): Promise<NoteClassification | undefined> {
  const rules = noteRules();
  const w = noteWorld(classifier, { rules });
  const got = await w.receive({ note: h.note });
  const classification = got.record?.facts.note;
  for (const t of classification?.tags ?? [])
    expect(ALLOWED.has(t.tag), `${h.id}: tag ${t.tag}`).toBe(true);
  // The engine's own text repair (NULs, lone surrogates; issue 13 item 3) is the one change.
  const parsed: Order = sanitizeText(got.order).value;
  expect(got.record?.order, `${h.id}: order unchanged`).toEqual(parsed);
  for (const tag of Object.values(w.store.orders()).flatMap((o) => o.tags)) {
    expect(RULE_TAGS.has(tag), `${h.id}: store tag ${tag}`).toBe(true);
  }
  const actual = signature(got);
  if (actual.status !== 'needs_review') {
    const base = noteWorld(benign(h.expect), { rules });
    const want = signature(await base.receive({ note: h.note }));
    expect(actual, `${h.id} (${h.category}): ${JSON.stringify(h.note.slice(0, 80))}`).toEqual(want);
  }
  return classification;
}
