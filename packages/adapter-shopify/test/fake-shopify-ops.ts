/** The operations of the fake Shopify Admin API (see fake-shopify.ts). */

export const gid = (type: string, id: string) => `gid://shopify/${type}/${id}`;
const num = (g: unknown) => /(\d+)$/.exec(String(g))?.[1] ?? String(g);

/** A seeded order in the fake shop. */
export interface FakeOrderSeed {
  id: string;
  updatedAt: string;
  createdAt?: string;
  name?: string;
  tags?: string[];
  note?: string | null;
  financialStatus?: 'PAID' | 'PENDING' | 'AUTHORIZED';
  cancelledAt?: string | null;
  lines: { id: string; sku: string | null; quantity: number; price: string }[];
}

export interface FakeHold {
  id: string;
  handle: string | null;
  reason: string;
  notes: string | null;
  /** Placed by a merchant (in the admin), not through this app's API calls. */
  merchant?: boolean;
}
export interface FakeFulfillmentOrder {
  id: string;
  /** The assigned location's gid. */
  locationId: string;
  status: 'OPEN' | 'ON_HOLD' | 'CLOSED';
  holds: FakeHold[];
  lines: { id: string; lineItemId: string; remaining: number }[];
}
export interface FakeOrder {
  seed: FakeOrderSeed;
  tags: string[];
  fulfillmentOrders: FakeFulfillmentOrder[];
  fulfillments: {
    id: string;
    tracking: { number: string; company: string; url?: string };
    notifyCustomer: boolean;
    lines: { id: string; quantity: number }[];
  }[];
  /** Metafields by `namespace.key`. */
  metafields?: Record<string, { value: string; type: string }>;
}

