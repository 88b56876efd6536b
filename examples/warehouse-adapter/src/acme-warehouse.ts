/**
 * A warehouse adapter for "Acme 3PL", a made-up but typical REST 3PL. It is the
 * worked example of docs/warehouse-adapter-guide.md: every step of the guide
 * points at a numbered section here.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  FulfilError,
  type OrderEvent,
  parseOrThrow,
  type ShipmentRequest,
  type SubmitResult,
  type WarehouseAdapter,
  type WarehouseWebhookRequest,
  type WarehouseWebhookResult,
} from '@fulfil/core';
import {
  createHttpClient,
  createRateLimiter,
  isUpstreamError,
  type RetryOptions,
} from '@fulfil/http';
import { z } from 'zod';

// 1. Options: validated once, with zod; a bad value fails with CONFIG_INVALID naming its path.
const AcmeOptions = z.object({
  baseUrl: z.url(),
  apiKey: z.string().min(1),
  /** Secrets that may sign webhooks (several during a rotation). */
  webhookSecrets: z.array(z.string().min(8)).min(1),
  /** Core location id → Acme warehouse code. */
  warehouses: z.record(z.string(), z.string().min(1)),
  /** Acme allows 120 requests per minute per key. */
  requestsPerMinute: z.number().int().positive().default(120),
  retry: z.custom<RetryOptions>().optional(),
});
export type AcmeOptions = z.input<typeof AcmeOptions>;

// 2. The vendor's wire shapes, validated on the way in: a vendor change fails loudly, not silently.
const AcmeShipment = z.object({
  id: z.string(),
  shipped_at: z.string(),
  carrier: z.string(),
  tracking_number: z.string(),
  tracking_url: z.string().optional(),
  items: z.array(z.object({ line_ref: z.string(), qty: z.number().int().positive() })),
  order: z.object({
    reference: z.string(),
    external_order_id: z.string().optional(),
    external_shipment_id: z.string().optional(),
  }),
});
type AcmeShipment = z.infer<typeof AcmeShipment>;
const ShipmentList = z.object({ shipments: z.array(AcmeShipment) });
const Levels = z.object({
  levels: z.array(z.object({ warehouse: z.string(), sku: z.string(), available: z.number() })),
});
const Created = z.object({ id: z.string() });
const Hook = z.object({ type: z.string(), shipment: AcmeShipment.optional() });

/**
 * Creates the Acme warehouse adapter.
 *
 * @example
 * ```ts
 * const acme = createAcmeWarehouse({
 *   baseUrl: 'https://api.acme-3pl.example',
 *   apiKey: process.env.ACME_KEY!,
 *   webhookSecrets: [process.env.ACME_WEBHOOK_SECRET!],
 *   warehouses: { 'loc-reno': 'RNO1' },
 * });
 * const engine = createEngine({ warehouses: { acme }, locations: [{ id: 'loc-reno', warehouse: 'acme' }], ... });
 * ```
 */
