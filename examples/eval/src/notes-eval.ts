import type { NoteClassification } from '@fulfil/core';
import { KeywordNoteClassifier } from './core-extras';

/** A labelled note: expected tags with their dates (or null). */
export interface Labelled {
  id: string;
  note: string;
  tags: Record<string, string | null>;
}

/** Figures for one labelled set. */
export interface NoteFigures {
  notes: number;
  perTag: { tag: string; support: number; precision: number; recall: number }[];
  /** Share of notes the cascade would send to the model (offline uncertain or `other`). */
  sentToModel: number;
  /** Notes the offline classifier decides alone, and the share it gets exactly right (tags and dates). */
  decidedAlone: number;
  accuracyAlone: number;
  /** Of expected dates, the share read exactly. */
  dateAccuracy: number;
}

const NOW = Date.parse('2026-11-27T15:00:00.000Z');
const TZ = 'America/New_York';

/** Runs the offline classifier over `set`. */
export function evaluateNotes(set: Labelled[]): NoteFigures {
  const c = new KeywordNoteClassifier();
  const counts = new Map<string, { tp: number; fp: number; fn: number }>();
  const count = (tag: string) => {
    const x = counts.get(tag) ?? { tp: 0, fp: 0, fn: 0 };
    counts.set(tag, x);
    return x;
  };
  let sent = 0;
  let alone = 0;
  let right = 0;
  let dates = 0;
  let datesRight = 0;
  for (const e of set) {
    const r: NoteClassification = c.classifySync(e.note, { now: NOW, timeZone: TZ });
    const got = new Map(r.tags.map((t) => [t.tag, t.date ?? null]));
    for (const tag of new Set([...got.keys(), ...Object.keys(e.tags)])) {
      const want = tag in e.tags;
      const has = got.has(tag);
      if (want && has) count(tag).tp++;
      else if (has) count(tag).fp++;
      else count(tag).fn++;
    }
    for (const [tag, date] of Object.entries(e.tags)) {
      if (date === null) continue;
      dates++;
      if (got.get(tag) === date) datesRight++;
    }
    if (r.uncertain || got.has('other')) {
      sent++;
      continue;
    }
    alone++;
    const exact =
      got.size === Object.keys(e.tags).length &&
      Object.entries(e.tags).every(([t, d]) => got.has(t) && got.get(t) === d);
    if (exact) right++;
  }
  const perTag = [...counts.entries()]
    .map(([tag, x]) => ({
      tag,
      support: x.tp + x.fn,
      precision: x.tp + x.fp === 0 ? 1 : x.tp / (x.tp + x.fp),
      recall: x.tp + x.fn === 0 ? 1 : x.tp / (x.tp + x.fn),
    }))
    .sort((a, b) => b.support - a.support);
  return {
    notes: set.length,
    perTag,
    sentToModel: sent / set.length,
    decidedAlone: alone,
    accuracyAlone: alone === 0 ? 1 : right / alone,
    dateAccuracy: dates === 0 ? 1 : datesRight / dates,
  };
}
