import { describe, expect, it } from 'vitest';
import { FulfilError } from '../../src/errors';
import { checkMachine } from '../../src/machine/check';
import { compileMachine } from '../../src/machine/compile';
import { defaultMachine } from '../../src/machine/default-machine';
import type { MachineExtensionInput } from '../../src/machine/extend';
import { extendMachine } from '../../src/machine/extend';

const engraving: MachineExtensionInput = {
  states: {
    awaiting_engraving: {
      kind: 'hold',
      description: 'Waiting for the engraving shop.',
      on: { ENGRAVED: 'ready', CANCEL: 'cancelled' },
    },
  },
  transitions: [{ from: 'ready', event: 'ENGRAVE', to: 'awaiting_engraving' }],
};

function catchError(fn: () => unknown): FulfilError {
  try {
    fn();
  } catch (err) {
    if (err instanceof FulfilError) return err;
    throw err;
  }
  throw new Error('expected a FulfilError');
}

describe('extendMachine', () => {
  it('adds awaiting_engraving without copying the default machine', () => {
    const before = JSON.stringify(defaultMachine);
    const definition = extendMachine(defaultMachine, engraving);
    expect(JSON.stringify(defaultMachine)).toBe(before);

    const machine = compileMachine(definition);
    expect(machine.id).toBe('fulfil-default');
    expect(machine.kind('awaiting_engraving')).toBe('hold');
    expect(machine.next('ready', 'ENGRAVE')).toBe('awaiting_engraving');
    expect(machine.next('awaiting_engraving', 'ENGRAVED')).toBe('ready');
    expect(machine.next('ready', 'SUBMIT')).toBe('submitted');
    expect(machine.accepts('ready')).toEqual([
      'SUBMIT',
      'HOLD',
      'REVIEW',
      'AWAIT_PAYMENT',
      'CANCEL',
      'ENGRAVE',
    ]);
    expect(machine.statesOfKind('hold')).toEqual(['on_hold', 'awaiting_engraving']);
    const rejected = machine.transition('submitted', 'ENGRAVED');
    expect(rejected.ok).toBe(false);
    expect(checkMachine(definition)).toEqual([]);
  });

  it('accepts a compiled machine as the base and can rename it', () => {
    const definition = extendMachine(compileMachine(defaultMachine), {
      ...engraving,
      id: 'engraved',
    });
    expect(definition.id).toBe('engraved');
    expect(definition.states.awaiting_engraving?.on.ENGRAVED).toBe('ready');
  });

  it('merges a state the base already has, keeping its transitions', () => {
    const definition = extendMachine(defaultMachine, {
      states: { ready: { kind: 'ready', on: { ENGRAVE: 'on_hold', SUBMIT: 'needs_review' } } },
    });
    const ready = definition.states.ready;
    expect(ready?.description).toBe(defaultMachine.states.ready?.description);
    expect(ready?.on).toEqual({
      ...defaultMachine.states.ready?.on,
      ENGRAVE: 'on_hold',
      SUBMIT: 'needs_review',
    });
  });

  it('names the extension paths of bad transitions and states', () => {
    const err = catchError(() =>
      extendMachine(defaultMachine, {
        initial: 'nowhere',
        states: { awaiting_engraving: { kind: 'hold', on: { ENGRAVED: 'reddy' } } },
        transitions: [
          { from: 'redy', event: 'ENGRAVE', to: 'awaiting_engraving' },
          { from: 'ready', event: 'ENGRAVE', to: 'nowhere' },
        ],
      }),
    );
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.details.issues).toEqual([
      { path: 'extension.transitions[0].from', message: '"redy" is not a state' },
      { path: 'extension.transitions[1].to', message: '"nowhere" is not a state' },
      { path: 'extension.initial', message: '"nowhere" is not a state' },
      {
        path: 'extension.states.awaiting_engraving.on.ENGRAVED',
        message: 'target "reddy" is not a state',
      },
    ]);
  });

  it('validates the extension with zod', () => {
    const err = catchError(() =>
      extendMachine(defaultMachine, {
        transitions: [{ from: 'ready', event: 'engrave', to: 'on_hold' }],
      }),
    );
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.details.path).toBe('extension.transitions[0].event');
  });
});
