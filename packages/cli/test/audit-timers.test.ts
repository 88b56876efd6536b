import { describe, expect, it } from 'vitest';
import { cli, order, tempDir, writeConfig, writeExport } from './helpers';

const dir = tempDir();

describe('fulfil audit: simulated time', () => {
  it('fires due timers every simulated hour even when orders never leave an hour free', async () => {
    // A busy store: an order every 10 minutes for 12 hours; the first one is held for 2 hours
    // from the moment it arrives (a hold placed by the order's first decision counts too).
    const start = Date.parse('2026-11-02T08:00:00Z');
    const orders = Array.from({ length: 72 }, (_, i) =>
      order(
        `#${6001 + i}`,
        [i === 0 ? 'LAMP' : 'MUG'],
        new Date(start + i * 10 * 60_000).toISOString(),
      ),
    );
    const file = writeExport(dir, 'busy.csv', orders);
    const config = writeConfig(dir, 'hold.json', {
      locations: [
        {
          id: 'east',
          warehouse: 'east-wh',
          address: { country: 'US', province: 'NJ', lat: 40.69, lon: -74.15 },
        },
      ],
      rules: [
        {
          id: 'lamp-hold',
          stage: 'received',
          when: { fact: 'lines.skus', op: 'contains', value: 'LAMP' },
          actions: [{ type: 'hold', reason: 'lamps wait', for: { hours: 2 } }],
        },
      ],
    });
    const r = await cli(['audit', '--orders', file, '--config', config, '--json']);
    expect(r.code, r.err).toBe(0);
    const { report } = JSON.parse(r.out);
    expect(report.totals.orders).toBe(72);
    const hold = report.holds.byReason['lamps wait'];
    expect(hold.count).toBe(1);
    expect(hold.endedBy).toEqual({ 'timer.fired': 1 });
    // Released within the hour after it expired, not when the orders stop 12 hours later.
    expect(hold.hours.max).toBeGreaterThanOrEqual(2);
    expect(hold.hours.max).toBeLessThanOrEqual(3);
  });
});
