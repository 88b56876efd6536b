import { z } from 'zod';
import { ErrorCodes, FulfilError } from '../../errors';
import type { RiskAssessment, RiskLevel } from '../../model/facts';
import type { Order } from '../../model/order';
import { parseOptions } from '../../options';
import type { RiskScorer } from '../../ports/services';
import { DISPOSABLE_DOMAINS } from '../../risk/lists';

/** The signals the baseline risk scorer reads. */
export type BaselineRiskSignal =
  | 'store_risk'
  | 'store_recommendation'
  | 'high_total'
  | 'country_mismatch'
  | 'first_order_rush'
  | 'disposable_email';

const SIGNALS: readonly BaselineRiskSignal[] = [
  'store_risk',
  'store_recommendation',
  'high_total',
  'country_mismatch',
  'first_order_rush',
  'disposable_email',
];

/** Points per signal. Store risk `medium` and recommendation `investigate` count half. */
export const BASELINE_RISK_WEIGHTS: Readonly<Record<BaselineRiskSignal, number>> = {
  store_risk: 40,
  store_recommendation: 30,
  high_total: 25,
  country_mismatch: 20,
  first_order_rush: 25,
  disposable_email: 20,
};

/** Options for {@link createBaselineRiskScorer}. */
export interface BaselineRiskScorerOptions {
  /** Reported as `scorer` in each assessment. Default `baseline`. */
  name?: string;
  /**
   * A normal order total in minor units, or one per currency (`{ USD: 8000, JPY: 9000 }`).
   * Without it (or for an unlisted currency) `high_total` and `first_order_rush` never fire.
   */
  typicalOrderTotal?: number | Record<string, number>;
  /** `high_total` fires above this many times the typical total. Default 5. */
  highTotalFactor?: number;
  /** `first_order_rush` fires for a first, expedited order above this many times the typical total. Default 2. */
  rushTotalFactor?: number;
  /** Points per signal, overriding {@link BASELINE_RISK_WEIGHTS}; 0 turns a signal off. */
  weights?: Partial<Record<BaselineRiskSignal, number>>;
  /** Scores at which the level becomes `medium` and `high`. Default `{ medium: 40, high: 70 }`. */
  thresholds?: { medium?: number; high?: number };
  /** Email domains treated as disposable. Default `DISPOSABLE_DOMAINS` (the list `RuleBasedRiskScorer` uses). */
  disposableDomains?: readonly string[];
}

const Total = z.number().finite().nonnegative();
const Options = z.object({
  name: z.string().min(1).optional(),
  typicalOrderTotal: z.union([Total, z.record(z.string(), Total)]).optional(),
  highTotalFactor: z.number().optional(),
  rushTotalFactor: z.number().optional(),
  weights: z
    .object(Object.fromEntries(SIGNALS.map((s) => [s, z.number().optional()])))
    .strict()
    .optional(),
  thresholds: z
    .object({ medium: z.number().optional(), high: z.number().optional() })
    .strict()
    .optional(),
  disposableDomains: z.array(z.string()).optional(),
});

/**
 * Creates the baseline {@link RiskScorer}: six weighted signals, each with a readable
 * reason, summed and capped at 100. It is the yardstick of the bench and evaluations
 * and a small, predictable scorer for tests; in an application use `createRiskScorer()`
 * (`RuleBasedRiskScorer`: address mismatch, freight forwarders, velocity, ...).
 *
 * @example
 * ```ts
 * const risk = createBaselineRiskScorer({ typicalOrderTotal: { USD: 8_000 } });
 * const assessment = await risk.assess(order, { now: Date.now() });
 * // { score: 45, level: 'medium', reasons: [{ signal: 'high_total', weight: 25, reason: '...' }, ...] }
 * ```
 */
