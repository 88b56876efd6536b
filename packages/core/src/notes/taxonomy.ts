/**
 * The order-note taxonomy: the tags a note classifier may return, what each
 * means, and each tag's default consequence written as core rules.
 *
 * @module
 */
import { z } from 'zod';
import { ErrorCodes, FulfilError, parseOrThrow } from '../errors';
import { all, fact } from '../rules/builder';
import {
  addInstruction,
  addTag,
  hold,
  notify,
  requireCapability,
  review,
  setPriority,
} from '../rules/builder-actions';
import { Action, type ActionInput, type RuleInput, Stage } from '../rules/schema';

/** One tag of a {@link NoteTaxonomy}. */
export const NoteTagDefinition = z
  .object({
    /** Tag id, lower snake case (`ship_after`). */
    id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'tag ids are lower_snake_case'),
    /** What the tag means, for people and for model prompts. */
    description: z.string().min(1),
    /** The tag carries a date (`YYYY-MM-DD`): ship after, need by. */
    date: z.boolean().default(false),
    /** The tag carries text: the gift message, the engraving. */
    text: z.boolean().default(false),
    /** The stage where the consequence runs. Default `received`. */
    stage: Stage.default('received'),
    /** What happens when a note has this tag. Empty: nothing but the tag. */
    actions: z.array(Action).default([]),
  })
  .strict();
export type NoteTagDefinition = z.infer<typeof NoteTagDefinition>;
export type NoteTagDefinitionInput = z.input<typeof NoteTagDefinition>;

/** A taxonomy: JSON-serializable, validated by {@link defineNoteTaxonomy}. */
export const NoteTaxonomy = z
  .object({
    tags: z.array(NoteTagDefinition).min(1),
    /** What happens when the classifier is unsure. Default: review. */
    uncertain: z.array(Action).default([{ type: 'review', reason: 'the note needs a person' }]),
  })
  .strict()
  .superRefine((t, ctx) => {
    const seen = new Set<string>();
    t.tags.forEach((tag, i) => {
      if (seen.has(tag.id))
        ctx.addIssue({
          code: 'custom',
          path: ['tags', i, 'id'],
          message: `duplicate tag "${tag.id}"`,
        });
      seen.add(tag.id);
    });
  });
export type NoteTaxonomy = z.infer<typeof NoteTaxonomy>;
export type NoteTaxonomyInput = z.input<typeof NoteTaxonomy>;

/**
 * Validates a taxonomy (throws `CONFIG_INVALID` naming the bad path).
 *
 * @example
 * ```ts
 * const mine = defineNoteTaxonomy({
 *   tags: [...NOTE_TAXONOMY.tags, { id: 'cold_chain', description: 'keep it cold', actions: [requireCapability('cold_chain')] }],
 * });
 * ```
 */
export function defineNoteTaxonomy(input: NoteTaxonomyInput): NoteTaxonomy {
  return parseOrThrow(NoteTaxonomy, input, 'taxonomy', ErrorCodes.CONFIG_INVALID);
}

/**
 * Adds or replaces tags of a taxonomy (same id replaces).
 *
 * @example
 * ```ts
 * const t = extendNoteTaxonomy(NOTE_TAXONOMY, [{ id: 'gift', description: 'gift', actions: [addTag('gift')] }]);
 * ```
 */
export function extendNoteTaxonomy(
  base: NoteTaxonomy,
  tags: NoteTagDefinitionInput[],
): NoteTaxonomy {
  const byId = new Map<string, NoteTagDefinitionInput>(base.tags.map((t) => [t.id, t]));
  for (const t of tags) byId.set(t.id, t);
  return defineNoteTaxonomy({ tags: [...byId.values()], uncertain: base.uncertain });
}

const tag = (
  id: string,
  description: string,
  actions: ActionInput[],
  extra: Partial<NoteTagDefinitionInput> = {},
): NoteTagDefinitionInput => ({ id, description, actions, ...extra });

/**
 * The default taxonomy. Consequences: address change, cancel request and item
 * change go to review; ship after holds until that date (at `paid`); gift adds
 * packing instructions (no prices on the slip); eco adds a packaging
 * instruction; personalization routes only to locations with the
 * `personalization` capability; expedite raises the warehouse priority (never
 * the paid service); contact customer notifies ops.
 */
