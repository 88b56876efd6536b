import { z } from 'zod';
import {
  Address,
  CurrencyCode,
  Id,
  MinorUnits,
  NameValue,
  Quantity,
  Timestamp,
} from './primitives';

/** Most lines one order may carry. Larger orders are rejected with `INVALID_INPUT`. */
export const MAX_ORDER_LINES = 10_000;

/** One component of a kit / bundle line. */
export const KitComponent = z.object({ sku: z.string().min(1), quantity: Quantity });
export type KitComponent = z.infer<typeof KitComponent>;

/** An order line. A line with `kit` ships as its components. */
export const OrderLine = z.object({
  id: Id,
  /** Stores may send lines without a SKU (custom items); such lines cannot be routed. */
  sku: z.string().nullable(),
  title: z.string().optional(),
  quantity: Quantity,
  unitPrice: MinorUnits.nonnegative('must be >= 0'),
  requiresShipping: z.boolean().default(true),
  properties: z.array(NameValue).default([]),
  /** Kit / bundle: the line ships as these components (per one unit of the line). */
  kit: z
    .object({
      components: z.array(KitComponent).min(1, 'a kit needs at least one component'),
      /** May the components ship from different locations? Default: no. */
      splittable: z.boolean().default(false),
    })
    .optional(),
  /** Do not ship before this time (preorders). */
  shipAfter: Timestamp.optional(),
});
export type OrderLine = z.infer<typeof OrderLine>;

/** Payment state as the store reports it. */
export const PaymentStatus = z.enum([
  'pending',
  'authorized',
  'paid',
  'partially_paid',
  'partially_refunded',
  'refunded',
  'voided',
]);
export type PaymentStatus = z.infer<typeof PaymentStatus>;

/** Risk as the store itself assessed it (e.g. Shopify's fraud analysis). */
export const StoreRisk = z.object({
  level: z.enum(['low', 'medium', 'high']),
  recommendation: z.enum(['accept', 'investigate', 'cancel']).optional(),
  score: z.number().min(0).max(100).optional(),
});
export type StoreRisk = z.infer<typeof StoreRisk>;

/**
 * A normalized order, the same whichever store it came from.
 *
 * Money is integer minor units in `currency`. Ids are strings.
 */
export const Order = z
  .object({
    id: Id,
    source: z.object({
      /** `shopify`, `manual`, ... */
      channel: z.string().min(1),
      /** The store (e.g. `acme.myshopify.com`). */
      store: z.string().min(1),
      /** The store's own id, exact (e.g. `gid://shopify/Order/820982911946154508`). */
      externalId: Id,
      /** Human order name, e.g. `#1001`. */
      name: z.string().optional(),
      /** Link to the order in the store's admin, used in alerts and reviews. */
      adminUrl: z.url().optional(),
    }),
    customer: z
      .object({
        id: Id.optional(),
        email: z.string().optional(),
        phone: z.string().optional(),
        tags: z.array(z.string()).default([]),
        /** Orders this customer placed before, including this one, when known. */
        ordersCount: z.number().int().nonnegative().optional(),
      })
      .optional(),
    shippingAddress: Address.optional(),
    billingAddress: Address.optional(),
    lines: z
      .array(OrderLine)
      .min(1, 'an order needs at least one line')
      .max(MAX_ORDER_LINES, `an order may have at most ${MAX_ORDER_LINES} lines`),
    note: z.string().max(20_000).nullable().default(null),
    noteAttributes: z.array(NameValue).default([]),
    tags: z.array(z.string()).default([]),
    paymentStatus: PaymentStatus,
    shipping: z
      .object({
        method: z.string().optional(),
        expedited: z.boolean().default(false),
      })
      .default({ expedited: false }),
    currency: CurrencyCode,
    totals: z.object({
      subtotal: MinorUnits.nonnegative(),
      shipping: MinorUnits.nonnegative().default(0),
      tax: MinorUnits.nonnegative().default(0),
      discounts: MinorUnits.nonnegative().default(0),
      total: MinorUnits.nonnegative(),
    }),
    storeRisk: StoreRisk.optional(),
    clientIp: z.string().nullable().default(null),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .superRefine((order, ctx) => {
    const seen = new Set<string>();
    order.lines.forEach((line, i) => {
      if (seen.has(line.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['lines', i, 'id'],
          message: `duplicate line id "${line.id}"`,
        });
      }
      seen.add(line.id);
    });
  });
export type Order = z.infer<typeof Order>;
/** An order as callers write it (defaults may be omitted). */
export type OrderInput = z.input<typeof Order>;
