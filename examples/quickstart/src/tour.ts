/**
 * The README's tour, as a program: `pnpm --filter @fulfil/example-quickstart tour`.
 * Keep it in step with the README (a test runs it).
 */
import {
  all,
  allowSplit,
  createEngine,
  createMemoryAlerts,
  createMemoryInventory,
  createMemoryStorage,
  createSimulatedClock,
  createSimulatedWarehouse,
  fact,
  hold,
  notify,
  type OrderInput,
  rule,
} from '@fulfil/core';

export async function tour() {
  const clock = createSimulatedClock('2026-11-27T09:00:00Z');
  const stock = { east: { 'MUG-1': 1, 'TEE-M': 4 }, west: { 'MUG-1': 0, 'TEE-M': 9 } };
  const east = createSimulatedWarehouse({ name: 'east-wh', clock, locations: ['east'], stock });
  const west = createSimulatedWarehouse({ name: 'west-wh', clock, locations: ['west'], stock });
  const alerts = createMemoryAlerts();

  const engine = createEngine({
    storage: createMemoryStorage(),
    inventory: createMemoryInventory({ stock }),
    warehouses: { 'east-wh': east, 'west-wh': west },
    locations: [
      { id: 'east', warehouse: 'east-wh', priority: 1 },
      { id: 'west', warehouse: 'west-wh', priority: 2 },
    ],
    alerts,
    timeZone: 'America/New_York',
    clock,
    rules: [
      // "If the order contains a backordered item AND the customer is tagged VIP,
      //  split the shipment and notify the warehouse."
      rule('vip-backorder')
        .at('before_routing')
        .priority(10)
        .stop()
        .when(all(fact('lines.hasBackordered').eq(true), fact('customer.tags').contains('VIP')))
        .do(allowSplit(), notify('warehouse', 'VIP order with a backordered item: split'))
        .build(),
      // "Hold the order for 24 hours, re-check inventory, then route it."
      rule('hold-short')
        .at('before_routing')
        .when(fact('inventory.hasBackorder').eq(true))
        .do(hold({ for: { hours: 24 }, reason: 'awaiting stock', releaseOnStock: true }))
        .build(),
    ],
  });

  const order: OrderInput = {
    id: 'ord-1001',
    source: {
      channel: 'shopify',
      store: 'acme.myshopify.com',
      externalId: 'gid://shopify/Order/820982911946154508',
      name: '#1001',
    },
    customer: { email: 'ada@example.com', tags: ['VIP'] },
    shippingAddress: {
      name: 'Ada Lovelace',
      line1: '1 Main St',
      city: 'Springfield',
      province: 'IL',
      postalCode: '62701',
      country: 'US',
    },
    lines: [
      { id: 'l1', sku: 'MUG-1', quantity: 2, unitPrice: 1800 },
      { id: 'l2', sku: 'TEE-M', quantity: 1, unitPrice: 2500 },
    ],
    paymentStatus: 'paid',
    currency: 'USD',
    totals: { subtotal: 6100, total: 6100 },
    createdAt: '2026-11-27T09:00:00Z',
    updatedAt: '2026-11-27T09:00:00Z',
  };

  const result = await engine.ingest({
    type: 'order.received',
    idempotencyKey: 'webhook-123',
    occurredAt: '2026-11-27T09:00:00Z',
    order,
  });
  console.log(result.status); // 'submitted'
  console.log(result.explanation?.routing?.reason); // 'optimal: 1 shipment(s) from east (...), proven optimal, 1 unit(s) backordered; runner-up west: ...'
  console.log(alerts.alerts().map((a) => a.message)); // ['VIP order with a backordered item: split']

  // On a schedule: fire due timers (hold expiries) and retry due commands.
  await engine.runDue();
  // Why is this order where it is?
  const { history } = await engine.explain('ord-1001');
  for (const step of history) console.log(`v${step.version} ${step.summary}`);
  return { result, history, alerts: alerts.alerts() };
}

if (import.meta.url === `file://${process.argv[1]}`) await tour();
