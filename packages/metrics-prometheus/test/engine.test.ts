import {
  createEngine,
  createMemoryAlerts,
  createMemoryInventory,
  createMemoryStorage,
  createMemoryStore,
  createSimulatedClock,
  createSimulatedWarehouse,
  type OrderEventInput,
} from '@fulfil/core';
import { makeOrder } from '@fulfil/core/testing';
import { expect, it } from 'vitest';
import { createPrometheusMetrics } from '../src/index';
import { parseExposition, seriesValue } from '../src/testing/index';

const HOUR = 3_600_000;

it('the engine run through orders: the exposition parses and every series matches engine.metrics()', async () => {
  const metrics = createPrometheusMetrics();
  const clock = createSimulatedClock('2026-11-27T09:00:00Z');
  const stock = { main: { 'TEE-M': 3 } };
  const engine = createEngine({
    storage: createMemoryStorage(),
    store: createMemoryStore(),
    alerts: createMemoryAlerts(),
    inventory: createMemoryInventory({ stock }),
    warehouses: {
      main: createSimulatedWarehouse({
        name: 'main',
        clock,
        locations: ['main'],
        stock,
        shipAfterMs: 2 * HOUR,
        deliverAfterMs: 48 * HOUR,
      }),
    },
    locations: [{ id: 'main', warehouse: 'main' }],
    clock,
    metrics,
  });
  let seq = 0;
  const at = () => new Date(clock.now()).toISOString();
  const received = (order: ReturnType<typeof makeOrder>): OrderEventInput => ({
    type: 'order.received',
    idempotencyKey: `recv-${order.id}-${++seq}`,
    occurredAt: at(),
    order,
  });
  const orders = [makeOrder(), makeOrder(), makeOrder({ paymentStatus: 'pending' })];
  for (const o of orders) await engine.ingest(received(o));
  const dup = received(orders[0]!);
  await engine.ingest(dup);
  await engine.ingest(dup); // duplicate
  await engine.ingest({
    type: 'order.paid',
    orderId: orders[2]!.id,
    idempotencyKey: `paid-${orders[2]!.id}`,
    occurredAt: at(),
  } as OrderEventInput);
  clock.advance(3 * HOUR);
  await engine.runDue();
  await engine.pollWarehouses();

  const text = await metrics.metrics();
  const families = parseExposition(text);
  const snap = engine.metrics();
  expect(snap.counters.length).toBeGreaterThan(5);
  expect(snap.histograms.length).toBeGreaterThan(3);
  for (const c of snap.counters) {
    expect(seriesValue(families, `fulfil_${c.name}_total`, c.labels), c.key).toBe(c.value);
  }
  for (const h of snap.histograms) {
    expect(seriesValue(families, `fulfil_${h.name}_count`, h.labels), h.key).toBe(h.count);
    expect(seriesValue(families, `fulfil_${h.name}_sum`, h.labels), h.key).toBeCloseTo(h.sum, 6);
  }
  expect(seriesValue(families, 'fulfil_orders_received_total')).toBe(3);
  expect(seriesValue(families, 'fulfil_duplicates_total', { event: 'order.received' })).toBe(1);
  expect(families.get('fulfil_command_ms')?.type).toBe('histogram');
  expect(families.get('fulfil_command_ms')?.help).toBe('Time to carry out one command (ms).');
  expect(metrics.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  // No order id reaches the exposition.
  for (const o of orders) expect(text).not.toContain(o.id);
});
