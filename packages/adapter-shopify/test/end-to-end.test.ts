import { addTag, all, fact, hold, rule } from '@fulfil/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createShopifyStore, signShopifyWebhook } from '../src';
import { startFakeShopify } from './fake-shopify';
import { ORDER_ID, orderText, SHOP } from './fixtures';
import { createTestEngine, startWebhookApp } from './world';

const SECRET = 'shpss_e2e';
let fake: Awaited<ReturnType<typeof startFakeShopify>>;
beforeAll(async () => {
  fake = await startFakeShopify({ restoreRate: 1000 });
});
afterAll(() => fake.close());

describe('webhook → engine → Shopify store commands', () => {
  it('a signed orders/create is held in Shopify and tagged by rules, through the real client', async () => {
    fake.seedOrder({
      id: ORDER_ID,
      updatedAt: '2026-11-27T04:00:05-05:00',
      lines: [
        { id: '1421098765432109876', sku: 'TEE-M', quantity: 3, price: '99.99' },
        { id: '1421098765432109877', sku: 'MUG', quantity: 1, price: '60.00' },
      ],
    });
    const store = createShopifyStore({
      shop: SHOP,
      accessToken: fake.token,
      endpoint: fake.endpoint,
    });
    const { engine } = createTestEngine(store, {
      rules: [
        rule('rush-check')
          .at('received')
          .when(all(fact('order.tags').contains('rush')))
          .do(
            addTag('fulfil-checked'),
            hold({ for: { hours: 24 }, reason: 'verify address', storeHold: 'incorrect_address' }),
          )
          .build(),
      ],
    });
    const app = await startWebhookApp({ secrets: [SECRET], engine });
    const body = orderText();
    const res = await fetch(`${app.url}/webhooks/shopify`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': 'orders/create',
        'x-shopify-shop-domain': SHOP,
        'x-shopify-webhook-id': 'e2e-1',
        'x-shopify-hmac-sha256': signShopifyWebhook(body, SECRET),
      },
      body,
    });
    expect(res.status).toBe(200);
    await engine.dispatch();
    const record = await engine.get(`shopify:acme-outdoor:${ORDER_ID}`);
    expect(record?.status).toBe('on_hold');
    const shopOrder = fake.order(ORDER_ID)!;
    expect(shopOrder.tags).toContain('fulfil-checked');
    expect(shopOrder.fulfillmentOrders[0]).toMatchObject({
      status: 'ON_HOLD',
      holds: [expect.objectContaining({ reason: 'INCORRECT_ADDRESS', notes: 'verify address' })],
    });
    await app.close();
  });
});
