/**
 * The fact catalogue: every name a rule condition may test, its type, and how
 * it is read from a {@link RuleContext}.
 *
 * - Money facts are integer minor units (cents), like the model.
 * - A value that is not known is `undefined` (no customer, no risk assessment,
 *   no inventory yet...). Every operator but `exists` and `neq` is false on it.
 * - Inventory facts exist only where decide computed stock (`before_routing`,
 *   `hold_expired`, `warehouse_rejected`); elsewhere they are `undefined`.
 * - Plan facts (`routing.*`, `forecast.*`) exist only at `before_routing`: decide routes the
 *   order's outstanding units once before those rules run (and routes again only when a
 *   rule changes the routing policy). `forecast.*` needs the engine's `forecast` source.
 * - Time facts read `ctx.now` in `ctx.timeZone` (the store's zone).
 *
 * Add your own facts with `compileRules(rules, { facts: { 'my.fact': {...} } })`.
 *
 * @module
 */
import { OrderEvent } from '../model/events';
import { RiskLevel } from '../model/facts';
import { PaymentStatus } from '../model/order';
import {
  hasKit,
  hasShipAfter,
  maxQuantity,
  noteTags,
  planCoverDays,
  planMinCoverDays,
  quantities,
  shipAfter,
  skus,
  sumQuantities,
} from './fact-getters';
import type { Stage } from './schema';
import { localDate, localHour, localWeekday, WEEKDAYS } from './time';
import type { RuleContext } from './types';

/** The type of a fact's value. List facts hold when any element passes a test. */
export type FactType = 'number' | 'string' | 'boolean' | 'string[]' | 'number[]';

/** One entry of the fact catalogue. */
export interface FactDefinition {
  /** The type of the value `get` returns (when it is not `undefined`). */
  readonly type: FactType;
  /** What the fact means, for docs and error messages. */
  readonly description: string;
  /** The only values the fact takes (strings), so checks can catch `eq 'extreme'`. */
  readonly values?: readonly string[];
  /** Smallest possible value of a numeric fact, so checks can catch `lt 0`. */
  readonly min?: number;
  /** Largest possible value of a numeric fact, so checks can catch `gt 23` on an hour. */
  readonly max?: number;
  /** Stages where the fact is known; checks warn when a rule at another stage reads it. */
  readonly stages?: readonly Stage[];
  /** Reads the value. MUST be pure and cheap; MUST return `undefined` when unknown. */
  get(ctx: RuleContext): unknown;
}

const INVENTORY_STAGES = ['before_routing', 'hold_expired', 'warehouse_rejected'] as const;
const PLAN_STAGES = ['before_routing'] as const;
const EVENT_TYPES = OrderEvent.options.map((o) => o.shape.type.value);

/**
 * The built-in facts, by name. Use the names in conditions
 * (`{ fact: 'customer.tags', op: 'contains', value: 'VIP' }`).
 *
 * @example
 * ```ts
 * FACTS['order.itemCount'].get(ctx); // 3
 * Object.keys(FACTS); // every built-in fact name
 * ```
 */
