import { expect, it } from 'vitest';
import { tour } from '../src/tour';

it('the README tour runs as written: a VIP order with a backordered mug is split and the warehouse told', async () => {
  const { result, history, alerts } = await tour();
  expect(result.status).toBe('submitted');
  expect(result.explanation?.routing?.backordered).toEqual([
    { lineId: 'l1', sku: 'MUG-1', quantity: 1 },
  ]);
  expect(alerts.map((a) => a.message)).toEqual(['VIP order with a backordered item: split']);
  expect(history.map((h) => h.version)).toEqual([1, 2]);
});