export const NOTE_TAXONOMY: NoteTaxonomy = defineNoteTaxonomy({
  tags: [
    tag(
      'gift',
      'The order is a gift; may carry a gift message.',
      [
        addInstruction('Gift: leave all prices off the packing slip'),
        addInstruction('Gift: gift-wrap if offered and include the gift message'),
        addTag('gift'),
      ],
      { text: true },
    ),
    tag('eco_packaging', 'Asks for less or plastic-free packaging.', [
      addInstruction('Eco packaging: minimal packaging, no plastic fill'),
    ]),
    tag(
      'delivery_instructions',
      'Tells the carrier where or how to deliver.',
      [addInstruction('Delivery instructions in the customer note: pass them to the carrier')],
      { text: true },
    ),
    tag(
      'ship_after',
      'Do not ship before a date (carries the date).',
      [hold({ untilFact: 'note.shipAfter', reason: 'the customer asked to ship after a date' })],
      { date: true, stage: 'paid' },
    ),
    tag(
      'expedite',
      'Asks for it sooner; may carry a need-by date.',
      [setPriority(1), addTag('expedite-request')],
      { date: true, stage: 'paid' },
    ),
    tag('address_change', 'Asks to change the shipping address.', [
      review('the note asks to change the address'),
    ]),
    tag('cancel_request', 'Asks to cancel the order.', [review('the note asks to cancel')]),
    tag('item_change', 'Asks to swap an item, size or colour.', [
      review('the note asks to change an item'),
    ]),
    tag(
      'personalization',
      'Engraving, monogram or custom text (carries the text).',
      [
        requireCapability('personalization'),
        addInstruction('Personalization requested: see the customer note'),
      ],
      { text: true },
    ),
    tag('fragile', 'Asks for careful handling.', [
      addInstruction('Fragile: pack with extra protection'),
    ]),
    tag('contact_customer', 'Asks to be contacted.', [
      notify('ops', 'The customer asks to be contacted about this order'),
    ]),
    tag('other', 'Anything else; no action.', [addTag('note-other')]),
  ],
});

/**
 * The rules that give each tag of `taxonomy` its consequence, plus one rule for
 * uncertain classifications (default: review). Ids are `note-<tag>` and
 * `note-uncertain`; priority 50.
 *
 * @example
 * ```ts
 * const engine = createEngine({ ..., classifier: new KeywordNoteClassifier(), rules: [...noteRules(), ...myRules] });
 * ```
 */
export function noteRules(taxonomy: NoteTaxonomy = NOTE_TAXONOMY): RuleInput[] {
  const t = taxonomy === NOTE_TAXONOMY ? taxonomy : defineNoteTaxonomy(taxonomy);
  const rules: RuleInput[] = [];
  for (const def of t.tags) {
    if (def.actions.length === 0) continue;
    const when =
      def.id === 'ship_after'
        ? all(fact('note.tags').contains(def.id), fact('note.shipAfter').exists())
        : fact('note.tags').contains(def.id);
    rules.push({
      id: `note-${def.id}`,
      description: `note tag ${def.id}: ${def.description}`,
      stage: def.stage,
      priority: 50,
      when,
      actions: def.actions,
    });
  }
  if (t.uncertain.length > 0) {
    rules.push({
      id: 'note-uncertain',
      description: 'the note classifier was unsure: a person reads the note',
      stage: 'received',
      priority: 50,
      when: fact('note.uncertain').eq(true),
      actions: t.uncertain,
    });
  }
  return rules;
}

/** The tag ids of a taxonomy. */
export function taxonomyTagIds(taxonomy: NoteTaxonomy = NOTE_TAXONOMY): string[] {
  return taxonomy.tags.map((t) => t.id);
}

/** Throws `CONFIG_INVALID` when `tags` names a tag outside `taxonomy`. Internal helper. */
export function assertTagsInTaxonomy(tags: readonly string[], taxonomy: NoteTaxonomy): void {
  const ids = new Set(taxonomyTagIds(taxonomy));
  const bad = tags.filter((t) => !ids.has(t));
  if (bad.length > 0)
    throw new FulfilError(
      ErrorCodes.CONFIG_INVALID,
      `tags: not in the taxonomy: ${bad.join(', ')}`,
    );
}
