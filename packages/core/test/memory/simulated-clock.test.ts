import { describe, expect, it } from 'vitest';
import { FulfilError } from '../../src/errors';
import { createSimulatedClock } from '../../src/memory';

const START = '2026-11-27T09:00:00.000Z';

describe('createSimulatedClock', () => {
  it('starts at an ISO time or epoch ms and moves only when told', () => {
    const clock = createSimulatedClock(START);
    expect(clock.now()).toBe(Date.parse(START));
    expect(createSimulatedClock(Date.parse(START)).iso()).toBe(START);
    expect(clock.advance(60_000)).toBe(Date.parse(START) + 60_000);
    expect(clock.iso()).toBe('2026-11-27T09:01:00.000Z');
    clock.set('2026-12-01T00:00:00Z');
    expect(clock.iso()).toBe('2026-12-01T00:00:00.000Z');
    clock.set(clock.now()); // same time is fine
  });

  it('never goes backwards', () => {
    const clock = createSimulatedClock(START);
    expect(() => clock.set('2026-11-27T08:59:59Z')).toThrow(/never goes backwards/);
    expect(() => clock.advance(-1)).toThrowError(FulfilError);
    try {
      clock.set(0);
    } catch (error) {
      expect((error as FulfilError).code).toBe('INVALID_INPUT');
    }
    expect(clock.iso()).toBe(START);
  });

  it('rejects a start that is not a time with CONFIG_INVALID', () => {
    expect(() => createSimulatedClock('tomorrow')).toThrow(/CONFIG_INVALID/);
    expect(() => createSimulatedClock(Number.NaN)).toThrow(/CONFIG_INVALID/);
    expect(() => createSimulatedClock(START).set('later')).toThrow(/INVALID_INPUT/);
  });
});
