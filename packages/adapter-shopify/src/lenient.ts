import { z } from 'zod';

/**
 * Lenient zod pieces for vendor payloads: a field the engine does not need to route
 * an order never rejects it. A value of the wrong type is coerced when the intent is
 * plain (`"45.41634"` → 45.41634, `40202` → `"40202"`), else dropped, and a note
 * says so (collected by {@link collectNotes}).
 */

let sink: string[] | undefined;

/** Runs `parse`, collecting the notes lenient fields leave (at most 50). */
export function collectNotes<T>(parse: () => T): { value: T; notes: string[] } {
  const outer = sink;
  const notes: string[] = [];
  sink = notes;
  try {
    return { value: parse(), notes };
  } finally {
    sink = outer;
  }
}

/** Records a note for the parse under way (a no-op outside {@link collectNotes}). */
export function note(message: string): void {
  if (sink && sink.length < 50) sink.push(message);
}

function shown(input: unknown): string {
  if (input === null || input === undefined) return String(input);
  if (typeof input === 'object') return Array.isArray(input) ? 'a list' : 'an object';
  const text = JSON.stringify(input) ?? String(input);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** `schema`, optional and nullable; any other value is dropped (`undefined`) and noted. */
export function lenient<S extends z.ZodType>(schema: S, label: string) {
  return schema.nullish().catch((ctx) => {
    note(`${label}: dropped ${shown(ctx.input)} (${ctx.error.issues[0]?.message ?? 'invalid'})`);
    return undefined;
  });
}

/** A list whose invalid items are dropped one by one (noted); not a list → dropped. */
export function lenientList<S extends z.ZodType>(item: S, label: string) {
  return lenient(
    z.array(z.unknown()).transform((items) =>
      items.flatMap((raw, i) => {
        const r = item.safeParse(raw);
        if (r.success) return [r.data as z.output<S>];
        note(`${label}[${i}]: dropped (${r.error.issues[0]?.message ?? 'invalid'})`);
        return [];
      }),
    ),
    label,
  );
}

/** Text: a string, or a number or boolean written as text. */
export const Text = z.union([
  z.string(),
  z.number().transform(String),
  z.boolean().transform(String),
]);

/** A number, or a decimal number written as a string (`"-75.6868"`). */
export const NumberLike = z.union([
  z.number(),
  z
    .string()
    .trim()
    .regex(/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/, 'must be a number')
    .transform(Number),
]);

/** A whole number ≥ 0, or one written as digits (`"3"`). */
export const Count = z.union([
  z.number().int().nonnegative(),
  z
    .string()
    .trim()
    .regex(/^\d{1,15}$/, 'must be a whole number')
    .transform(Number),
]);

/** A boolean, or `"true"` / `"false"`. */
export const BooleanLike = z.union([
  z.boolean(),
  z.enum(['true', 'false']).transform((s) => s === 'true'),
]);

/** A Shopify numeric id as parsed losslessly: a safe number or a string of digits. */
export const NumericId = z.union([
  z.number().int().nonnegative(),
  z.string().trim().regex(/^\d+$/, 'must be a numeric id'),
]);

/** A money amount as Shopify writes it: a decimal string, or a number (major units). */
export const Amount = z.union([z.string(), z.number()]);
