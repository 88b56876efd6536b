/**
 * The baseline note classifier: a dozen English regular expressions, kept as the yardstick
 * the real classifier is measured against (bench, evaluations) and as a small, predictable
 * classifier for tests. It is not the one to use: that is `createNoteClassifier()` (the
 * multilingual `KeywordNoteClassifier` of `@fulfil/core`).
 *
 * @module
 */

import { z } from 'zod';
import type { NoteClassification, NoteTag } from '../../model/facts';
import { parseOptions } from '../../options';
import type { NoteClassifier } from '../../ports/services';
import { findDate } from './baseline-note-dates';

/** Every tag the baseline classifier may return, in the order it reports them. */
export const BASELINE_NOTE_TAGS = [
  'gift',
  'fragile',
  'ship_after',
  'expedite',
  'address_change',
  'cancel_request',
  'item_change',
  'personalization',
  'eco_packaging',
  'delivery_instructions',
  'contact_customer',
  'other',
] as const;
/** One of {@link BASELINE_NOTE_TAGS}. */
export type BaselineNoteTag = (typeof BASELINE_NOTE_TAGS)[number];

/** Options for {@link createBaselineNoteClassifier}. */
export interface BaselineNoteClassifierOptions {
  /** Reported as `classifier` in each classification. Default `baseline`. */
  name?: string;
  /**
   * Tag a non-trivial note that matches no keyword as `other` (so a rule can
   * send it to a person). Default `true`; with `false` it gets no tags.
   */
  tagOther?: boolean;
}

const Options = z.object({
  name: z.string().min(1).default('baseline'),
  tagOther: z.boolean().default(true),
});

interface KeywordRule {
  tag: BaselineNoteTag;
  pattern: RegExp;
  confidence: number;
  /** Drop the match when a negation ("no", "not", "don't") comes just before it. */
  negatable?: boolean;
}

