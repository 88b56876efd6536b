import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NoteClassification } from '../../src/model';
import {
  BASELINE_NOTE_TAGS,
  createBaselineNoteClassifier,
  expectConfigInvalid,
  makeOrder,
} from '../../src/testing';

const classifier = createBaselineNoteClassifier();
const order = makeOrder();
const NOW = Date.parse('2026-11-27T15:00:00Z');
const classify = (note: string, timeZone = 'America/New_York', now = NOW) =>
  classifier.classify(note, { order, timeZone, now });
const tagsOf = async (note: string) => (await classify(note)).tags.map((t) => t.tag);

describe('createBaselineNoteClassifier', () => {
  it.each([
    '',
    '   ',
    'thanks!',
    'Thank you so much!! 😊',
    'n/a',
    'N/A',
    '🎁🎄✨',
    'ok',
    '-',
    'none',
  ])('gives no tags for a trivial note: %j', async (note) => {
    expect(await classify(note)).toEqual({ tags: [], uncertain: false, classifier: 'baseline' });
  });

  it.each([
    ["This is a gift for my mom, please don't include the receipt", ['gift']],
    ['FRAGILE - glass vase inside', ['fragile']],
    ['ASAP please', ['expedite']],
    ['I moved! New address is 5 Elm St', ['address_change']],
    ['Please cancel my order', ['cancel_request']],
    ['Can I swap the size to large instead of medium?', ['item_change']],
    ['Please engrave "J & M" on the back', ['personalization']],
    ['No plastic please, we are trying to be sustainable', ['eco_packaging']],
    ['Leave it at the back door', ['delivery_instructions']],
    ['Call me on arrival, gate code 1234', ['delivery_instructions']],
    ['Please call me about sizing', ['contact_customer']],
    ['Please deliver after 5pm', ['delivery_instructions']],
    ['Gift wrap please and handle with care', ['gift', 'fragile']],
    ["Please don't cancel, I still want it", []],
    ['no rush at all', []],
  ])('%j → %j', async (note, expected) => {
    const tags = await tagsOf(note);
    expect(tags).toEqual(expected.length === 0 ? ['other'] : expected);
  });

  it('extracts gift messages, engravings and delivery instructions as text', async () => {
    const gift = await classify('Gift message: Happy birthday, Sam!');
    expect(gift.tags).toEqual([{ tag: 'gift', confidence: 0.9, text: 'Happy birthday, Sam!' }]);
    const engraving = await classify('Please engrave "J & M" on the back');
    expect(engraving.tags[0]?.text).toBe('J & M');
    const door = await classify('Thanks! Leave it with the neighbour at number 5. Cheers');
    expect(door.tags[0]).toMatchObject({
      tag: 'delivery_instructions',
      text: 'Leave it with the neighbour at number 5',
    });
  });

  it.each([
    ['Please ship after Dec 20', '2026-12-20'],
    ['ship after December 20th, 2027', '2027-12-20'],
    ['Do not ship before 2027-01-05', '2027-01-05'],
    ['hold until 12/20 please', '2026-12-20'],
    ['send it after 20 Dec', '2026-12-20'],
    ['Please ship after Jan 5', '2027-01-05'],
    ['ship after Nov 27', '2026-11-27'],
  ])('reads ship_after dates: %j → %s', async (note, date) => {
    const result = await classify(note);
    expect(result.tags).toEqual([{ tag: 'ship_after', confidence: 0.9, date }]);
    expect(result.uncertain).toBe(false);
  });

  it('reads dates without a year in the order time zone', async () => {
    const now = Date.parse('2026-11-27T03:00:00Z'); // still Nov 26 in Los Angeles
    const la = await classify('ship after Nov 26', 'America/Los_Angeles', now);
    const utc = await classify('ship after Nov 26', 'UTC', now);
    expect(la.tags[0]?.date).toBe('2026-11-26');
    expect(utc.tags[0]?.date).toBe('2027-11-26');
    const unknownZone = await classify('ship after Nov 26', 'Mars/Olympus', now);
    expect(unknownZone.tags[0]?.date).toBe('2027-11-26');
  });

  it('marks a ship_after without a readable date uncertain', async () => {
    const result = await classify('Please ship after the holidays');
    expect(result.tags).toEqual([{ tag: 'ship_after', confidence: 0.6, text: 'the holidays' }]);
    expect(result.uncertain).toBe(true);
  });

  it('puts a need-by date on expedite', async () => {
    const result = await classify('Urgent! I need it by Dec 24');
    expect(result.tags).toEqual([{ tag: 'expedite', confidence: 0.85, date: '2026-12-24' }]);
  });

  it('tags other non-trivial notes as other (not uncertain), unless tagOther is off', async () => {
    const note = 'Please wrap it in blue paper with a bow';
    expect(await classify(note)).toEqual({
      tags: [{ tag: 'other', confidence: 0.5, text: note }],
      uncertain: false,
      classifier: 'baseline',
    });
    const quiet = createBaselineNoteClassifier({ tagOther: false, name: 'kw' });
    expect(await quiet.classify(note, { order, timeZone: 'UTC', now: NOW })).toEqual({
      tags: [],
      uncertain: false,
      classifier: 'kw',
    });
  });

  it('only ever returns taxonomy tags, in a schema-valid classification', async () => {
    const words = fc.constantFrom(
      'gift',
      'ship',
      'after',
      'Dec',
      '20',
      'not',
      'cancel',
      'call me',
      '!',
      '🎁',
      'by',
      '12/40',
      'glass',
      'x',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.array(words).map((w) => w.join(' ')),
        ),
        async (note) => {
          const result = await classify(note);
          expect(NoteClassification.parse(result)).toEqual(result);
          for (const tag of result.tags) expect(BASELINE_NOTE_TAGS).toContain(tag.tag);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('createBaselineNoteClassifier options', () => {
  it('a misspelt option is refused with a suggestion; none is fine', () => {
    expectConfigInvalid(
      () => createBaselineNoteClassifier({ tagother: false } as never),
      'tagother',
      /did you mean "tagOther"/,
    );
    expect(createBaselineNoteClassifier().name).toBe('baseline');
  });
});
