import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileMachine } from '../../src/machine/compile';
import { defaultMachine } from '../../src/machine/default-machine';
import { extendMachine } from '../../src/machine/extend';
import { MachineEvents } from '../../src/machine/schema';

const engraved = compileMachine(
  extendMachine(defaultMachine, {
    states: {
      awaiting_engraving: { kind: 'hold', on: { ENGRAVED: 'ready', CANCEL: 'cancelled' } },
    },
    transitions: [{ from: 'ready', event: 'ENGRAVE', to: 'awaiting_engraving' }],
  }),
);
const events = [...Object.values(MachineEvents), 'ENGRAVE', 'ENGRAVED', 'UNKNOWN_EVENT'];

describe.each([
  ['default', compileMachine(defaultMachine)],
  ['extended', engraved],
])('random event sequences on the %s machine', (_, machine) => {
  it('never leave the machine, never throw, and final states accept nothing', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...events), { maxLength: 60 }), (sequence) => {
        let state = machine.initial;
        for (const event of sequence) {
          const result = machine.transition(state, event);
          expect(result.ok).toBe(machine.next(state, event) !== undefined);
          if (result.ok) {
            expect(result.from).toBe(state);
            state = result.to;
          } else {
            expect(result.error.code).toBe('INVALID_TRANSITION');
          }
          expect(machine.has(state)).toBe(true);
          if (machine.isFinal(state)) {
            expect(machine.accepts(state)).toEqual([]);
            for (const e of events) expect(machine.transition(state, e).ok).toBe(false);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('agrees between next() and transition() for any state and event', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...machine.states, 'nowhere'),
        fc.oneof(fc.constantFrom(...events), fc.string()),
        (state, event) => {
          const result = machine.transition(state, event);
          expect(result.ok ? result.to : undefined).toBe(machine.next(state, event));
        },
      ),
    );
  });
});
