import type { OrderEvent } from '@fulfil/core';
import { signShopifyWebhook, type WebhookRequest } from '../src';
import { SHOP } from './fixtures';

export const SECRET = 'shpss_queue_secret';

/** A signed Shopify delivery as the handler receives it (legacy header names by default). */
export function signed(
  body: string,
  topic: string,
  extra: Record<string, string | undefined> = {},
): WebhookRequest {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-shopify-topic': topic,
    'x-shopify-shop-domain': SHOP,
    'x-shopify-hmac-sha256': signShopifyWebhook(body, SECRET),
    'x-shopify-triggered-at': '2026-11-27T15:00:00Z',
  };
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete headers[k];
    else headers[k] = v;
  }
  return { method: 'POST', headers, rawBody: Buffer.from(body) };
}

/** A promise to hang on, and its release. */
export function gate() {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open: () => open() };
}

/** An `ingest` option that records every event, with a failure plan. */
export function recordingIngest(failures: Error[] = []) {
  const events: OrderEvent[] = [];
  let active = 0;
  const state = { calls: 0, maxActive: 0 };
  const ingest = async (batch: OrderEvent[]) => {
    state.calls++;
    active++;
    state.maxActive = Math.max(state.maxActive, active);
    try {
      await new Promise((resolve) => setTimeout(resolve, 1));
      const failure = failures.shift();
      if (failure) throw failure;
      events.push(...batch);
    } finally {
      active--;
    }
  };
  return { ingest, events, state };
}

/** What an error handed to `onError` was, in short. */
export function errorsOf(list: { error: unknown; status: number; info?: unknown }[]) {
  return list.map(({ error, status, info }) => ({
    code: (error as { code?: string }).code,
    status,
    info,
  }));
}
