import { z } from 'zod';

const CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

/** A non-empty string id. Ids are always strings: Shopify ids exceed 2^53. */
export const Id = z.string().min(1, 'must be a non-empty string').max(512);

/** An ISO 8601 timestamp with a time zone offset, e.g. `2026-11-27T09:00:00Z`. */
export const Timestamp = z.iso.datetime({ offset: true });

/** An ISO 4217 currency code known to the runtime (`USD`, `EUR`, `JPY`, ...). */
export const CurrencyCode = z
  .string()
  .length(3, 'must be a 3-letter ISO 4217 code')
  .refine((c) => CURRENCIES.has(c), { message: 'unknown ISO 4217 currency code' });

/** Money in integer minor units (cents). Never a float. */
export const MinorUnits = z.number().int('must be an integer amount in minor units');

/** A positive whole quantity. */
export const Quantity = z.number().int('must be a whole number').positive('must be > 0');

/** `{name, value}` pairs, as stores send line properties and note attributes. */
export const NameValue = z.object({ name: z.string(), value: z.string() });
export type NameValue = z.infer<typeof NameValue>;

/** A postal address. `country` is an ISO 3166-1 alpha-2 code. */
export const Address = z.object({
  name: z.string().optional(),
  company: z.string().optional(),
  line1: z.string().optional(),
  line2: z.string().optional(),
  city: z.string().optional(),
  /** Region / state / province code, e.g. `CA`. */
  province: z.string().optional(),
  postalCode: z.string().optional(),
  country: z
    .string()
    .length(2, 'must be an ISO 3166-1 alpha-2 code')
    .transform((c) => c.toUpperCase()),
  phone: z.string().optional(),
  lat: z.number().min(-90).max(90).optional(),
  lon: z.number().min(-180).max(180).optional(),
});
export type Address = z.infer<typeof Address>;

/** Reasons a store hold may carry (store adapters map them to their own vocabulary). */
export const StoreHoldReason = z.enum([
  'fraud',
  'awaiting_payment',
  'out_of_stock',
  'incorrect_address',
  'other',
]);
export type StoreHoldReason = z.infer<typeof StoreHoldReason>;
