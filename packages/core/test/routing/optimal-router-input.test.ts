import { describe, expect, it } from 'vitest';
import { isFulfilError } from '../../src/errors';
import { Location } from '../../src/model/facts';
import { createOptimalRouter } from '../../src/routing/optimal-router';
import { kit, line, loc, request } from './helpers';
import { checkPlan } from './instances';

const router = createOptimalRouter();

describe('createOptimalRouter: search budget', () => {
  it('past nodeBudget the plan is still valid, marked not optimal, and the reason says so', () => {
    const items = [0, 1, 2].map((i) => kit(`k${i}`, 12, { A: 1, B: 1 + (i % 2), [`C${i}`]: 1 }));
    const locations = Array.from({ length: 6 }, (_, j) => loc(`L${j}`, { priority: j }));
    const inventory = Object.fromEntries(
      locations.map((l, j) => [
        l.id,
        { A: 3 + j, B: 9 - j, C0: 2 + (j % 3), C1: 4 - (j % 4), C2: j },
      ]),
    );
    const tight = createOptimalRouter({ nodeBudget: 50 });
    const req = request({ items, inventory, locations });
    const plan = tight.route(req);
    expect(checkPlan(req, plan)).toEqual([]);
    expect(plan.optimal).toBe(false);
    expect(plan.reason).toContain('best found (search budget spent)');
    expect(plan.score.placed).toBeGreaterThan(0);
    const more = createOptimalRouter({ nodeBudget: 50_000 }).route(req);
    expect(checkPlan(req, more)).toEqual([]);
    expect(more.score.placed).toBeGreaterThanOrEqual(plan.score.placed);
  });
});

describe('createOptimalRouter: bad input', () => {
  it('duplicate location ids → CONFIG_INVALID naming the path', () => {
    expect.assertions(2);
    try {
      router.route(request({ items: [line('a', 'A', 1)], locations: [loc('x'), loc('x')] }));
    } catch (err) {
      expect(isFulfilError(err, 'CONFIG_INVALID')).toBe(true);
      expect((err as Error).message).toContain('locations[1].id');
    }
  });

  it('invalid options → CONFIG_INVALID', () => {
    expect(() => createOptimalRouter({ objective: ['cost', 'cost'] })).toThrow(
      /createOptimalRouter options: objective/,
    );
    expect(() => createOptimalRouter({ exactLimit: 0 })).toThrow(/CONFIG_INVALID/);
    expect(() => createOptimalRouter({ bogus: 1 } as never)).toThrow(/CONFIG_INVALID/);
  });

  it('the Location schema rejects bad cost fields and a malformed cutoff, and keeps old data valid', () => {
    expect(Location.safeParse({ id: 'x', warehouse: 'w' }).success).toBe(true);
    expect(Location.safeParse({ id: 'x', warehouse: 'w', costPerKm: -1 }).success).toBe(false);
    expect(Location.safeParse({ id: 'x', warehouse: 'w', cutoff: '25:00' }).success).toBe(false);
    expect(Location.safeParse({ id: 'x', warehouse: 'w', timeZone: 'Mars/Olympus' }).success).toBe(
      false,
    );
    expect(Location.safeParse({ id: 'x', warehouse: 'w', timeZone: 'Europe/Paris' }).success).toBe(
      true,
    );
  });
});
