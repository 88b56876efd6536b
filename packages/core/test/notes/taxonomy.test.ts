import { describe, expect, it } from 'vitest';
import { isFulfilError } from '../../src/errors';
import {
  defineNoteTaxonomy,
  extendNoteTaxonomy,
  NOTE_TAXONOMY,
  noteRules,
  taxonomyTagIds,
} from '../../src/notes';
import { checkRules, compileRules, requireCapability } from '../../src/rules';

describe('note taxonomy', () => {
  it('has every tag the issue lists', () => {
    expect(taxonomyTagIds()).toEqual(
      expect.arrayContaining([
        'gift',
        'eco_packaging',
        'delivery_instructions',
        'ship_after',
        'expedite',
        'address_change',
        'cancel_request',
        'item_change',
        'personalization',
        'fragile',
        'contact_customer',
        'other',
      ]),
    );
  });

  it('gives each tag its default consequence as plain, valid rules', () => {
    const rules = noteRules();
    expect(() => compileRules(rules)).not.toThrow();
    expect(checkRules(rules).filter((i) => i.severity === 'error')).toEqual([]);
    const byId = Object.fromEntries(rules.map((r) => [r.id, r]));
    for (const id of ['address_change', 'cancel_request', 'item_change']) {
      expect(byId[`note-${id}`]?.actions.map((a) => a.type)).toEqual(['review']);
    }
    expect(byId['note-ship_after']?.actions).toEqual([
      expect.objectContaining({ type: 'hold', untilFact: 'note.shipAfter' }),
    ]);
    expect(JSON.stringify(byId['note-gift']?.actions)).toContain('prices off the packing slip');
    expect(byId['note-eco_packaging']?.actions[0]?.type).toBe('add_instruction');
    expect(byId['note-personalization']?.actions).toContainEqual(
      requireCapability('personalization'),
    );
    expect(byId['note-uncertain']?.actions).toEqual([
      { type: 'review', reason: 'the note needs a person' },
    ]);
    expect(JSON.parse(JSON.stringify(rules))).toEqual(rules);
  });

  it('is extensible: a custom tag gets its own rule, a replaced tag its new consequence', () => {
    const taxonomy = extendNoteTaxonomy(NOTE_TAXONOMY, [
      { id: 'cold_chain', description: 'keep it cold', actions: [requireCapability('cold_chain')] },
      { id: 'gift', description: 'gift', actions: [] },
    ]);
    const ids = noteRules(taxonomy).map((r) => r.id);
    expect(ids).toContain('note-cold_chain');
    expect(ids).not.toContain('note-gift');
  });

  it('rejects a bad taxonomy with CONFIG_INVALID naming the path', () => {
    const err = (() => {
      try {
        defineNoteTaxonomy({
          tags: [
            { id: 'Gift Wrap', description: 'x' },
            { id: 'a', description: '' },
          ],
        });
      } catch (e) {
        return e;
      }
    })();
    expect(isFulfilError(err, 'CONFIG_INVALID')).toBe(true);
    expect(String(err)).toContain('taxonomy.tags[0].id');
    expect(() =>
      defineNoteTaxonomy({
        tags: [
          { id: 'a', description: 'x' },
          { id: 'a', description: 'y' },
        ],
      }),
    ).toThrow(/taxonomy.tags\[1\].id: duplicate tag "a"/);
  });
});
