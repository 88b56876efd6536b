import { describe, expect, it } from 'vitest';
import type { Condition } from '../../src/rules/schema';
import { makeContext, makeOrder, SHORT } from './fixtures';
import { holds } from './helpers';

const ctx = makeContext({
  inventory: SHORT,
  facts: {
    note: { tags: [{ tag: 'gift', confidence: 0.9 }], uncertain: false, classifier: 'test' },
    risk: { score: 42, level: 'medium', reasons: [], scorer: 'test' },
  },
});
// No customer, no address, no note classification, no risk, no inventory.
const bare = makeContext({
  order: makeOrder({ customer: undefined, shippingAddress: undefined, note: null }),
});

const f = (fact: string, op: string, value?: unknown) =>
  ({ fact, op, ...(value === undefined ? {} : { value }) }) as Condition;

describe('scalar operators', () => {
  it.each([
    ['eq', 'order.total', 6200, true],
    ['eq', 'order.total', 6201, false],
    ['eq', 'shipping.country', 'US', true],
    ['eq', 'shipping.expedited', false, true],
    ['neq', 'order.total', 6201, true],
    ['neq', 'order.total', 6200, false],
    ['in', 'shipping.country', ['CA', 'US'], true],
    ['in', 'shipping.country', ['CA', 'MX'], false],
    ['contains', 'order.note', 'after Dec', true],
    ['contains', 'order.note', 'before', false],
    ['matches', 'customer.email', '@example\\.com$', true],
    ['matches', 'customer.email', '^ADA@', false],
    ['matches', 'customer.email', '/^ADA@/i', true],
    ['gt', 'order.total', 6199, true],
    ['gt', 'order.total', 6200, false],
    ['gte', 'order.total', 6200, true],
    ['gte', 'order.total', 6201, false],
    ['lt', 'order.total', 6201, true],
    ['lt', 'order.total', 6200, false],
    ['lte', 'order.total', 6200, true],
    ['lte', 'order.total', 6199, false],
    ['between', 'order.total', [6200, 7000], true],
    ['between', 'order.total', [5000, 6200], true],
    ['between', 'order.total', [6201, 7000], false],
    ['exists', 'customer.email', true, true],
    ['exists', 'customer.email', false, false],
    ['exists', 'risk.level', undefined, true],
    ['eq', 'risk.level', 'medium', true],
  ] as const)('%s %s %j → %s', (op, fact, value, expected) => {
    expect(holds(f(fact, op, value), ctx)).toBe(expected);
  });
});

describe('list operators hold when any element does', () => {
  it.each([
    ['eq', 'customer.tags', 'VIP', true],
    ['eq', 'customer.tags', 'vip', false],
    ['contains', 'customer.tags', 'wholesale', true],
    ['contains', 'customer.tags', 'whole', false],
    ['neq', 'customer.tags', 'VIP', false],
    ['neq', 'customer.tags', 'retail', true],
    ['in', 'customer.tags', ['retail', 'VIP'], true],
    ['in', 'customer.tags', ['retail'], false],
    ['matches', 'lines.skus', '^TEE-', true],
    ['matches', 'lines.skus', '^HAT-', false],
    ['gt', 'lines.quantities', 1, true],
    ['gt', 'lines.quantities', 2, false],
    ['gte', 'lines.quantities', 2, true],
    ['lt', 'lines.quantities', 2, true],
    ['lte', 'lines.quantities', 1, true],
    ['between', 'lines.quantities', [2, 5], true],
    ['between', 'lines.quantities', [3, 5], false],
    ['contains', 'note.tags', 'gift', true],
    ['contains', 'inventory.shortLineIds', 'l-1', true],
    ['exists', 'lines.shortSkus', true, true],
  ] as const)('%s %s %j → %s', (op, fact, value, expected) => {
    expect(holds(f(fact, op, value), ctx)).toBe(expected);
  });
});

describe('missing facts are undefined', () => {
  it.each([
    ['eq', 'customer.email', 'ada@example.com', false],
    ['neq', 'customer.email', 'ada@example.com', true],
    ['in', 'shipping.country', ['US'], false],
    ['contains', 'customer.tags', 'VIP', false],
    ['neq', 'customer.tags', 'VIP', true],
    ['matches', 'order.note', '.', false],
    ['gt', 'risk.score', -1, false],
    ['lt', 'risk.score', 101, false],
    ['between', 'customer.ordersCount', [0, 100], false],
    ['exists', 'risk.level', true, false],
    ['exists', 'risk.level', false, true],
    ['exists', 'note.tags', false, true],
    ['exists', 'inventory.hasBackorder', false, true],
    ['eq', 'lines.hasBackordered', false, true],
  ] as const)('%s %s %j → %s', (op, fact, value, expected) => {
    expect(holds(f(fact, op, value), bare)).toBe(expected);
  });
});

describe('all / any / not', () => {
  const T = { fact: 'order.total', op: 'gt', value: 0 } as const;
  const F = { fact: 'order.total', op: 'gt', value: 1_000_000 } as const;
  it.each([
    [{ all: [T, T] }, true],
    [{ all: [T, F] }, false],
    [{ all: [T, T, T, T, T] }, true],
    [{ all: [T, T, T, T, F] }, false],
    [{ all: [] }, true],
    [{ any: [F, T] }, true],
    [{ any: [F, F, F] }, false],
    [{ any: [F, F, F, F, T] }, true],
    [{ not: F }, true],
    [{ not: T }, false],
    [{ not: { not: T } }, true],
    [{ all: [{ any: [F, { not: F }] }, { not: { all: [T, F] } }] }, true],
    [{ any: [{ all: [T, F] }, { not: { any: [T] } }] }, false],
  ] as [Condition, boolean][])('%j → %s', (when, expected) => {
    expect(holds(when, ctx)).toBe(expected);
  });
});
