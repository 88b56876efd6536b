import { z } from 'zod';
import { isWritable, parsePath } from './paths';
import { Transform } from './transforms';

/** A path into a source document (see `paths.ts` for the syntax). */
export const PathText = z.string().superRefine((text, ctx) => {
  const p = parsePath(text);
  if (typeof p === 'string') ctx.addIssue({ code: 'custom', message: `bad path ${p}` });
});

const TargetPath = z.string().superRefine((text, ctx) => {
  const p = parsePath(text);
  if (typeof p === 'string') ctx.addIssue({ code: 'custom', message: `bad path ${p}` });
  else if (!isWritable(p))
    ctx.addIssue({
      code: 'custom',
      message: `"${text}": a target path may hold only fields and indexes (no $, ^, [*] or filters)`,
    });
});

const Transforms = z.preprocess(
  (v) => (v === undefined || Array.isArray(v) ? v : [v]),
  z.array(Transform).optional(),
);

/** One rule of a body mapping: `to` ← `from` (or `const`), through `transform`s; or an array `each`. */
export interface MappingRule {
  to: string;
  from?: string | string[];
  const?: unknown;
  transform?: Transform[];
  each?: string;
  fields?: MappingRule[];
}

export const MappingRule: z.ZodType<MappingRule> = z.lazy(() =>
  z
    .object({
      to: TargetPath,
      from: z.union([PathText, z.array(PathText).min(1)]).optional(),
      const: z.json().optional(),
      transform: Transforms,
      each: PathText.optional(),
      fields: z.array(MappingRule).optional(),
    })
    .strict()
    .superRefine((rule, ctx) => {
      const kinds = [rule.from, rule.const, rule.each].filter((x) => x !== undefined).length;
      if (kinds !== 1)
        ctx.addIssue({
          code: 'custom',
          message: 'give exactly one of "from", "const" or "each"',
        });
      if (rule.each !== undefined && rule.fields === undefined)
        ctx.addIssue({ code: 'custom', path: ['fields'], message: '"each" needs "fields"' });
      if (rule.each === undefined && rule.fields !== undefined)
        ctx.addIssue({ code: 'custom', path: ['fields'], message: '"fields" needs "each"' });
    }),
) as z.ZodType<MappingRule>;

/** A value read from a response: a path, `{from, transform}`, or `{const}`. */
export const Field = z.preprocess(
  (v) => (typeof v === 'string' ? { from: v } : v),
  z
    .object({
      from: z.union([PathText, z.array(PathText).min(1)]).optional(),
      const: z.json().optional(),
      transform: Transforms,
    })
    .strict()
    .refine((f) => (f.from === undefined) !== (f.const === undefined), {
      message: 'give a path, or an object with exactly one of "from" or "const"',
    }),
);
export type Field = z.infer<typeof Field>;

const Method = z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
const Template = z.string().min(1);
const Statuses = z.array(z.number().int().min(400).max(599));

const operation = <R extends z.ZodType>(response: R) =>
  z
    .object({
      method: Method,
      /** Relative to `baseUrl`; `{name}` placeholders are filled and URI-encoded. */
      path: Template,
      query: z.record(z.string(), Template).optional(),
      headers: z.record(z.string(), Template).optional(),
      body: z.array(MappingRule).optional(),
      response,
    })
    .strict();

/** How shipments are read from a webhook or listing body. */
export const ShipmentsMapping = z
  .object({
    /** Where the shipment records are; several paths: the first that yields records is used. */
    each: z.union([PathText, z.array(PathText).min(1)]).optional(),
    orderId: Field,
    shipmentId: Field,
    carrier: Field,
    trackingNumber: Field,
    trackingUrl: Field.optional(),
    shippedAt: Field.optional(),
    warehouseOrderId: Field.optional(),
    reference: Field.optional(),
    vendorShipmentId: Field.optional(),
    lineMap: Field.optional(),
    lines: z
      .object({ each: PathText, lineId: Field.optional(), sku: Field.optional(), quantity: Field })
      .strict()
      .optional(),
  })
  .strict();
export type ShipmentsMapping = z.infer<typeof ShipmentsMapping>;

const Operations = z
  .object({
    submit: operation(z.object({ warehouseOrderId: Field }).strict()),
    getOrder: operation(
      z
        .object({ each: PathText.optional(), warehouseOrderId: Field, status: Field.optional() })
        .strict(),
    ).optional(),
    cancel: operation(z.object({}).strict().default({}))
      .extend({
        notFound: Statuses.default([404]),
        /** `getOrder` statuses that mean "cancelled" (to settle a cancel whose answer was unreadable). */
        cancelledStatuses: z.array(z.string().min(1)).min(1).optional(),
        alreadyShipped: z
          .object({ statuses: Statuses.min(1), contains: z.string().min(1).optional() })
          .strict()
          .optional(),
      })
      .optional(),
    inventory: operation(
      z
        .object({
          /** Where the stock records are; several paths: the first that yields records is used. */
          each: z.union([PathText, z.array(PathText).min(1)]),
          locationId: Field,
          sku: Field,
          units: Field,
        })
        .strict(),
    )
      .extend({
        /**
         * Paged answers: `next` is the path of the next page's link (a URL or a
         * path on the same host, followed) or cursor (sent as `cursorParam`).
         */
        paging: z
          .object({
            next: PathText,
            cursorParam: z.string().min(1).default('Cursor'),
            maxPages: z.number().int().positive().max(1000).default(100),
          })
          .strict()
          .optional(),
      })
      .optional(),
    listShipments: operation(ShipmentsMapping.extend({ shippedAt: Field }).strict()).optional(),
  })
  .strict();

