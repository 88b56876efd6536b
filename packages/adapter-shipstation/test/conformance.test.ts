import { warehouseConformance } from '@fulfil/core/testing';
import { createWorld, ordersOf, shipNotifyFor } from './world';

// ShipStation accepts any SKU (items need no product), so no `unknownSku`: that case is skipped.
warehouseConformance('shipstation', async () => {
  const { fake, adapter, close } = await createWorld();
  return {
    adapter,
    locationId: 'east',
    sku: 'TEE-M',
    upstreamOrderCount: async () => fake.orders().length,
    shipAll: async () => void (await fake.shipAll()),
    shipPart: async (request, lines) => {
      const open = ordersOf(fake, request).find((o) => o.orderStatus === 'awaiting_shipment');
      await fake.ship(
        open!.orderId,
        lines.map((l) => ({ lineItemKey: l.lineId, quantity: l.quantity })),
      );
    },
    failNext: async (fault, times) => fake.failNext(fault, times),
    requestCount: async () => fake.requests.length,
    webhookFor: async (request) => shipNotifyFor(fake, request),
    forge: (valid) => ({
      ...valid,
      url: valid.url.replace(/token=[^&]*/, 'token=not-the-token-000'),
    }),
    cleanup: async () => void (await close()),
  };
});
