import { createSimulatedClock, createSimulatedWarehouse } from '../../src/memory';
import { warehouseConformance } from '../../src/testing';

warehouseConformance('simulated', async () => {
  const clock = createSimulatedClock('2026-11-27T09:00:00Z');
  const shipAfterMs = 2 * 60 * 60 * 1000;
  const adapter = createSimulatedWarehouse({
    name: 'sim',
    clock,
    locations: ['loc-east'],
    stock: { 'loc-east': { 'TEE-M': 100 } },
    shipAfterMs,
    deliverAfterMs: 24 * 60 * 60 * 1000,
  });
  return {
    adapter,
    locationId: 'loc-east',
    sku: 'TEE-M',
    unknownSku: 'NOPE-404',
    upstreamOrderCount: async () => adapter.orders().length,
    shipAll: async () => void clock.advance(shipAfterMs),
    shipPart: async (request, lines) => {
      clock.advance(60_000);
      adapter.partialShip(request.shipment.id, lines);
    },
  };
});
