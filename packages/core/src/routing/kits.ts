import { z } from 'zod';
import { FulfilError, parseOrThrow } from '../errors';
import { KitComponent } from '../model/order';

/** One kit: its components per kit unit, and whether they may ship from different locations. */
export const KitDefinition = z
  .object({
    components: z.array(KitComponent).min(1, 'a kit needs at least one component'),
    splittable: z.boolean().default(false),
  })
  .strict();
export type KitDefinition = z.output<typeof KitDefinition>;

/** Kit definitions by kit SKU. A component may itself be a kit (nested kits). */
export const KitDefinitions = z.record(z.string().min(1), KitDefinition);
export type KitDefinitions = z.output<typeof KitDefinitions>;
/** Kit definitions as callers write them (`splittable` may be omitted). */
export type KitDefinitionsInput = z.input<typeof KitDefinitions>;

/**
 * Validates kit definitions and returns them parsed. Throws `CONFIG_INVALID` naming the
 * path (e.g. `kits.GIFT.components[1].quantity`) for zero or fractional quantities, a
 * component repeated in one kit, a cycle (`kits.A.components[0].sku: cycle A → B → A`), or,
 * when `catalogue` is given, a component SKU that is neither a kit nor in the catalogue.
 *
 * @example
 * ```ts
 * const kits = validateKits({ GIFT: { components: [{ sku: 'MUG', quantity: 1 }, { sku: 'TEA', quantity: 2 }] } },
 *   { catalogue: ['MUG', 'TEA'] });
 * ```
 */
export function validateKits(
  definitions: unknown,
  options: { catalogue?: Iterable<string> } = {},
): KitDefinitions {
  const kits = parseOrThrow(KitDefinitions, definitions, 'kits', 'CONFIG_INVALID');
  const catalogue = options.catalogue ? new Set(options.catalogue) : undefined;
  for (const [kit, def] of Object.entries(kits)) {
    const seen = new Set<string>();
    def.components.forEach((c, i) => {
      const path = `kits.${kit}.components[${i}].sku`;
      if (seen.has(c.sku)) fail(path, `component "${c.sku}" appears twice in kit "${kit}"`);
      seen.add(c.sku);
      if (catalogue && !kits[c.sku] && !catalogue.has(c.sku))
        fail(path, `unknown SKU "${c.sku}" (not in the catalogue and not a kit)`);
    });
  }
  const state = new Map<string, 'open' | 'done'>();
  const visit = (kit: string, trail: string[]): void => {
    if (state.get(kit) === 'done') return;
    state.set(kit, 'open');
    (kits[kit]?.components ?? []).forEach((c, i) => {
      if (!kits[c.sku]) return;
      if (state.get(c.sku) === 'open') {
        const from = trail.indexOf(c.sku);
        const cycle = [...trail.slice(from === -1 ? 0 : from), kit, c.sku].join(' → ');
        fail(`kits.${kit}.components[${i}].sku`, `cycle ${cycle}`);
      }
      visit(c.sku, [...trail, kit]);
    });
    state.set(kit, 'done');
  };
  for (const kit of Object.keys(kits).sort()) visit(kit, []);
  return kits;
}

/**
 * The leaf components of `sku` per one unit (nested kits multiplied out), or `[{ sku, 1 }]`
 * when it is not a kit. Call {@link validateKits} first: cycles throw `CONFIG_INVALID`.
 *
 * @example
 * ```ts
 * expandKit(kits, 'GIFT'); // [{ sku: 'MUG', quantity: 1 }, { sku: 'TEA', quantity: 2 }]
 * ```
 */
export function expandKit(kits: KitDefinitions, sku: string): { sku: string; quantity: number }[] {
  const out = new Map<string, number>();
  const walk = (s: string, times: number, depth: number) => {
    if (depth > 64) fail(`kits.${sku}`, 'kit nesting deeper than 64 (a cycle?)');
    const def = kits[s];
    if (!def) {
      out.set(s, (out.get(s) ?? 0) + times);
      return;
    }
    for (const c of def.components) walk(c.sku, times * c.quantity, depth + 1);
  };
  walk(sku, 1, 0);
  return [...out].map(([s, quantity]) => ({ sku: s, quantity }));
}

function fail(path: string, message: string): never {
  throw new FulfilError('CONFIG_INVALID', `${path}: ${message}`, { details: { path } });
}
