import { z } from 'zod';
import type { RiskAssessment, RiskLevel } from '../model/facts';
import type { Order } from '../model/order';
import type { Address } from '../model/primitives';
import { parseOptions, portOption } from '../options';
import type { RiskScorer } from '../ports/services';
import { DISPOSABLE_DOMAINS, FREIGHT_FORWARDER_NAMES } from './lists';
import { type VelocityKey, type VelocitySource, velocityValues } from './velocity';

/** The signals of {@link RuleBasedRiskScorer}. */
export type RiskSignalName =
  | 'address_mismatch'
  | 'freight_forwarder'
  | 'high_value'
  | 'first_order_rush'
  | 'velocity'
  | 'disposable_email'
  | 'store_risk';

/** Points per signal (the full weight; some signals give part of it, as their reason says). */
export const RISK_WEIGHTS: Readonly<Record<RiskSignalName, number>> = {
  address_mismatch: 25,
  freight_forwarder: 30,
  high_value: 25,
  first_order_rush: 25,
  velocity: 20,
  disposable_email: 20,
  store_risk: 40,
};

/** The scorer's data options (everything but `velocity`), as `defineConfig({ risk })` validates them. */
export const RuleBasedRiskScorerSettings = z
  .object({
    name: z.string().min(1).default('rule-based'),
    weights: z
      .object(
        Object.fromEntries(
          Object.keys(RISK_WEIGHTS).map((signal) => [
            signal,
            z.number().min(0).max(100).optional(),
          ]),
        ),
      )
      .strict()
      .default({}),
    thresholds: z
      .object({
        medium: z.number().min(0).max(100).default(30),
        high: z.number().min(0).max(100).default(60),
      })
      .default({ medium: 30, high: 60 })
      .refine((t) => t.medium <= t.high, { message: 'medium must be <= high' }),
    typicalOrderTotal: z
      .union([z.number().positive(), z.record(z.string(), z.number().positive())])
      .optional(),
    highValueFactor: z.number().positive().default(5),
    rushValueFactor: z.number().positive().default(2),
    velocityWindowHours: z.number().positive().default(24),
    velocityLimit: z.number().int().positive().default(3),
    velocityKeys: z
      .array(z.enum(['email', 'ip', 'address', 'phone']))
      .default(['email', 'ip', 'address', 'phone']),
    recordOrders: z.boolean().default(false),
    disposableDomains: z.array(z.string()).optional(),
    forwarders: z
      .object({
        names: z.array(z.string()).optional(),
        /** Known forwarder addresses: postal code + country, optionally a line fragment. */
        addresses: z
          .array(
            z.object({
              country: z.string().length(2),
              postalCode: z.string(),
              line: z.string().optional(),
            }),
          )
          .default([]),
      })
      .default({ addresses: [] }),
  })
  .strict();

/** Options of {@link RuleBasedRiskScorer}. */
export interface RuleBasedRiskScorerOptions {
  /** Reported as `scorer`. Default `rule-based`. */
  name?: string;
  /** Points per signal, overriding {@link RISK_WEIGHTS}; 0 turns a signal off. */
  weights?: Partial<Record<RiskSignalName, number>>;
  /** Scores at which the level becomes `medium` and `high`. Default 30 and 60. */
  thresholds?: { medium?: number; high?: number };
  /** The store's typical order total in minor units, or one per currency. Without it the value signals are off. */
  typicalOrderTotal?: number | Record<string, number>;
  /** `high_value` fires above this many times the typical total. Default 5. */
  highValueFactor?: number;
  /** `first_order_rush` needs a total above this many times the typical total. Default 2. */
  rushValueFactor?: number;
  /** Where velocity counts come from. Without it the velocity signal is off. */
  velocity?: VelocitySource;
  /** Velocity window. Default 24 h. */
  velocityWindowHours?: number;
  /** `velocity` fires when this many other orders share a key in the window. Default 3. */
  velocityLimit?: number;
  /** Keys counted. Default all four. */
  velocityKeys?: VelocityKey[];
  /** Call `velocity.record(order)` after each assessment (for the memory source). Default false. */
  recordOrders?: boolean;
  /** Disposable email domains. Default {@link DISPOSABLE_DOMAINS}. */
  disposableDomains?: string[];
  /** Forwarder names (default {@link FREIGHT_FORWARDER_NAMES}) and known forwarder addresses. */
  forwarders?: {
    names?: string[];
    addresses?: { country: string; postalCode: string; line?: string }[];
  };
}