export function createBaselineRiskScorer(options: BaselineRiskScorerOptions = {}): RiskScorer {
  parseOptions(Options, options, 'createBaselineRiskScorer', { optional: true });
  const name = options.name ?? 'baseline';
  const weights = { ...BASELINE_RISK_WEIGHTS, ...options.weights };
  const medium = options.thresholds?.medium ?? 40;
  const high = options.thresholds?.high ?? 70;
  const highFactor = options.highTotalFactor ?? 5;
  const rushFactor = options.rushTotalFactor ?? 2;
  const disposable = new Set(
    (options.disposableDomains ?? DISPOSABLE_DOMAINS).map((d) => d.toLowerCase()),
  );
  checkOptions(weights, medium, high, highFactor, rushFactor);

  return {
    name,
    async assess(order) {
      const reasons: RiskAssessment['reasons'] = [];
      const add = (signal: BaselineRiskSignal, share: number, reason: string) => {
        const weight = Math.round(weights[signal] * share);
        if (weight !== 0) reasons.push({ signal, weight, reason });
      };
      const storeRisk = order.storeRisk;
      if (storeRisk?.level === 'high' || storeRisk?.level === 'medium') {
        add(
          'store_risk',
          storeRisk.level === 'high' ? 1 : 0.5,
          `the store rates this order ${storeRisk.level} risk`,
        );
      }
      if (storeRisk?.recommendation === 'cancel' || storeRisk?.recommendation === 'investigate') {
        const share = storeRisk.recommendation === 'cancel' ? 1 : 0.5;
        add('store_recommendation', share, `the store recommends: ${storeRisk.recommendation}`);
      }
      const typical = typicalFor(options.typicalOrderTotal, order.currency);
      const total = order.totals.total;
      if (typical !== undefined && typical > 0 && total > typical * highFactor) {
        const times = (total / typical).toFixed(1);
        add(
          'high_total',
          1,
          `total ${money(total, order.currency)} is ${times}× the typical ${money(typical, order.currency)}`,
        );
      }
      const ship = order.shippingAddress?.country;
      const bill = order.billingAddress?.country;
      if (ship !== undefined && bill !== undefined && ship !== bill) {
        add('country_mismatch', 1, `billing country ${bill} differs from shipping country ${ship}`);
      }
      const first = order.customer?.ordersCount !== undefined && order.customer.ordersCount <= 1;
      if (
        first &&
        order.shipping.expedited &&
        typical !== undefined &&
        total > typical * rushFactor
      ) {
        add(
          'first_order_rush',
          1,
          `first order, expedited shipping, total ${money(total, order.currency)}`,
        );
      }
      const domain = emailDomain(order);
      if (domain !== undefined && disposable.has(domain)) {
        add('disposable_email', 1, `email uses the disposable domain ${domain}`);
      }
      const score = Math.min(
        100,
        Math.max(
          0,
          reasons.reduce((sum, r) => sum + r.weight, 0),
        ),
      );
      const level: RiskLevel = score >= high ? 'high' : score >= medium ? 'medium' : 'low';
      return { score, level, reasons, scorer: name };
    },
  };
}

function checkOptions(
  weights: Record<BaselineRiskSignal, number>,
  medium: number,
  high: number,
  highFactor: number,
  rushFactor: number,
): void {
  const problems: string[] = [];
  for (const [signal, weight] of Object.entries(weights)) {
    if (!Number.isFinite(weight) || weight < 0)
      problems.push(`weights.${signal}: must be a number >= 0`);
  }
  if (!(medium >= 0 && medium <= high && high <= 100)) {
    problems.push(`thresholds: need 0 <= medium (${medium}) <= high (${high}) <= 100`);
  }
  if (!(highFactor > 0) || !(rushFactor > 0))
    problems.push('highTotalFactor, rushTotalFactor: must be > 0');
  if (problems.length > 0) {
    throw new FulfilError(
      ErrorCodes.CONFIG_INVALID,
      `createBaselineRiskScorer options: ${problems.join('; ')}`,
      {
        details: {
          issues: problems.map((message) => ({ path: message.split(':')[0] ?? '', message })),
        },
      },
    );
  }
}

function typicalFor(
  typical: BaselineRiskScorerOptions['typicalOrderTotal'],
  currency: string,
): number | undefined {
  if (typical === undefined || typeof typical === 'number') return typical;
  return Object.hasOwn(typical, currency) ? typical[currency] : undefined;
}

function emailDomain(order: Order): string | undefined {
  const email = order.customer?.email;
  const at = email?.lastIndexOf('@') ?? -1;
  return email === undefined || at === -1
    ? undefined
    : email
        .slice(at + 1)
        .trim()
        .toLowerCase();
}

/** Minor units as money, e.g. `$1,234.00` (the currency's own number of decimals). */
function money(minor: number, currency: string): string {
  try {
    const format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
    return format.format(minor / 10 ** digits);
  } catch {
    return `${minor} ${currency} minor units`;
  }
}
