import { type DeliveryQueue, functionOption, parseOptions, portOption } from '@fulfil/core';
import { z } from 'zod';
import type { FulfillmentOrderSource } from './store-webhooks';
import type { ShopifyWebhookHandlerOptions } from './webhook-handler';

const Schema = z.object({
  secrets: z.array(z.string().min(1)).min(1, 'give at least one webhook secret'),
  engine: portOption<NonNullable<ShopifyWebhookHandlerOptions['engine']>>(
    'Engine',
    ['ingest'],
    'createEngine(...)',
  ).optional(),
  ingest: functionOption<NonNullable<ShopifyWebhookHandlerOptions['ingest']>>(
    'a function (events, webhook) => Promise',
  ).optional(),
  fulfillmentOrders: portOption<FulfillmentOrderSource>(
    'FulfillmentOrderSource',
    ['fulfillmentOrder'],
    'createShopifyStore(...)',
  ).optional(),
  maxBodyBytes: z.number().int().positive().optional(),
  queue: portOption<DeliveryQueue>(
    'DeliveryQueue',
    ['enqueue', 'claim', 'complete', 'fail'],
    'createMemoryDeliveryQueue() or storage.deliveries',
  ).optional(),
  onError: functionOption<NonNullable<ShopifyWebhookHandlerOptions['onError']>>().optional(),
  shop: z.string().min(1).optional(),
  orderId: functionOption<NonNullable<ShopifyWebhookHandlerOptions['orderId']>>(
    'a function (shop, numericId) => string',
  ).optional(),
  locations: z.record(z.string(), z.string()).optional(),
  drainBatch: z.number().int().positive().optional(),
  leaseMs: z.number().positive().optional(),
  retry: z
    .object({
      baseMs: z.number().nonnegative().optional(),
      maxMs: z.number().nonnegative().optional(),
      maxAttempts: z.number().int().positive().optional(),
    })
    .strict()
    .optional(),
  clock: portOption<NonNullable<ShopifyWebhookHandlerOptions['clock']>>('Clock', [
    'now',
  ]).optional(),
  autoDrain: z.boolean().optional(),
  yieldToReceiptsMs: z.number().finite().nonnegative().optional(),
} satisfies Record<keyof ShopifyWebhookHandlerOptions, z.ZodType>);

/**
 * Checks {@link ShopifyWebhookHandlerOptions} as any caller may pass them; throws
 * `CONFIG_INVALID` naming the path ("did you mean ...?" for a misspelt key).
 */
export function checkWebhookHandlerOptions(options: unknown): void {
  parseOptions(Schema, options, 'createShopifyWebhookHandler');
}