/**
 * A rule-based fraud scorer: weighted signals, each with a readable reason —
 * billing/shipping mismatch, freight-forwarder address, value far above the
 * typical order, first order + expedited + high value, velocity per email /
 * IP / address / phone, disposable email, and the store's own assessment.
 * The score is the sum, capped at 100; the level comes from the thresholds.
 *
 * Contract (the `RiskScorer` port): the score MUST be in 0..100 with a reason
 * per contributing signal; it MUST NOT modify the order. A failing velocity
 * source is skipped (its reason says so), never fatal.
 *
 * @example
 * ```ts
 * const risk = new RuleBasedRiskScorer({ typicalOrderTotal: { USD: 8_000 }, velocity: createMemoryVelocitySource(), recordOrders: true });
 * const a = await risk.assess(order, { now: Date.now() });
 * // { score: 55, level: 'medium', reasons: [{ signal: 'address_mismatch', weight: 25, reason: 'billing country FR differs from shipping country US' }, ...] }
 * ```
 */
export class RuleBasedRiskScorer implements RiskScorer {
  readonly name: string;
  readonly #o: z.infer<typeof RuleBasedRiskScorerSettings>;
  readonly #weights: Record<RiskSignalName, number>;
  readonly #velocity: VelocitySource | undefined;
  readonly #disposable: Set<string>;
  readonly #forwarderNames: string[];

  /** @throws FulfilError `CONFIG_INVALID` naming the bad option. */
  constructor(options: RuleBasedRiskScorerOptions = {}) {
    const { velocity, ...data } = parseOptions(
      RuleBasedRiskScorerSettings.extend({
        velocity: portOption<VelocitySource>(
          'VelocitySource',
          ['countRecentOrders'],
          'createMemoryVelocitySource() or storageVelocitySource(storage)',
        ).optional(),
      }),
      options,
      'RuleBasedRiskScorer',
      { optional: true },
    );
    this.#o = data;
    this.name = this.#o.name;
    this.#weights = {
      ...RISK_WEIGHTS,
      ...(this.#o.weights as Partial<Record<RiskSignalName, number>>),
    };
    this.#velocity = velocity;
    this.#disposable = new Set(
      (this.#o.disposableDomains ?? DISPOSABLE_DOMAINS).map((d) => d.toLowerCase()),
    );
    this.#forwarderNames = (this.#o.forwarders.names ?? FREIGHT_FORWARDER_NAMES).map(norm);
  }

  /** Scores one order. */
  async assess(order: Order, context: { now: number }): Promise<RiskAssessment> {
    const reasons: RiskAssessment['reasons'] = [];
    const add = (signal: RiskSignalName, share: number, reason: string) => {
      const weight = Math.round(this.#weights[signal] * share);
      if (weight > 0) reasons.push({ signal, weight, reason });
    };
    this.#addresses(order, add);
    this.#value(order, add);
    const domain = order.customer?.email?.split('@').pop()?.trim().toLowerCase();
    if (domain && this.#disposable.has(domain))
      add('disposable_email', 1, `email uses the disposable domain ${domain}`);
    const s = order.storeRisk;
    if (
      s?.level === 'high' ||
      s?.level === 'medium' ||
      s?.recommendation === 'cancel' ||
      s?.recommendation === 'investigate'
    ) {
      const share = Math.min(
        1,
        (s.level === 'high' ? 1 : s.level === 'medium' ? 0.5 : 0) +
          (s.recommendation === 'cancel' ? 0.5 : s.recommendation === 'investigate' ? 0.25 : 0),
      );
      add(
        'store_risk',
        share,
        `the store rates it ${s.level} risk${s.recommendation ? ` and recommends: ${s.recommendation}` : ''}`,
      );
    }
    await this.#velocitySignal(order, context.now, add);
    if (this.#o.recordOrders)
      await Promise.resolve(this.#velocity?.record?.(order)).catch(() => undefined);
    const score = Math.min(
      100,
      reasons.reduce((sum, r) => sum + r.weight, 0),
    );
    const { medium, high } = this.#o.thresholds;
    const level: RiskLevel = score >= high ? 'high' : score >= medium ? 'medium' : 'low';
    return { score, level, reasons, scorer: this.name };
  }

  #addresses(order: Order, add: (s: RiskSignalName, share: number, reason: string) => void): void {
    const ship = order.shippingAddress;
    const bill = order.billingAddress;
    if (ship && bill) {
      if (ship.country !== bill.country)
        add(
          'address_mismatch',
          1,
          `billing country ${bill.country} differs from shipping country ${ship.country}`,
        );
      else if (
        ship.postalCode &&
        bill.postalCode &&
        norm(ship.postalCode) !== norm(bill.postalCode)
      ) {
        add(
          'address_mismatch',
          0.4,
          `billing postal code ${bill.postalCode} differs from shipping postal code ${ship.postalCode}`,
        );
      }
    }
    if (ship) {
      const hit = this.#forwarder(ship);
      if (hit)
        add('freight_forwarder', 1, `shipping address looks like a parcel forwarder (${hit})`);
    }
  }

  #forwarder(a: Address): string | undefined {
    const text = norm([a.company, a.line1, a.line2, a.name].filter(Boolean).join(' '));
    const name = this.#forwarderNames.find((n) => n !== '' && ` ${text} `.includes(` ${n} `));
    if (name) return name;
    const known = this.#o.forwarders.addresses.find(
      (k) =>
        k.country.toUpperCase() === a.country &&
        norm(k.postalCode) === norm(a.postalCode ?? '') &&
        (k.line === undefined || text.includes(norm(k.line))),
    );
    return known ? `known address ${known.postalCode} ${known.country}` : undefined;
  }

  #value(order: Order, add: (s: RiskSignalName, share: number, reason: string) => void): void {
    const t = this.#o.typicalOrderTotal;
    const typical = typeof t === 'number' ? t : t?.[order.currency];
    if (typical === undefined) return;
    const total = order.totals.total;
    const times = total / typical;
    if (times > this.#o.highValueFactor) {
      add(
        'high_value',
        1,
        `total ${money(total, order.currency)} is ${times.toFixed(1)}× the typical ${money(typical, order.currency)}`,
      );
    }
    const first = order.customer?.ordersCount !== undefined && order.customer.ordersCount <= 1;
    if (first && order.shipping.expedited && times > this.#o.rushValueFactor) {
      add(
        'first_order_rush',
        1,
        `first order, expedited shipping, total ${times.toFixed(1)}× the typical order`,
      );
    }
  }

