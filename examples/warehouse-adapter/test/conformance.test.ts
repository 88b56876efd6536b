import { warehouseConformance } from '@fulfil/core/testing';
import { createAcmeWarehouse } from '../src/acme-warehouse';
import { ACME_API_KEY, ACME_WEBHOOK_SECRET, startFakeAcme } from './fake-acme';

warehouseConformance('acme', async () => {
  const acme = await startFakeAcme({ RNO1: { 'TEE-M': 100 } });
  const adapter = createAcmeWarehouse({
    baseUrl: acme.url,
    apiKey: ACME_API_KEY,
    webhookSecrets: [ACME_WEBHOOK_SECRET],
    warehouses: { 'loc-reno': 'RNO1' },
    retry: { retries: 3, minDelayMs: 5, maxDelayMs: 20 },
  });
  const shipmentOf = (id: string) =>
    acme.shipments.findLast((s) => s.order.external_shipment_id === id);
  return {
    adapter,
    locationId: 'loc-reno',
    sku: 'TEE-M',
    unknownSku: 'NOPE-404',
    upstreamOrderCount: async () => acme.orders.length,
    shipAll: async () => {
      for (const o of acme.orders.filter((o) => o.status === 'open'))
        acme.ship(o.external_shipment_id);
    },
    shipPart: async (request, lines) => void acme.ship(request.shipment.id, lines),
    failNext: async (fault, times) => acme.failNext(fault, times),
    requestCount: async () => acme.requests,
    webhookFor: async (request) => {
      const { body, signature } = acme.webhook(shipmentOf(request.shipment.id)!);
      return {
        method: 'POST',
        url: '/hooks/acme',
        headers: { 'x-acme-signature': signature },
        body,
      };
    },
    forge: (valid) => ({ ...valid, headers: { 'x-acme-signature': `sha256=${'0'.repeat(64)}` } }),
    cleanup: () => acme.close(),
  };
});
