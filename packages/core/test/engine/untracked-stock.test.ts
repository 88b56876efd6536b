import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine';
import { createMemoryStorage } from '../../src/memory';
import type { WarehouseAdapter } from '../../src/ports/warehouse';
import { expectCode, makeOrder } from '../../src/testing';

/** A warehouse with no stock API (like ShipStation) that refuses SKUs it does not carry. */
function noStockApi(name: string, carries: string[]) {
  const submitted: string[] = [];
  const adapter: WarehouseAdapter = {
    name,
    capabilities: { cancel: false, holdUntil: false, inventory: false, shipmentEvents: false },
    async submit(request) {
      submitted.push(request.shipment.id);
      const missing = request.lines.find((l) => !carries.includes(l.sku));
      if (missing) return { status: 'rejected', reason: `${name} does not stock ${missing.sku}` };
      return { status: 'accepted', warehouseOrderId: `${name}-${submitted.length}` };
    },
  };
  return { adapter, submitted };
}

const received = (id: string, sku = 'TEE-M') => ({
  type: 'order.received',
  idempotencyKey: `recv-${id}`,
  occurredAt: '2026-11-27T09:00:00.000Z',
  order: makeOrder({ id, lines: [{ id: `${id}-l1`, sku, quantity: 2, unitPrice: 1000 }] }),
});

describe("locations whose stock nobody reports (stock: 'untracked')", () => {
  it('refuses a configuration that could never route, naming the location', async () => {
    const { adapter } = noStockApi('ss', ['TEE-M']);
    let error: unknown;
    try {
      createEngine({
        storage: createMemoryStorage(),
        warehouses: { ss: adapter },
        locations: [{ id: 'reno', warehouse: 'ss' }],
      });
    } catch (err) {
      error = err;
    }
    await expectCode(Promise.reject(error), 'CONFIG_INVALID');
    expect(String(error)).toContain('locations[0].stock');
    expect(String(error)).toContain("stock: 'untracked'");
  });

  it('routes to an untracked location, and re-routes a rejection to the next one', async () => {
    const reno = noStockApi('reno-wh', ['MUG']);
    const austin = noStockApi('austin-wh', ['TEE-M']);
    const engine = createEngine({
      storage: createMemoryStorage(),
      warehouses: { 'reno-wh': reno.adapter, 'austin-wh': austin.adapter },
      locations: [
        { id: 'reno', warehouse: 'reno-wh', stock: 'untracked', priority: 1 },
        { id: 'austin', warehouse: 'austin-wh', stock: 'untracked', priority: 2 },
      ],
    });
    await engine.ingest(received('o1'));
    const record = await engine.get('o1');
    expect(reno.submitted).toHaveLength(1);
    expect(austin.submitted).toHaveLength(1);
    expect(record?.status).toBe('submitted');
    expect(record?.shipments.map((s) => [s.locationId, s.status])).toEqual([
      ['reno', 'rejected'],
      ['austin', 'accepted'],
    ]);
  });
});
