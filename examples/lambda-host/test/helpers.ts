/**
 * What the Lambda host's tests share: the Shopify secret and ops token, a small engine on
 * simulated ports, API Gateway events, and a signed Shopify order posted through the host.
 */
import { signShopifyWebhook } from '@fulfil/adapter-shopify';
import { shopifyOrderText } from '@fulfil/adapter-shopify/testing';
import {
  createEngine,
  createMemoryInventory,
  createMemoryStorage,
  createSimulatedClock,
  createSimulatedWarehouse,
  type EngineOptions,
} from '@fulfil/core';
import { expect } from 'vitest';
import type { createLambdaHost, HttpEvent } from '../src/host';

export const SECRET = 'test_secret_key';
export const TOKEN = 'ops_token_0123456789abcdef';

/**
 * An engine on memory storage and one simulated warehouse `main` (10 `TEE-M`), its clock at
 * 2026-11-27 09:00 UTC, dispatch only when called; `extra` is spread last.
 */
export function testEngine(extra: Partial<EngineOptions> = {}) {
  const clock = createSimulatedClock('2026-11-27T09:00:00Z');
  const stock = { main: { 'TEE-M': 10 } };
  return createEngine({
    storage: createMemoryStorage(),
    inventory: createMemoryInventory({ stock }),
    warehouses: {
      main: createSimulatedWarehouse({ name: 'main', clock, locations: ['main'], stock }),
    },
    locations: [{ id: 'main', warehouse: 'main' }],
    clock,
    autoDispatch: false,
    ...extra,
  });
}

/** An HTTP API (v2) event with a plain-text body. */
export const event = (
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body = '',
) =>
  ({
    rawPath: path,
    headers,
    body,
    requestContext: { http: { method } },
  }) satisfies HttpEvent;

/** An HTTP API (v2) event whose body is base64-encoded (`isBase64Encoded`), as binary bodies come. */
export const base64Event = (
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body = '',
) =>
  ({
    ...event(method, path, headers, Buffer.from(body).toString('base64')),
    isBase64Encoded: true,
  }) satisfies HttpEvent;

/**
 * Posts a Shopify `orders/create` webhook (2 `TEE-M`, signed with {@link SECRET}, webhook id
 * `webhookId`) through the host, built with `toEvent`, and expects it stored (200).
 */
export async function postShopifyOrder(
  host: ReturnType<typeof createLambdaHost>,
  webhookId: string,
  toEvent: (
    method: string,
    path: string,
    headers: Record<string, string>,
    body: string,
  ) => HttpEvent = event,
): Promise<void> {
  const body = shopifyOrderText({ lines: [{ sku: 'TEE-M', quantity: 2, price: '25.00' }] });
  const stored = await host.http(
    toEvent(
      'POST',
      '/webhooks/shopify',
      {
        'content-type': 'application/json',
        'x-shopify-hmac-sha256': signShopifyWebhook(body, SECRET),
        'x-shopify-topic': 'orders/create',
        'x-shopify-shop-domain': 'acme.myshopify.com',
        'x-shopify-webhook-id': webhookId,
        'x-shopify-api-version': '2025-07',
      },
      body,
    ),
  );
  expect(stored.statusCode).toBe(200);
}