const RULES: KeywordRule[] = [
  {
    tag: 'gift',
    pattern: /\b(gift(s|ed)?|gift[- ]?wrap\w*|present for|birthday|anniversary)\b/,
    confidence: 0.9,
    negatable: true,
  },
  {
    tag: 'gift',
    pattern:
      /\b(no|don't|do not)( (include|put|add|show))?( the| a)? (price|prices|receipt|invoice)s?\b/,
    confidence: 0.75,
  },
  {
    tag: 'fragile',
    pattern: /\b(fragile|breakable|handle with care|careful(ly)?|glass|ceramic|bubble ?wrap)\b/,
    confidence: 0.9,
    negatable: true,
  },
  {
    tag: 'expedite',
    pattern:
      /\b(asap|urgent(ly)?|rush(ed)?|expedited?|as soon as possible|hurry|right away|quickly|fast(est)? (shipping|delivery)|overnight|next[- ]day|same[- ]day|need (it|this|them|these|the order) by|in time for)\b/,
    confidence: 0.85,
    negatable: true,
  },
  {
    tag: 'address_change',
    pattern:
      /\b((new|wrong|change[ds]?|changing|update[ds]?|correct(ed|ion)?|different|incorrect|old) (shipping |delivery )?address|address\b[^.!?]{0,25}\b(wrong|changed|incorrect|is now|should be)|(i|we) (have )?moved|ship (it |this |them )?to (my|our) (office|work|new))\b/,
    confidence: 0.85,
  },
  {
    tag: 'cancel_request',
    pattern:
      /\b(cancel(l?ed|l?ing|lation)?|(don't|do not) (want|need) (it|this|the order|them) anymore|changed my mind|refund)\b/,
    confidence: 0.9,
    negatable: true,
  },
  {
    tag: 'item_change',
    pattern:
      /\b(swap|exchange|instead of|wrong (size|colou?r|item)|change (the |my )?(size|colou?r|item|order)|different (size|colou?r)|replace (it|the|this) with|add (a|an|another|one more|\d+)\b[^.!?]{0,30}\bto (my|the) order|remove\b[^.!?]{0,30}\bfrom (my|the) order)\b/,
    confidence: 0.8,
  },
  {
    tag: 'personalization',
    pattern:
      /\b(engrav(e|ed|ing)|personali[sz](e|ed|ation)|monogram(med)?|embroider(y|ed)?|initials|custom (text|name|message|print))\b/,
    confidence: 0.9,
  },
  {
    tag: 'eco_packaging',
    pattern:
      /\b(no plastic|plastic[- ]free|less plastic|eco[- ]?friendly|eco packaging|recycl(ed|able)|minimal packaging|less packaging|sustainable|biodegradable|compostable|no bubble ?wrap|paper packaging)\b/,
    confidence: 0.85,
  },
  {
    tag: 'delivery_instructions',
    pattern:
      /\b(leave (it|the (package|parcel|box))|leave (at|by|with|on|behind|in)\b|(front|back|side) door|porch|doorman|concierge|reception|front desk|neighbou?r|gate code|door ?code|buzz(er)?|ring the (door)?bell|mailbox|parcel locker|garage|safe place|call (me )?(on|upon) arrival|call (me )?when (you )?arriv\w*|(don't|do not) knock|deliver to the|(after|before|between|by) \d{1,2}(:\d{2})? ?(am|pm))\b/,
    confidence: 0.8,
  },
  {
    tag: 'contact_customer',
    pattern:
      /\b(call me(?! (on|upon|when|at)\b)|contact me|text me|e-?mail me|phone me|give me a call|get in touch|reach out|let me know|please (call|contact|email|text)|questions?)\b/,
    confidence: 0.75,
  },
];

const SHIP_AFTER =
  /\b(after|not before|no earlier than|on or after|before|until|till|from)\s+([^.!?;]{1,40})/g;
const TIME_OF_DAY = /^(\d{1,2}(:\d{2})? ?(am|pm)\b|\d{1,2}:\d{2}\b|noon\b|midnight\b)/;
const SHIP_VERB = /\b(ship|send|dispatch|deliver|mail|hold|wait|post)\w*\b/;
const NEED_BY = /\b(by|before)\s+([^.!?;]{1,40})/;
const NEGATION = /\b(no|not|don't|do not|never|isn't|without)\s+(\w+\s+){0,2}$/;
const TRIVIAL = new Set(
  'thanks thank you thx ty tysm so much very many n/a na none nothing no nope ok okay please pls hi hello hey cheers great love it a lot x xx xoxo regards best kind note notes'.split(
    ' ',
  ),
);

/**
 * Creates the baseline classifier for order notes: a small English keyword list, the
 * yardstick of the bench and evaluations. Use `createNoteClassifier()` in an application. It returns only {@link BASELINE_NOTE_TAGS}; an empty or
 * trivial note ("thanks!", "n/a", emoji only) gets no tags; `ship_after` and
 * need-by dates are read in the order's time zone as ISO dates (`2026-12-20`).
 *
 * @example
 * ```ts
 * const classifier = createBaselineNoteClassifier();
 * await classifier.classify('Gift! please ship after Dec 20', { order, timeZone: 'America/New_York', now });
 * // { tags: [{ tag: 'gift', ... }, { tag: 'ship_after', date: '2026-12-20', confidence: 0.9 }], uncertain: false, classifier: 'baseline' }
 * ```
 */
export function createBaselineNoteClassifier(
  options: BaselineNoteClassifierOptions = {},
): NoteClassifier {
  const { name, tagOther } = parseOptions(Options, options, 'createBaselineNoteClassifier', {
    optional: true,
  });
  return {
    name,
    async classify(note, context): Promise<NoteClassification> {
      const original = typeof note === 'string' ? note.normalize('NFKC').replace(/[‘’]/g, "'") : '';
      if (isTrivial(original)) return { tags: [], uncertain: false, classifier: name };
      const text = original.toLowerCase();
      const found = new Map<BaselineNoteTag, NoteTag>();
      const add = (tag: NoteTag & { tag: BaselineNoteTag }) => {
        const before = found.get(tag.tag);
        if (before === undefined || before.confidence < tag.confidence) found.set(tag.tag, tag);
      };
      for (const rule of RULES) {
        const match = rule.pattern.exec(text);
        if (match === null) continue;
        if (rule.negatable && NEGATION.test(text.slice(Math.max(0, match.index - 30), match.index)))
          continue;
        add({
          tag: rule.tag,
          confidence: rule.confidence,
          ...extractText(rule.tag, original, match.index),
        });
      }
      let uncertain = false;
      const shipAfter = findShipAfter(text, context);
      if (shipAfter !== undefined) {
        add(shipAfter);
        if (shipAfter.date === undefined) uncertain = true;
      }
      const expedite = found.get('expedite');
      const needBy = expedite && NEED_BY.exec(text);
      if (expedite && needBy) {
        const date = findDate(needBy[2] ?? '', context.now, context.timeZone);
        if (date !== undefined) expedite.date = date;
      }
      if (found.size === 0 && tagOther) {
        add({ tag: 'other', confidence: 0.5, text: original.trim().slice(0, 200) });
      }
      const tags = BASELINE_NOTE_TAGS.flatMap((tag) => {
        const hit = found.get(tag);
        return hit === undefined ? [] : [hit];
      });
      return {
        tags,
        uncertain,
        classifier: name,
      };
    },
  };
}

/** True for empty notes, emoji only, punctuation only, or only pleasantries ("thanks!", "n/a"). */
function isTrivial(note: string): boolean {
  const words = note
    .toLowerCase()
    .replace(/[^\p{L}\p{N}/]+/gu, ' ')
    .trim();
  if (words === '') return true;
  return words.split(/\s+/).every((word) => TRIVIAL.has(word));
}

function findShipAfter(
  text: string,
  context: { now: number; timeZone: string },
): (NoteTag & { tag: 'ship_after' }) | undefined {
  let vague: (NoteTag & { tag: 'ship_after' }) | undefined;
  for (const match of text.matchAll(SHIP_AFTER)) {
    const [, word = '', rest = ''] = match;
    const clause =
      text
        .slice(0, match.index)
        .split(/[.!?;]/)
        .pop() ?? '';
    const hasVerb = SHIP_VERB.test(clause);
    if (word === 'before' && !(hasVerb && /\b(don't|do not|not)\b/.test(clause))) continue;
    const strong = word !== 'until' && word !== 'till' && word !== 'from';
    if (!strong && !hasVerb) continue;
    if (TIME_OF_DAY.test(rest)) continue; // "deliver after 5pm" is a delivery instruction
    const date = findDate(rest, context.now, context.timeZone);
    if (date !== undefined) return { tag: 'ship_after', confidence: 0.9, date };
    if (hasVerb && strong) vague ??= { tag: 'ship_after', confidence: 0.6, text: rest.trim() };
  }
  return vague;
}

/** The free text a tag carries: a gift message, an engraving, the delivery instruction. */
function extractText(tag: BaselineNoteTag, note: string, index: number): { text?: string } {
  if (tag === 'gift') {
    const message =
      /\b(?:message|card|note)\s*(?:says?|reads?|:|-)\s*["“']?([^"”]+?)["”']?\s*$/i.exec(note);
    if (message?.[1]) return { text: message[1].trim() };
  }
  if (tag === 'gift' || tag === 'personalization') {
    const quoted = /["“]([^"”]{1,200})["”]/.exec(note);
    if (quoted?.[1]) return { text: quoted[1] };
  }
  if (tag === 'delivery_instructions') {
    const start = Math.max(0, note.slice(0, index).search(/[^.!?]*$/));
    const end = note.slice(index).search(/[.!?](\s|$)/);
    return {
      text: note
        .slice(start, end === -1 ? undefined : index + end)
        .trim()
        .slice(0, 200),
    };
  }
  return {};
}
