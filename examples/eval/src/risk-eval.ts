import type { Order, OrderInput } from '@fulfil/core';
import { Order as OrderSchema } from '@fulfil/core';
import { createMemoryVelocitySource, RuleBasedRiskScorer } from './core-extras';

/** Precision and recall of "score ≥ threshold" as a fraud flag. */
export interface RiskFigure {
  threshold: number;
  flagged: number;
  precision: number;
  recall: number;
}

const T0 = Date.parse('2026-11-01T00:00:00.000Z');
const US = [
  ['1 Main St', 'Springfield', 'IL', '62701'],
  ['22 Oak Ave', 'Portland', 'OR', '97201'],
  ['5 Elm St', 'Austin', 'TX', '73301'],
  ['9 Pine Rd', 'Boston', 'MA', '02118'],
] as const;

let seed = 7;
function rand(): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;

type Pattern = 'mismatch' | 'forwarder' | 'high' | 'rush' | 'velocity' | 'disposable' | 'store';
const PATTERNS: Pattern[] = [
  'mismatch',
  'forwarder',
  'high',
  'rush',
  'velocity',
  'disposable',
  'store',
];

/**
 * A synthetic, labelled order stream: `n` orders over a month, `fraudShare` of
 * them fraud with 1–3 injected patterns (a velocity pattern adds a burst of
 * orders from one email and IP); legitimate orders carry innocent noise
 * (gifts abroad, expedited first orders, big baskets, store "medium").
 */
export function syntheticOrders(n = 2000, fraudShare = 0.08): { order: Order; fraud: boolean }[] {
  seed = 7;
  const out: { order: Order; fraud: boolean }[] = [];
  for (let i = 0; out.length < n; i++) {
    const at = T0 + Math.floor((i / n) * 30 * 86_400_000);
    const fraud = rand() < fraudShare;
    const patterns = new Set<Pattern>();
    if (fraud) for (let k = 1 + Math.floor(rand() * 3); k > 0; k--) patterns.add(pick(PATTERNS));
    const [line1, city, province, postalCode] = pick(US);
    const ship = {
      line1: `${i + 1} ${line1.replace(/^\d+ /, '')}`,
      city,
      province,
      postalCode,
      country: 'US',
    };
    const noise = (p: number) => !fraud && rand() < p;
    const bill =
      patterns.has('mismatch') || noise(0.04)
        ? { ...ship, country: pick(['FR', 'BR', 'NG', 'SG']), postalCode: '00000' }
        : noise(0.08)
          ? { ...ship, postalCode: '10001' }
          : ship;
    const shipping = patterns.has('forwarder')
      ? { ...ship, company: pick(['MyUS', 'Shipito', 'Stackry']), line2: `Suite ${i}` }
      : ship;
    const high = patterns.has('high') || noise(0.02);
    const rush = patterns.has('rush') || noise(0.03);
    const total = high
      ? 30_000 + Math.floor(rand() * 60_000)
      : rush
        ? 12_000 + Math.floor(rand() * 5000)
        : 2000 + Math.floor(rand() * 8000);
    const email =
      patterns.has('disposable') || noise(0.005)
        ? `u${i}@${pick(['mailinator.com', 'yopmail.com', 'guerrillamail.com'])}`
        : `customer${i}@example.com`;
    const burst = patterns.has('velocity') ? 4 : 1;
    for (let b = 0; b < burst && out.length < n; b++) {
      const input: OrderInput = {
        id: `o-${i}-${b}`,
        source: { channel: 'synthetic', store: 'eval', externalId: `e-${i}-${b}` },
        customer: {
          email: burst > 1 ? `burst${i}@example.com` : email,
          tags: [],
          ordersCount: rush || rand() < 0.3 ? 1 : 2 + Math.floor(rand() * 8),
        },
        shippingAddress: shipping,
        billingAddress: bill,
        lines: [{ id: 'l1', sku: 'SKU-1', quantity: 1, unitPrice: total }],
        paymentStatus: 'paid',
        shipping: { expedited: rush || rand() < 0.1 },
        currency: 'USD',
        totals: { subtotal: total, total },
        storeRisk: patterns.has('store')
          ? { level: 'high', recommendation: 'cancel' }
          : noise(0.03)
            ? { level: 'medium' }
            : { level: 'low' },
        clientIp: burst > 1 ? `192.0.2.${i % 250}` : `198.51.100.${Math.floor(rand() * 250)}`,
        createdAt: new Date(at + b * 600_000).toISOString(),
        updatedAt: new Date(at + b * 600_000).toISOString(),
      };
      out.push({ order: OrderSchema.parse(input), fraud });
    }
  }
  return out;
}

/** Scores the synthetic stream in time order; precision and recall at each threshold. */
export async function evaluateRisk(thresholds = [10, 20, 30, 40, 50, 60, 70, 80, 90]) {
  const data = syntheticOrders();
  const scorer = new RuleBasedRiskScorer({
    typicalOrderTotal: { USD: 6000 },
    velocity: createMemoryVelocitySource(),
    recordOrders: true,
  });
  const scored: { score: number; fraud: boolean }[] = [];
  for (const { order, fraud } of data) {
    const a = await scorer.assess(order, { now: Date.parse(order.createdAt) });
    scored.push({ score: a.score, fraud });
  }
  const frauds = scored.filter((s) => s.fraud).length;
  const figures: RiskFigure[] = thresholds.map((threshold) => {
    const flagged = scored.filter((s) => s.score >= threshold);
    const tp = flagged.filter((s) => s.fraud).length;
    return {
      threshold,
      flagged: flagged.length,
      precision: flagged.length === 0 ? 1 : tp / flagged.length,
      recall: frauds === 0 ? 1 : tp / frauds,
    };
  });
  return { orders: scored.length, frauds, figures };
}