  async #velocitySignal(
    order: Order,
    now: number,
    add: (s: RiskSignalName, share: number, reason: string) => void,
  ): Promise<void> {
    const source = this.#velocity;
    if (!source) return;
    const values = velocityValues(order);
    const hours = this.#o.velocityWindowHours;
    let hits = 0;
    for (const key of this.#o.velocityKeys) {
      const value = values[key];
      if (value === undefined) continue;
      let count: number;
      try {
        count = await source.countRecentOrders({
          key,
          value,
          since: now - hours * 3_600_000,
          until: now,
          excludeOrderId: order.id,
        });
      } catch {
        continue;
      }
      if (count >= this.#o.velocityLimit) {
        add(
          'velocity',
          hits === 0 ? 1 : 0.5,
          `${count} other orders with the same ${key} in ${hours} h`,
        );
        hits++;
      }
    }
  }
}

function norm(s: string): string {
  const lower = s.toLowerCase();
  // Printable ASCII has nothing NFKD decomposes and no combining marks: skip both passes.
  const ascii = /^[ -~]*$/.test(lower) ? lower : lower.normalize('NFKD').replace(/\p{M}+/gu, '');
  return ascii.replace(/[^a-z0-9]+/g, ' ').trim();
}

/** Currency formatters by code (`null`: not a currency `Intl` knows); built once each. */
const formats = new Map<string, { format: Intl.NumberFormat; digits: number } | null>();

function money(minor: number, currency: string): string {
  let f = formats.get(currency);
  if (f === undefined) {
    try {
      const format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
      f = { format, digits: format.resolvedOptions().maximumFractionDigits ?? 2 };
    } catch {
      f = null;
    }
    // A handful of currencies in practice; bounded all the same.
    if (formats.size < 1000) formats.set(currency, f);
  }
  return f === null ? `${minor} ${currency} minor units` : f.format.format(minor / 10 ** f.digits);
}

/**
 * Creates the risk scorer to reach for: a {@link RuleBasedRiskScorer}. Options are
 * validated (`CONFIG_INVALID` naming the path, "did you mean ...?" for a misspelt one).
 *
 * @example
 * ```ts
 * const engine = createEngine({ ...ports, risk: createRiskScorer({ typicalOrderTotal: { USD: 8_000 } }) });
 * ```
 */
export function createRiskScorer(options: RuleBasedRiskScorerOptions = {}): RuleBasedRiskScorer {
  return new RuleBasedRiskScorer(options);
}