export function createAcmeWarehouse(input: AcmeOptions): WarehouseAdapter {
  const options = parseOrThrow(AcmeOptions, input, 'acme', 'CONFIG_INVALID');
  const codeToLocation = new Map(Object.entries(options.warehouses).map(([loc, c]) => [c, loc]));

  // 3. One HTTP client: auth, JSON, timeouts, retries (429/5xx) and the vendor's rate limit.
  const http = createHttpClient({
    baseUrl: options.baseUrl,
    vendor: 'acme',
    headers: { 'X-Api-Key': options.apiKey },
    limiter: createRateLimiter({
      kind: 'fixed-window',
      limit: options.requestsPerMinute,
      windowMs: 60_000,
    }),
    ...(options.retry ? { retry: options.retry } : {}),
  });

  const locationOf = (request: ShipmentRequest): string => {
    const code = options.warehouses[request.locationId];
    if (code === undefined) {
      throw new FulfilError(
        'CONFIG_INVALID',
        `acme.warehouses: no Acme warehouse for location "${request.locationId}"`,
        { details: { retryable: false } },
      );
    }
    return code;
  };

  // 5. Vendor shipments → core events, with stable idempotency keys.
  const toEvent = (s: AcmeShipment): OrderEvent | undefined => {
    const orderId = s.order.external_order_id;
    const shipmentId = s.order.external_shipment_id;
    if (orderId === undefined || shipmentId === undefined) return undefined;
    return {
      type: 'warehouse.shipped',
      idempotencyKey: `acme:shipment:${s.id}`,
      occurredAt: new Date(s.shipped_at).toISOString(),
      orderId,
      shipmentId,
      tracking: {
        carrier: s.carrier,
        number: s.tracking_number,
        ...(s.tracking_url ? { url: s.tracking_url } : {}),
      },
      lines: s.items.map((i) => ({ lineId: i.line_ref, quantity: i.qty })),
    } as OrderEvent;
  };

  const verify = (request: WarehouseWebhookRequest): boolean => {
    const header = request.headers['x-acme-signature'] ?? request.headers['X-Acme-Signature'];
    const given = Array.isArray(header) ? header[0] : header;
    if (!given?.startsWith('sha256=')) return false;
    const signature = Buffer.from(given.slice('sha256='.length), 'hex');
    const body = typeof request.body === 'string' ? Buffer.from(request.body) : request.body;
    let ok = false;
    for (const secret of options.webhookSecrets) {
      const expected = createHmac('sha256', secret).update(body).digest();
      if (expected.length === signature.length && timingSafeEqual(expected, signature)) ok = true;
    }
    return ok;
  };

  return {
    name: 'acme',
    capabilities: {
      cancel: true,
      holdUntil: false,
      inventory: true,
      shipmentEvents: true,
      webhooks: true,
    },

    // 4. Submit: idempotent on the key (Acme dedupes on `reference`), 422 → rejected.
    async submit(request, idempotencyKey): Promise<SubmitResult> {
      const body = {
        reference: idempotencyKey,
        warehouse: locationOf(request),
        external_order_id: request.orderId,
        external_shipment_id: request.shipment.id,
        ship_to: request.shipTo ?? null,
        items: request.lines.map((l) => ({ line_ref: l.lineId, sku: l.sku, qty: l.quantity })),
        notes: request.instructions.join('\n'),
      };
      try {
        const { data } = await http.post('v1/orders', body, { idempotencyKey });
        return { status: 'accepted', warehouseOrderId: Created.parse(data).id };
      } catch (err) {
        if (isUpstreamError(err) && (err.status === 400 || err.status === 422)) {
          return { status: 'rejected', reason: reasonOf(err.bodyExcerpt, err.status) };
        }
        throw err;
      }
    },

    async cancel(shipmentId, idempotencyKey) {
      try {
        await http.post(
          `v1/orders/by-shipment/${encodeURIComponent(shipmentId)}/cancel`,
          {},
          {
            idempotencyKey,
          },
        );
      } catch (err) {
        if (isUpstreamError(err) && err.status === 404) return; // unknown: nothing to cancel
        if (isUpstreamError(err) && err.status === 409) {
          throw new FulfilError('ADAPTER_FAILED', `acme: shipment ${shipmentId} already shipped`, {
            cause: err,
            details: { reason: 'already_shipped', retryable: false },
          });
        }
        throw err;
      }
    },

    async inventory(skus) {
      const { data } = await http.get('v1/inventory', { query: { sku: skus.join(',') } });
      const out: Record<string, Record<string, number>> = {};
      for (const level of Levels.parse(data).levels) {
        const location = codeToLocation.get(level.warehouse);
        if (location === undefined) continue;
        const perSku = out[location] ?? {};
        perSku[level.sku] = Math.max(0, Math.floor(level.available));
        out[location] = perSku;
      }
      return out;
    },

    async pollEvents(since) {
      const { data } = await http.get('v1/shipments', { query: { after: since } });
      return ShipmentList.parse(data)
        .shipments.map(toEvent)
        .filter((e): e is OrderEvent => e !== undefined && Date.parse(e.occurredAt) > since)
        .sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
    },

    // 6. Webhooks: authenticate first, then read; never throw on a bad request.
    async handleWebhook(request): Promise<WarehouseWebhookResult> {
      if (!verify(request)) return { status: 401, reason: 'bad or missing signature', events: [] };
      let hook: z.infer<typeof Hook>;
      try {
        const text =
          typeof request.body === 'string' ? request.body : Buffer.from(request.body).toString();
        hook = Hook.parse(JSON.parse(text));
      } catch {
        return { status: 400, reason: 'unreadable body', events: [] };
      }
      if (hook.type !== 'shipment.created' || !hook.shipment) return { status: 200, events: [] };
      const event = toEvent(hook.shipment);
      if (event) return { status: 200, events: [event] };
      return {
        status: 200,
        events: [],
        unmatched: [
          {
            reason: 'shipment for an order not created by @fulfil',
            details: { acmeShipmentId: hook.shipment.id, reference: hook.shipment.order.reference },
          },
        ],
      };
    },
  };
}

/** Acme explains a refusal as `{ error: { code, message } }`. */
function reasonOf(body: string | undefined, status: number | undefined): string {
  try {
    const { error } = JSON.parse(body ?? '') as { error?: { code?: string; message?: string } };
    if (error?.message) return `acme ${error.code ?? status}: ${error.message}`;
  } catch {
    // not JSON: fall through
  }
  return `acme refused the order (HTTP ${status})`;
}
