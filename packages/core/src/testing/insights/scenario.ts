import type { Storage } from '../../ports/storage';
import { t } from './context';
import { type OrderJourney, seedJourney } from './seed';

// The shop scenario most cases read. Times are seconds after T0 (2026-11-27T09:00:00Z).
//
//   A  received 10, ready 20, submitted 70 (1 shipment), shipped 300, delivered 360
//   B  received 30, needs_review 40, ready 180 (review.resolved), submitted 210 (2 shipments:
//      a split), shipped 420
//   C  received 65, on_hold 66 (two holds) ... still on hold
//   D  received 120, submitted 150 (1 shipment, 1 line backordered), needs_review 240
//      (command.failed) ... still in review (one hold)
//   E  received 3600, submitted 3645, submitted 3660 (again), shipped 5400
//   F  received 86700 (the next day), ready 86710
//
// Notes: A, B and E have a note classified (A and E by `claude`, B by `keyword`); D's note is
// empty; C has none.

const twoLines = [
  { id: 'line-1', sku: 'TEE-M', title: 'T-shirt (M)', quantity: 1, unitPrice: 2500 },
  { id: 'line-2', sku: 'MUG', title: 'Mug', quantity: 2, unitPrice: 1200 },
];

const claudeNote = (tag: string) => ({
  tags: [{ tag, confidence: 0.9 }],
  uncertain: false,
  classifier: 'claude',
});

export const SHOP: readonly OrderJourney[] = [
  {
    orderId: 'ord-A',
    order: { note: 'Leave at the back door' },
    facts: { note: claudeNote('delivery_instructions') },
    steps: [
      { at: t(10), to: 'received' },
      { at: t(20), to: 'ready' },
      { at: t(70), to: 'submitted', routing: { locations: ['east'] } },
      { at: t(300), to: 'shipped', eventType: 'warehouse.shipped' },
      { at: t(360), to: 'delivered', eventType: 'warehouse.delivered' },
    ],
  },
  {
    orderId: 'ord-B',
    order: { note: 'gift wrap please', lines: twoLines },
    facts: {
      note: { tags: [{ tag: 'gift', confidence: 0.8 }], uncertain: true, classifier: 'keyword' },
      risk: {
        score: 72,
        level: 'high',
        reasons: [{ signal: 'ip_distance', weight: 40, reason: 'IP far from the address' }],
        scorer: 'rule-based',
      },
    },
    steps: [
      { at: t(30), to: 'received' },
      { at: t(40), to: 'needs_review', review: ['risk: high', 'note: uncertain'] },
      {
        at: t(180),
        to: 'ready',
        eventType: 'review.resolved',
        review: null,
        notes: ['approved by ops@example.com'],
      },
      { at: t(210), to: 'submitted', routing: { locations: ['east', 'west'] } },
      { at: t(420), to: 'shipped', eventType: 'warehouse.shipped' },
    ],
  },
  {
    orderId: 'ord-C',
    steps: [
      { at: t(65), to: 'received' },
      { at: t(66), to: 'on_hold', holds: ['awaiting stock', 'ship after 2026-12-01'] },
    ],
  },
  {
    orderId: 'ord-D',
    order: { note: '', lines: twoLines },
    steps: [
      { at: t(120), to: 'received' },
      { at: t(150), to: 'submitted', routing: { locations: ['east'], backordered: 1 } },
      {
        at: t(240),
        to: 'needs_review',
        eventType: 'command.failed',
        review: ['warehouse.submit failed'],
        holds: ['awaiting stock'],
      },
    ],
  },
  {
    orderId: 'ord-E',
    order: { note: 'call before delivery' },
    facts: { note: claudeNote('delivery_instructions') },
    steps: [
      { at: t(3600), to: 'received' },
      { at: t(3645), to: 'submitted', routing: { locations: ['west'] } },
      { at: t(3660), to: 'submitted', eventType: 'warehouse.accepted' },
      { at: t(5400), to: 'shipped', eventType: 'warehouse.shipped' },
    ],
  },
  {
    orderId: 'ord-F',
    steps: [
      { at: t(86_700), to: 'received' },
      { at: t(86_710), to: 'ready' },
    ],
  },
];

/** Commits the shop scenario, one order after another. */
export async function seedShop(storage: Storage): Promise<void> {
  for (const journey of SHOP) await seedJourney(storage, journey);
}
