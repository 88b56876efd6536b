import { createMemoryStorage } from '../../src/memory';
import type { WarehouseAdapter } from '../../src/ports/warehouse';
import { storageConformance, warehouseConformance } from '../../src/testing';

// Runs the capability-gated storage cases: one shared in-process instance stands in
// for two connections (the memory storage is not really multi-process).
storageConformance('self-check: memory declaring multiProcess', async () => {
  const storage = { ...createMemoryStorage(), capabilities: { multiProcess: true } };
  return { storage, connect: async () => storage };
});

// A warehouse with no optional capabilities: the gated cases are skipped, saying why.
warehouseConformance('self-check: submit-only warehouse', async () => {
  const orders = new Map<string, string>();
  const adapter: WarehouseAdapter = {
    name: 'submit-only',
    capabilities: { cancel: false, holdUntil: false, inventory: false, shipmentEvents: false },
    async submit(request, key) {
      if (request.lines.some((l) => l.sku !== 'TEE-M'))
        return { status: 'rejected', reason: 'unknown SKU' };
      if (!orders.has(key)) orders.set(key, `so-${orders.size + 1}`);
      return { status: 'accepted', warehouseOrderId: orders.get(key)! };
    },
  };
  return {
    adapter,
    locationId: 'loc-1',
    sku: 'TEE-M',
    upstreamOrderCount: async () => orders.size,
  };
});