export const FACTS = {
  'order.total': {
    type: 'number',
    min: 0,
    description: 'Order total in minor units.',
    get: (ctx) => ctx.order.totals.total,
  },
  'order.subtotal': {
    type: 'number',
    min: 0,
    description: 'Subtotal (lines before shipping, tax) in minor units.',
    get: (ctx) => ctx.order.totals.subtotal,
  },
  'order.discounts': {
    type: 'number',
    min: 0,
    description: 'Discounts in minor units.',
    get: (ctx) => ctx.order.totals.discounts,
  },
  'order.shippingTotal': {
    type: 'number',
    min: 0,
    description: 'Shipping charged, in minor units.',
    get: (ctx) => ctx.order.totals.shipping,
  },
  'order.currency': {
    type: 'string',
    description: 'ISO 4217 currency code.',
    get: (ctx) => ctx.order.currency,
  },
  'order.itemCount': {
    type: 'number',
    min: 0,
    description: 'Units ordered (sum of line quantities).',
    get: sumQuantities,
  },
  'order.lineCount': {
    type: 'number',
    min: 0,
    description: 'Number of lines.',
    get: (ctx) => ctx.order.lines.length,
  },
  'order.tags': { type: 'string[]', description: 'Store tags.', get: (ctx) => ctx.order.tags },
  'order.paymentStatus': {
    type: 'string',
    values: PaymentStatus.options,
    description: 'Payment status as the store reports it.',
    get: (ctx) => ctx.order.paymentStatus,
  },
  'order.channel': {
    type: 'string',
    description: 'Source channel (`shopify`, `manual`, ...).',
    get: (ctx) => ctx.order.source.channel,
  },
  'order.store': {
    type: 'string',
    description: 'The store, e.g. `acme.myshopify.com`.',
    get: (ctx) => ctx.order.source.store,
  },
  'order.hasNote': {
    type: 'boolean',
    description: 'The order has a non-blank note.',
    get: (ctx) => ctx.order.note !== null && ctx.order.note.trim() !== '',
  },
  'order.note': {
    type: 'string',
    description: 'The note text.',
    get: (ctx) => ctx.order.note ?? undefined,
  },
  'customer.tags': {
    type: 'string[]',
    description: 'Customer tags (undefined without a customer).',
    get: (ctx) => ctx.order.customer?.tags,
  },
  'customer.email': {
    type: 'string',
    description: 'Customer email.',
    get: (ctx) => ctx.order.customer?.email,
  },
  'customer.ordersCount': {
    type: 'number',
    min: 0,
    description: 'Orders placed by the customer, this one included, when known.',
    get: (ctx) => ctx.order.customer?.ordersCount,
  },
  'customer.isFirstOrder': {
    type: 'boolean',
    description: 'This is the customer’s first order (undefined when the count is unknown).',
    get: (ctx) => {
      const n = ctx.order.customer?.ordersCount;
      return n === undefined ? undefined : n <= 1;
    },
  },
  'lines.skus': { type: 'string[]', description: 'SKUs of the lines.', get: skus },
  'lines.quantities': {
    type: 'number[]',
    min: 1,
    description: 'Quantity of each line.',
    get: quantities,
  },
  'lines.hasKit': {
    type: 'boolean',
    description: 'Some line is a kit / bundle.',
    get: hasKit,
  },
  'lines.hasShipAfter': {
    type: 'boolean',
    description: 'Some line is a preorder (`shipAfter` set).',
    get: hasShipAfter,
  },
  'lines.maxQuantity': {
    type: 'number',
    min: 1,
    description: 'Largest quantity on one line.',
    get: maxQuantity,
  },
  'lines.hasBackordered': {
    type: 'boolean',
    stages: INVENTORY_STAGES,
    description: 'Some line cannot be filled now (false when no inventory was checked).',
    get: (ctx) => ctx.inventory?.hasBackorder ?? false,
  },
  'lines.shortSkus': {
    type: 'string[]',
    stages: INVENTORY_STAGES,
    description: 'SKUs whose demand exceeds all open stock.',
    get: (ctx) => ctx.inventory?.shortSkus,
  },
  'shipping.country': {
    type: 'string',
    description: 'Destination country (ISO 3166-1 alpha-2, upper case).',
    get: (ctx) => ctx.order.shippingAddress?.country,
  },
  'shipping.province': {
    type: 'string',
    description: 'Destination region / state code.',
    get: (ctx) => ctx.order.shippingAddress?.province,
  },
  'shipping.postalCode': {
    type: 'string',
    description: 'Destination postal code.',
    get: (ctx) => ctx.order.shippingAddress?.postalCode,
  },
  'shipping.method': {
    type: 'string',
    description: 'Shipping method chosen at checkout.',
    get: (ctx) => ctx.order.shipping.method,
  },
  'shipping.expedited': {
    type: 'boolean',
    description: 'Expedited shipping was chosen.',
    get: (ctx) => ctx.order.shipping.expedited,
  },
  'shipping.hasAddress': {
    type: 'boolean',
    description: 'The order has a shipping address.',
    get: (ctx) => ctx.order.shippingAddress !== undefined,
  },
  'note.tags': {
    type: 'string[]',
    description: 'Tags the note classifier found (undefined when not classified).',
    get: noteTags,
  },
  'note.uncertain': {
    type: 'boolean',
    description: 'The note classifier was unsure.',
    get: (ctx) => ctx.facts.note?.uncertain,
  },
  'note.shipAfter': {
    type: 'string',
    description: 'Date of the note’s `ship_after` tag (for `hold.untilFact`).',
    get: shipAfter,
  },
  'risk.level': {
    type: 'string',
    values: RiskLevel.options,
    description: 'Risk level from the RiskScorer (undefined when not assessed).',
    get: (ctx) => ctx.facts.risk?.level,
  },
  'risk.score': {
    type: 'number',
    min: 0,
    max: 100,
    description: 'Risk score 0-100 from the RiskScorer.',
    get: (ctx) => ctx.facts.risk?.score,
  },
  'store.riskLevel': {
    type: 'string',
    values: RiskLevel.options,
    description: 'Risk level the store itself reported.',
    get: (ctx) => ctx.order.storeRisk?.level,
  },
  'inventory.canFillFromOneLocation': {
    type: 'boolean',
    stages: INVENTORY_STAGES,
    description: 'One open location has every unit.',
    get: (ctx) => ctx.inventory?.canFillFromOneLocation,
  },
  'inventory.hasBackorder': {
    type: 'boolean',
    stages: INVENTORY_STAGES,
    description: 'Some line cannot be filled now.',
    get: (ctx) => ctx.inventory?.hasBackorder,
  },
  'inventory.shortLineIds': {
    type: 'string[]',
    stages: INVENTORY_STAGES,
    description: 'Ids of lines that cannot be filled now.',
    get: (ctx) => ctx.inventory?.shortLineIds,
  },
  'routing.shipmentCount': {
    type: 'number',
    min: 0,
    stages: PLAN_STAGES,
    description: 'Shipments in the plan routing would choose now (0 when nothing can ship).',
    get: (ctx) => ctx.facts.plan?.shipmentCount,
  },
  'routing.estimatedCost': {
    type: 'number',
    min: 0,
    stages: PLAN_STAGES,
    description:
      'Estimated cost of that plan in minor units (per-shipment plus distance or zone costs; optimal router only).',
    get: (ctx) => ctx.facts.plan?.estimatedCost,
  },
  'routing.locations': {
    type: 'string[]',
    stages: PLAN_STAGES,
    description: 'Location ids the plan ships from.',
    get: (ctx) => ctx.facts.plan?.locations,
  },
  'routing.isSplit': {
    type: 'boolean',
    stages: PLAN_STAGES,
    description: 'The plan ships from more than one location.',
    get: (ctx) => (ctx.facts.plan === undefined ? undefined : ctx.facts.plan.shipmentCount > 1),
  },
  'routing.backorderedUnits': {
    type: 'number',
    min: 0,
    stages: PLAN_STAGES,
    description: 'Units the plan leaves backordered (no location can take them now).',
    get: (ctx) => ctx.facts.plan?.backorderedUnits,
  },
  'forecast.daysOfCover': {
    type: 'number[]',
    min: 0,
    stages: PLAN_STAGES,
    description:
      'Per SKU the plan ships: days of cover at the location it ships from (from the forecast source).',
    get: planCoverDays,
  },
  'forecast.minDaysOfCover': {
    type: 'number',
    min: 0,
    stages: PLAN_STAGES,
    description: 'The lowest days of cover among the stock the plan takes.',
    get: planMinCoverDays,
  },
  'time.weekday': {
    type: 'string',
    values: WEEKDAYS,
    description: 'Weekday (`mon`...`sun`) in the store’s time zone.',
    get: (ctx) => localWeekday(ctx.timeZone, ctx.now),
  },
  'time.hour': {
    type: 'number',
    min: 0,
    max: 23,
    description: 'Hour of day (0-23) in the store’s time zone.',
    get: (ctx) => localHour(ctx.timeZone, ctx.now),
  },
  'time.date': {
    type: 'string',
    description: 'Date (`YYYY-MM-DD`) in the store’s time zone.',
    get: (ctx) => localDate(ctx.timeZone, ctx.now),
  },
  'record.status': {
    type: 'string',
    description: 'Current state (undefined for a new order).',
    get: (ctx) => ctx.record?.status,
  },
  'record.visited': {
    type: 'string[]',
    description: 'States the order has been in.',
    get: (ctx) => ctx.record?.visited,
  },
  'record.holdCount': {
    type: 'number',
    min: 0,
    description: 'Holds currently on the order (0 for a new order).',
    get: (ctx) => ctx.record?.holds.length ?? 0,
  },
  'event.type': {
    type: 'string',
    values: EVENT_TYPES,
    description: 'Type of the event being decided.',
    get: (ctx) => ctx.event.type,
  },
} as const satisfies Record<string, FactDefinition>;

/** The name of a built-in fact. */
export type FactName = keyof typeof FACTS;

/** A fact catalogue: built-in facts plus any custom ones. */
export type FactCatalogue = Readonly<Record<string, FactDefinition>>;

/** Built-in facts merged with `custom` (custom wins on a clash). */
export function factCatalogue(custom?: FactCatalogue): FactCatalogue {
  return custom === undefined ? FACTS : { ...FACTS, ...custom };
}
