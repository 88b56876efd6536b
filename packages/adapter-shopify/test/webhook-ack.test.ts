import type { WarehouseAdapter } from '@fulfil/core';
import { describe, expect, it } from 'vitest';
import { createShopifyWebhookHandler, signShopifyWebhook } from '../src';
import { ORDER_ID, orderText, SHOP } from './fixtures';
import { createTestEngine } from './world';

const SECRET = 'shpss_ack_secret';
const ORDER = `shopify:acme-outdoor:${ORDER_ID}`;

/** A warehouse whose submits wait until `release()`: a warehouse that hangs. */
function hanging(inner: WarehouseAdapter) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const state = { started: 0 };
  const adapter: WarehouseAdapter = {
    ...inner,
    name: inner.name,
    capabilities: inner.capabilities,
    async submit(request, key) {
      state.started++;
      await gate;
      return inner.submit(request, key);
    },
  };
  return { adapter, state, release: () => open() };
}

describe('Shopify webhook acknowledgement does not wait for the warehouse', () => {
  it('answers 200 once the order is stored while the warehouse hangs; the submit completes later', async () => {
    const base = createTestEngine();
    const east = hanging(base.east);
    const world = createTestEngine(undefined, { warehouses: { 'east-wh': east.adapter } });
    const handle = createShopifyWebhookHandler({ secrets: [SECRET], engine: world.engine });
    const body = orderText();
    const started = performance.now();
    const answer = handle({
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': 'orders/create',
        'x-shopify-shop-domain': SHOP,
        'x-shopify-webhook-id': 'ack-1',
        'x-shopify-hmac-sha256': signShopifyWebhook(body, SECRET),
      },
      rawBody: body,
    });
    // Shopify gives up after 5 s; wait 2 at most, then let the warehouse go (no hung test).
    const late = new Promise<'no answer'>((resolve) => setTimeout(resolve, 2000, 'no answer'));
    const out = await Promise.race([answer, late]);
    const elapsed = performance.now() - started;
    if (out === 'no answer') east.release();
    expect(out).toMatchObject({ status: 200 });
    // Shopify allows 5 s; with the warehouse hanging the answer came at once.
    expect(elapsed).toBeLessThan(1000);
    const stored = await world.engine.get(ORDER);
    expect(stored?.status).toBe('submitted');
    expect(stored?.shipments.map((s) => s.status)).toEqual(['pending']);
    expect(east.state.started).toBe(1);
    east.release();
    await world.engine.idle();
    expect((await world.engine.get(ORDER))?.shipments.map((s) => s.status)).toEqual(['accepted']);
    expect(base.east.orders()).toHaveLength(1);
  });
});
