import type { DeliveryQueue } from '@fulfil/core';
import { describe, expect, it } from 'vitest';
import { createShopifyWebhookHandler } from '../src';
import { createReceiptGate } from '../src/webhook-queue';
import { createQueueDouble } from './delivery-queue-double';
import { orderText } from './fixtures';
import { gate, SECRET, signed } from './queue-helpers';

// Acknowledgements first: the drain shares the event loop with the handler, and waits
// (briefly) for the enqueues in flight before it claims or processes a delivery.

const orderWith = (id: number) => orderText().replace(/"id":\s*\d+/, `"id": ${id}`);

describe('receipt gate', () => {
  it('wait() resolves at once when no acknowledgement is in flight', async () => {
    const receipts = createReceiptGate(10_000);
    const t0 = performance.now();
    await receipts.wait();
    expect(performance.now() - t0).toBeLessThan(1_000);
  });

  it('wait() resolves after the last acknowledgement in flight leaves (once its I/O callback is done), not before', async () => {
    const receipts = createReceiptGate(10_000);
    receipts.enter();
    receipts.enter();
    const order: string[] = [];
    const waited = receipts.wait().then(() => order.push('drain'));
    receipts.leave();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(order).toEqual([]); // one is still in flight
    receipts.leave();
    order.push('answer written'); // the rest of the leaving callback
    await waited;
    expect(order).toEqual(['answer written', 'drain']);
  });

  it('wait() gives up after maxWaitMs, so the drain progresses under steady traffic', async () => {
    const receipts = createReceiptGate(20);
    receipts.enter();
    const t0 = performance.now();
    await receipts.wait();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(19);
  });
});

describe('Shopify webhook handler with a queue: the drain yields to acknowledgements', () => {
  async function scenario(yieldToReceiptsMs: number) {
    const { queue: memory } = createQueueDouble();
    const held = gate();
    const queue: DeliveryQueue = {
      ...memory,
      async enqueue(delivery) {
        if (delivery.key.endsWith('w-held')) await held.promise;
        return memory.enqueue(delivery);
      },
    };
    const log: string[] = [];
    const handle = createShopifyWebhookHandler({
      secrets: [SECRET],
      queue,
      yieldToReceiptsMs,
      ingest: async () => {
        log.push('ingest');
      },
    });
    // B's enqueue is in flight (held) when A is acknowledged and starts the drain.
    const b = handle(
      signed(orderWith(2), 'orders/create', { 'x-shopify-webhook-id': 'w-held' }),
    ).then((out) => {
      log.push('B answered');
      return out;
    });
    const a = await handle(
      signed(orderWith(1), 'orders/create', { 'x-shopify-webhook-id': 'w-a' }),
    );
    log.push('A answered');
    expect(a.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    log.push('B released');
    held.open();
    expect((await b).status).toBe(200);
    await handle.idle();
    expect(await memory.stats()).toEqual({ pending: 0, dead: 0 });
    return log;
  }

  it('a delivery is not ingested while another delivery is being enqueued', async () => {
    expect(await scenario(60_000)).toEqual([
      'A answered',
      'B released',
      'B answered',
      'ingest',
      'ingest',
    ]);
  });

  it('yieldToReceiptsMs: 0 never waits (the drain ingests A while B is still held)', async () => {
    expect((await scenario(0)).slice(0, 2)).toEqual(['A answered', 'ingest']);
  });

  it('yieldToReceiptsMs must be a number ≥ 0 (CONFIG_INVALID)', () => {
    const { queue } = createQueueDouble();
    expect(() =>
      createShopifyWebhookHandler({
        secrets: [SECRET],
        queue,
        yieldToReceiptsMs: -1,
        ingest: async () => {},
      }),
    ).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});
