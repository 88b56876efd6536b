import { createHash } from 'node:crypto';
import { UpstreamError } from '@fulfil/http';
import type { ShopifyAdminClient, UserError } from './admin-client';
import { assertNoUserErrors } from './admin-client';
import * as Q from './queries';
import type { FulfillmentOrderInfo } from './store-webhooks';

/**
 * Where `addNote` writes. Shopify gives apps no way to post order timeline
 * comments (those are staff-only `CommentEvent`s), and the order's own `note` is the
 * customer's and the merchant's text (rewriting it would also re-trigger
 * `orders/updated` and the note classifier). So notes go to an order metafield, one
 * line per note; merchants see it in the order's Metafields card once they pin a
 * definition for it (Settings → Custom data → Orders).
 */
export interface NoteOptions {
  /** Metafield namespace. Default `fulfil`. */
  namespace?: string;
  /** Metafield key. Default `timeline`. */
  key?: string;
  /** Keep at most this many characters; the oldest lines go first. Default 10 000. */
  maxChars?: number;
}

interface FoNode {
  id: string;
  status: string;
  order: { id: string } | null;
  assignedLocation?: { location: { id: string } | null } | null;
  fulfillmentHolds: {
    id: string;
    handle: string | null;
    reason?: string;
    heldByRequestingApp?: boolean;
  }[];
}

/** Reads one fulfillment order (`fulfillmentOrder(id)`): its order, location and holds. */
export async function readFulfillmentOrder(
  admin: ShopifyAdminClient,
  id: string,
): Promise<FulfillmentOrderInfo | undefined> {
  const gid = id.startsWith('gid://') ? id : `gid://shopify/FulfillmentOrder/${id}`;
  const data = await admin.request<{ fulfillmentOrder: FoNode | null }>(Q.FULFILLMENT_ORDER_QUERY, {
    id: gid,
  });
  const fo = data.fulfillmentOrder;
  if (!fo?.order) return undefined;
  const location = fo.assignedLocation?.location?.id;
  return {
    id: fo.id,
    status: fo.status,
    orderId: fo.order.id,
    ...(location ? { locationId: location } : {}),
    holds: fo.fulfillmentHolds.map((h) => ({
      id: h.id,
      handle: h.handle,
      ...(h.reason ? { reason: h.reason } : {}),
      heldByRequestingApp: h.heldByRequestingApp === true,
    })),
  };
}

const STALE_RETRIES = 4;

/**
 * Appends `text` as one line (`2026-11-27 10:00Z text #k1a2b3c4d5`) to the order's
 * note metafield, with compare-and-set (`compareDigest`): a concurrent writer makes
 * it read again and retry. Idempotent: a line carrying the key's tag is not added twice.
 */
export async function appendOrderNote(
  admin: ShopifyAdminClient,
  orderGid: string,
  text: string,
  idempotencyKey: string,
  options: NoteOptions = {},
): Promise<void> {
  const namespace = options.namespace ?? 'fulfil';
  const key = options.key ?? 'timeline';
  const max = options.maxChars ?? 10_000;
  const tag = `#k${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 10)}`;
  const stamp = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const line = `${stamp}Z ${text.replace(/\s+/g, ' ').trim().slice(0, 1500)} ${tag}`;
  for (let attempt = 0; attempt < STALE_RETRIES; attempt++) {
    const data = await admin.request<{
      order: { metafield: { value: string; compareDigest: string } | null } | null;
    }>(Q.ORDER_NOTE_QUERY, { id: orderGid, namespace, key });
    if (!data.order) throw noteFailure(orderGid, 'order not found', 'ORDER_NOT_FOUND', false);
    const current = data.order.metafield;
    const lines = current?.value ? current.value.split('\n') : [];
    if (lines.some((l) => l.endsWith(` ${tag}`))) return;
    lines.push(line);
    while (lines.length > 1 && lines.join('\n').length > max) lines.shift();
    const res = await admin.request<{ metafieldsSet: { userErrors?: UserError[] } | null }>(
      Q.METAFIELDS_SET,
      {
        metafields: [
          {
            ownerId: orderGid,
            namespace,
            key,
            type: 'multi_line_text_field',
            value: lines.join('\n'),
            compareDigest: current?.compareDigest ?? null,
          },
        ],
      },
    );
    if (res.metafieldsSet?.userErrors?.some((e) => e.code === 'STALE_OBJECT')) continue;
    assertNoUserErrors('metafieldsSet', res.metafieldsSet);
    return;
  }
  throw noteFailure(orderGid, 'the note metafield kept changing under us', 'STALE_OBJECT', true);
}

function noteFailure(orderGid: string, message: string, code: string, retryable: boolean) {
  return new UpstreamError(`${orderGid}: addNote: ${message}`, {
    vendor: 'shopify',
    method: 'POST',
    url: 'graphql',
    status: 200,
    vendorCode: code,
    retryable,
  });
}