/** Answers the GraphQL operations the adapter sends, on `orders`. */
export function fakeOperations(orders: Map<string, FakeOrder>, nextId: () => number) {
  function orderNode(o: FakeOrder) {
    const s = o.seed;
    const money = (amount: string) => ({ shopMoney: { amount, currencyCode: 'USD' } });
    const subtotal = s.lines.reduce((t, l) => t + Number(l.price) * l.quantity, 0).toFixed(2);
    return {
      id: gid('Order', s.id),
      legacyResourceId: s.id,
      name: s.name ?? `#${s.id.slice(-4)}`,
      email: 'ada@example.com',
      phone: null,
      createdAt: s.createdAt ?? s.updatedAt,
      updatedAt: s.updatedAt,
      cancelledAt: s.cancelledAt ?? null,
      cancelReason: s.cancelledAt ? 'CUSTOMER' : null,
      displayFinancialStatus: s.financialStatus ?? 'PAID',
      currencyCode: 'USD',
      tags: o.tags,
      note: s.note ?? null,
      clientIp: '203.0.113.7',
      customAttributes: [],
      currentSubtotalPriceSet: money(subtotal),
      currentTotalPriceSet: money(subtotal),
      currentTotalTaxSet: money('0.00'),
      currentTotalDiscountsSet: money('0.00'),
      totalShippingPriceSet: money('0.00'),
      customer: null,
      shippingAddress: {
        name: 'Ada Lovelace',
        firstName: 'Ada',
        lastName: 'Lovelace',
        company: null,
        address1: '1 Main St',
        address2: null,
        city: 'Brooklyn',
        provinceCode: 'NY',
        zip: '11201',
        countryCodeV2: 'US',
        phone: null,
        latitude: null,
        longitude: null,
      },
      shippingLine: { title: 'Standard', code: 'STANDARD' },
      lineItems: {
        nodes: s.lines.map((l) => ({
          id: gid('LineItem', l.id),
          sku: l.sku,
          title: `Item ${l.sku ?? l.id}`,
          name: `Item ${l.sku ?? l.id}`,
          quantity: l.quantity,
          currentQuantity: l.quantity,
          requiresShipping: true,
          originalUnitPriceSet: money(l.price),
          customAttributes: [],
        })),
      },
      fulfillments: o.fulfillments.map((f) => ({
        id: f.id,
        trackingInfo: [{ number: f.tracking.number, company: f.tracking.company }],
      })),
      fulfillmentOrders: {
        nodes: o.fulfillmentOrders.map((fo) => ({
          id: fo.id,
          status: fo.status,
          assignedLocation: { location: { id: fo.locationId } },
          fulfillmentHolds: fo.holds.map((h) => ({ id: h.id, handle: h.handle, reason: h.reason })),
          lineItems: {
            nodes: fo.lines.map((l) => ({
              id: l.id,
              remainingQuantity: l.remaining,
              lineItem: { id: gid('LineItem', l.lineItemId) },
            })),
          },
        })),
      },
    };
  }

  const findFo = (id: unknown) => {
    for (const o of orders.values())
      for (const fo of o.fulfillmentOrders) if (fo.id === id) return fo;
    return undefined;
  };
  const notFound = (field: string, message: string, code?: string) => ({
    userErrors: [{ field: [field], message, ...(code ? { code } : {}) }],
  });

  function run(
    op: string,
    v: Record<string, unknown>,
    requested: number,
  ): { data: unknown; actual: number } {
    const done = (data: unknown, actual = requested) => ({ data, actual });
    switch (op) {
      case 'order': {
        const o = orders.get(num(v.id));
        return done({ order: o ? orderNode(o) : null }, o ? 5 : 1);
      }
      case 'orders': {
        const since = /updated_at:>='?([^' ]+)'?/.exec(String(v.query ?? ''))?.[1];
        const all = [...orders.values()]
          .filter((o) => !since || Date.parse(o.seed.updatedAt) >= Date.parse(since))
          .sort((a, b) => Date.parse(a.seed.updatedAt) - Date.parse(b.seed.updatedAt));
        const start = v.after ? Number(v.after) : 0;
        const page = all.slice(start, start + Number(v.first ?? 50));
        const end = start + page.length;
        return done(
          {
            orders: {
              nodes: page.map(orderNode),
              pageInfo: { hasNextPage: end < all.length, endCursor: String(end) },
            },
          },
          2 + page.length * 3,
        );
      }
      case 'tagsAdd': {
        const o = orders.get(num(v.id));
        if (!o) return done({ tagsAdd: { node: null, ...notFound('id', 'Order does not exist') } });
        for (const t of v.tags as string[]) if (!o.tags.includes(t)) o.tags.push(t);
        return done({ tagsAdd: { node: { id: v.id }, userErrors: [] } });
      }
      case 'fulfillmentOrderHold': {
        const fo = findFo(v.id);
        const input = v.fulfillmentHold as {
          reason: string;
          reasonNotes?: string;
          handle?: string;
        };
        if (!fo)
          return done({
            fulfillmentOrderHold: {
              fulfillmentHold: null,
              fulfillmentOrder: null,
              ...notFound('id', 'Fulfillment order does not exist.', 'FULFILLMENT_ORDER_NOT_FOUND'),
            },
          });
        if (fo.status === 'CLOSED')
          return done({
            fulfillmentOrderHold: {
              fulfillmentHold: null,
              fulfillmentOrder: null,
              userErrors: [
                {
                  field: ['id'],
                  message: 'The fulfillment order is not in a holdable state.',
                  code: 'INVALID_FULFILLMENT_ORDER_STATUS',
                },
              ],
            },
          });
        if (input.handle && fo.holds.some((h) => h.handle === input.handle)) {
          return done({
            fulfillmentOrderHold: {
              fulfillmentHold: null,
              fulfillmentOrder: null,
              userErrors: [
                {
                  field: ['fulfillmentHold', 'handle'],
                  message:
                    'The handle provided for the fulfillment hold is already in use by this app for another hold on this fulfillment order.',
                  code: 'DUPLICATE_FULFILLMENT_HOLD_HANDLE',
                },
              ],
            },
          });
        }
        const hold = {
          id: gid('FulfillmentHold', String(nextId())),
          handle: input.handle ?? null,
          reason: input.reason,
          notes: input.reasonNotes ?? null,
        };
        fo.holds.push(hold);
        fo.status = 'ON_HOLD';
        return done({
          fulfillmentOrderHold: {
            fulfillmentHold: { id: hold.id, handle: hold.handle },
            fulfillmentOrder: { id: fo.id, status: fo.status },
            userErrors: [],
          },
        });
      }
      case 'fulfillmentOrderMove': {
        const fo = findFo(v.id);
        const payload = (userErrors: unknown[]) => ({
          fulfillmentOrderMove: {
            movedFulfillmentOrder:
              fo && userErrors.length === 0 ? { id: fo.id, status: fo.status } : null,
            userErrors,
          },
        });
        if (!fo)
          return done(
            payload(
              notFound('id', 'Fulfillment order does not exist.', 'FULFILLMENT_ORDER_NOT_FOUND')
                .userErrors,
            ),
          );
        if (fo.status !== 'OPEN') {
          return done(
            payload([
              {
                field: ['id'],
                message: 'Cannot move a fulfillment order that is not open.',
                code: 'CANNOT_MOVE',
              },
            ]),
          );
        }
        fo.locationId = String(v.newLocationId);
        return done(payload([]));
      }
      case 'fulfillmentOrderReleaseHold': {
        const fo = findFo(v.id);
        if (!fo)
          return done({
            fulfillmentOrderReleaseHold: {
              fulfillmentOrder: null,
              ...notFound('id', 'Fulfillment order does not exist.', 'FULFILLMENT_ORDER_NOT_FOUND'),
            },
          });
        const ids = (v.holdIds as string[] | undefined) ?? fo.holds.map((h) => h.id);
        fo.holds = fo.holds.filter((h) => !ids.includes(h.id));
        if (fo.holds.length === 0 && fo.status === 'ON_HOLD') fo.status = 'OPEN';
        return done({
          fulfillmentOrderReleaseHold: {
            fulfillmentOrder: { id: fo.id, status: fo.status },
            userErrors: [],
          },
        });
      }
      case 'fulfillmentCreate': {
        const input = v.fulfillment as {
          notifyCustomer?: boolean;
          trackingInfo?: { company: string; number: string; url?: string };
          lineItemsByFulfillmentOrder: {
            fulfillmentOrderId: string;
            fulfillmentOrderLineItems?: { id: string; quantity: number }[];
          }[];
        };
        const fos = input.lineItemsByFulfillmentOrder.map((g) => ({
          g,
          fo: findFo(g.fulfillmentOrderId),
        }));
        const missing = fos.find((x) => !x.fo);
        if (missing)
          return done({
            fulfillmentCreate: {
              fulfillment: null,
              ...notFound(
                'fulfillment.lineItemsByFulfillmentOrder',
                'Fulfillment order does not exist.',
              ),
            },
          });
        if (fos.some((x) => x.fo!.status === 'ON_HOLD')) {
          return done({
            fulfillmentCreate: {
              fulfillment: null,
              userErrors: [{ field: ['fulfillment'], message: 'Fulfillment order is on hold.' }],
            },
          });
        }
        const order = [...orders.values()].find((o) => o.fulfillmentOrders.includes(fos[0]!.fo!))!;
        const lines: { id: string; quantity: number }[] = [];
        for (const { g, fo } of fos) {
          for (const item of g.fulfillmentOrderLineItems ??
            fo!.lines.map((l) => ({ id: l.id, quantity: l.remaining }))) {
            const line = fo!.lines.find((l) => l.id === item.id);
            if (!line || item.quantity > line.remaining) {
              return done({
                fulfillmentCreate: {
                  fulfillment: null,
                  userErrors: [
                    {
                      field: ['fulfillment', 'lineItemsByFulfillmentOrder'],
                      message: 'Invalid fulfillment order line item quantity requested.',
                    },
                  ],
                },
              });
            }
            line.remaining -= item.quantity;
            lines.push(item);
          }
          if (fo!.lines.every((l) => l.remaining === 0)) fo!.status = 'CLOSED';
        }
        const f = {
          id: gid('Fulfillment', String(nextId())),
          tracking: input.trackingInfo ?? { company: '', number: '' },
          notifyCustomer: input.notifyCustomer ?? false,
          lines,
        };
        order.fulfillments.push(f);
        return done({
          fulfillmentCreate: { fulfillment: { id: f.id, status: 'SUCCESS' }, userErrors: [] },
        });
      }
      default:
        return done({});
    }
  }

  return { run };
}
