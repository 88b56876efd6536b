import { functionOption, parseOptions, portOption } from '@fulfil/core';
import { HttpClientOptionsSchema, type RateLimiter } from '@fulfil/http';
import { z } from 'zod';
import type { ShopifyAdminClient, ShopifyAdminClientOptions } from './admin-client';
import type { ShopifyStoreOptions } from './store';

const adminShape = {
  shop: z.string().min(1, 'the shop domain, e.g. acme.myshopify.com'),
  accessToken: z.string().min(1, 'the Admin API access token'),
  apiVersion: z.string().min(1).optional(),
  endpoint: z.url().optional(),
  limiter: portOption<RateLimiter>(
    'RateLimiter',
    ['schedule', 'report'],
    "createRateLimiter({ kind: 'cost' })",
  ).optional(),
  defaultCost: z.number().positive().optional(),
  throttleRetries: z.number().int().min(0).optional(),
  http: HttpClientOptionsSchema.omit({ baseUrl: true, headers: true, limiter: true }).optional(),
} satisfies Record<keyof ShopifyAdminClientOptions, z.ZodType>;

const AdminSchema = z.object(adminShape);

const StoreSchema = z
  .object({
    ...adminShape,
    accessToken: adminShape.accessToken.optional(),
    admin: portOption<ShopifyAdminClient>(
      'ShopifyAdminClient',
      ['request'],
      'createShopifyAdminClient(...)',
    ).optional(),
    name: z.string().min(1).optional(),
    orderId: functionOption<NonNullable<ShopifyStoreOptions['orderId']>>(
      'a function (shop, numericId) => string',
    ).optional(),
    notifyMerchantOnHold: z.boolean().optional(),
    pageSize: z.number().int().min(1).max(250).optional(),
    notes: z
      .object({
        namespace: z.string().min(1).optional(),
        key: z.string().min(1).optional(),
        maxChars: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
  } satisfies Record<keyof ShopifyStoreOptions, z.ZodType>)
  .superRefine((o, ctx) => {
    if (o.admin === undefined && o.accessToken === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['accessToken'],
        message: 'give `accessToken` (or an `admin` client)',
      });
    }
  });

/**
 * Checks {@link ShopifyAdminClientOptions} as any caller may pass them; throws
 * `CONFIG_INVALID` naming the path ("did you mean ...?" for a misspelt key).
 */
export function checkAdminClientOptions(options: unknown): void {
  parseOptions(AdminSchema, options, 'createShopifyAdminClient');
}

/** Checks {@link ShopifyStoreOptions} likewise. */
export function checkStoreOptions(options: unknown): void {
  parseOptions(StoreSchema, options, 'createShopifyStore');
}