const Secret = z.string().min(1, 'must be a non-empty secret');

export const Auth = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('none') }).strict(),
    z.object({ type: z.literal('bearer'), token: Secret }).strict(),
    z.object({ type: z.literal('basic'), username: z.string().min(1), password: Secret }).strict(),
    z
      .object({
        type: z.literal('apiKey'),
        header: z.string().min(1),
        value: Secret,
        prefix: z.string().optional(),
      })
      .strict(),
    z
      .object({
        type: z.literal('oauth2'),
        tokenUrl: z.url(),
        clientId: z.string().min(1),
        clientSecret: Secret,
        scope: z.string().optional(),
        /** Where the client credentials go: an HTTP Basic header (RFC 6749 default) or the body. */
        credentials: z.enum(['basic', 'body']).default('basic'),
        /** Token request body encoding. */
        format: z.enum(['form', 'json']).default('form'),
        /** More token request fields (e.g. Extensiv's `user_login_id`). */
        extra: z.record(z.string(), z.string()).optional(),
        /** Refresh this long before `expires_in` runs out. */
        expirySkewSeconds: z.number().min(0).default(30),
      })
      .strict(),
  ],
  { error: 'must be one of: none, bearer, basic, apiKey, oauth2' },
);
export type Auth = z.infer<typeof Auth>;

export const RateLimit = z.discriminatedUnion(
  'kind',
  [
    z
      .object({
        kind: z.literal('fixed-window'),
        limit: z.number().int().positive(),
        windowMs: z.number().int().positive(),
      })
      .strict(),
    z
      .object({
        kind: z.literal('sliding-window'),
        limit: z.number().int().positive(),
        windowMs: z.number().int().positive(),
      })
      .strict(),
    z
      .object({
        kind: z.literal('token-bucket'),
        capacity: z.number().positive(),
        refillPerSecond: z.number().positive(),
      })
      .strict(),
  ],
  { error: 'must be one of: fixed-window, sliding-window, token-bucket' },
);
export type RateLimit = z.infer<typeof RateLimit>;

export const Signature = z
  .object({
    header: z.string().min(1),
    algorithm: z.enum(['sha256', 'sha1', 'sha512']).default('sha256'),
    encoding: z.enum(['hex', 'base64']).default('hex'),
    prefix: z.string().optional(),
    separator: z.string().min(1).optional(),
    signedContent: z.string().min(1).default('{body}'),
    secrets: z.array(Secret).min(1, 'give at least one secret'),
    secretEncoding: z.enum(['utf8', 'base64']).default('utf8'),
    timestamp: z
      .object({
        header: z.string().min(1),
        toleranceSeconds: z.number().positive().default(300),
        unit: z.enum(['seconds', 'milliseconds']).default('seconds'),
      })
      .strict()
      .optional(),
  })
  .strict();
export type Signature = z.infer<typeof Signature>;

export const Generic3plConfigSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be lower-case letters, digits, "-" or "_"')
      .max(64),
    baseUrl: z.url(),
    auth: Auth,
    headers: z.record(z.string(), z.string()).optional(),
    locations: z.record(z.string(), z.string()).optional(),
    idempotency: z
      .object({
        reference: z
          .object({
            from: z.enum(['shipmentId', 'idempotencyKey']).default('shipmentId'),
            transform: Transforms,
          })
          .strict()
          .default({ from: 'shipmentId' }),
        header: z.string().min(1).optional(),
        conflict: z
          .object({ statuses: Statuses.min(1), contains: z.string().min(1).optional() })
          .strict()
          .optional(),
      })
      .strict()
      .default({ reference: { from: 'shipmentId' } }),
    rejection: z
      .object({
        statuses: Statuses.default([400, 422]),
        reasonPaths: z.array(PathText).default(['message', 'error', 'errors[0].message']),
        body: z.object({ path: PathText, equals: z.json() }).strict().optional(),
      })
      .strict()
      .default({ statuses: [400, 422], reasonPaths: ['message', 'error', 'errors[0].message'] }),
    rateLimit: RateLimit.optional(),
    retryAfterHeader: z.string().min(1).default('retry-after'),
    retry: z
      .object({
        retries: z.number().int().min(0).max(20).optional(),
        minDelayMs: z.number().int().min(0).optional(),
        maxDelayMs: z.number().int().min(0).optional(),
        maxRetryAfterMs: z.number().int().min(0).optional(),
        maxRetryTimeMs: z.number().int().min(0).optional(),
      })
      .strict()
      .optional(),
    timeoutMs: z.number().int().positive().optional(),
    operations: Operations,
    webhook: z
      .object({
        signature: Signature,
        topic: z
          .object({
            /** The topic header; several names: the first present is read (e.g. a legacy name). */
            header: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
            path: PathText.optional(),
            accept: z.array(z.string()).min(1),
          })
          .strict()
          .refine((t) => (t.header === undefined) !== (t.path === undefined), {
            message: 'give exactly one of "header" or "path"',
          })
          .optional(),
        shipments: ShipmentsMapping,
      })
      .strict()
      .optional(),
  })
  .strict();

/** A generic 3PL configuration as written (defaults may be omitted). */
export type Generic3plConfig = z.input<typeof Generic3plConfigSchema>;
/** A validated configuration, defaults applied. */
export type ResolvedConfig = z.output<typeof Generic3plConfigSchema>;
