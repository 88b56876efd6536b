import { describe, expect, it } from 'vitest';
import { compileMachine } from '../../src/machine/compile';
import { defaultMachine } from '../../src/machine/default-machine';
import { extendMachine } from '../../src/machine/extend';
import { toMermaid } from '../../src/machine/mermaid';
import type { MachineDefinitionInput } from '../../src/machine/schema';

const lines = (text: string) => text.split('\n').map((l) => l.trim());

describe('toMermaid', () => {
  const diagram = toMermaid(defaultMachine);

  it('draws a stateDiagram-v2 with the initial state, every transition and the final states', () => {
    const out = lines(diagram);
    expect(out.slice(0, 2)).toEqual(['stateDiagram-v2', 'direction LR']);
    expect(out).toContain('[*] --> received');
    for (const [from, state] of Object.entries(defaultMachine.states)) {
      for (const [event, to] of Object.entries(state.on)) {
        expect(out).toContain(`${from} --> ${to} : ${event}`);
      }
    }
    expect(out).toContain('on_hold --> on_hold : HOLD');
    expect(out).toContain('delivered --> [*]');
    expect(out).toContain('cancelled --> [*]');
    expect(out).not.toContain('shipped --> [*]');
    expect(out).toContain('submitted : Shipments are with warehouses.');
    const edges = out.filter((l) => l.includes(' --> ') && !l.includes('[*]'));
    expect(edges).toHaveLength(compileMachine(defaultMachine).transitions.length);
    expect(diagram.endsWith('\n')).toBe(true);
  });

  it('is deterministic and the same for a definition or its compiled machine', () => {
    expect(toMermaid(defaultMachine)).toBe(diagram);
    expect(toMermaid(compileMachine(defaultMachine))).toBe(diagram);
    const copy = JSON.parse(JSON.stringify(defaultMachine)) as MachineDefinitionInput;
    expect(toMermaid(copy)).toBe(diagram);
  });

  it('honours options', () => {
    const out = lines(
      toMermaid(defaultMachine, { direction: 'TB', descriptions: false, highlight: 'ready' }),
    );
    expect(out[1]).toBe('direction TB');
    expect(out.some((l) => /^\w+ : /.test(l))).toBe(false);
    expect(out).toContain('class ready current');
    expect(toMermaid(defaultMachine, { highlight: 'nowhere' })).toBe(diagram);
  });

  it('draws custom states', () => {
    const machine = extendMachine(defaultMachine, {
      states: { awaiting_engraving: { kind: 'hold', on: { ENGRAVED: 'ready' } } },
      transitions: [{ from: 'ready', event: 'ENGRAVE', to: 'awaiting_engraving' }],
    });
    const out = lines(toMermaid(machine));
    expect(out).toContain('ready --> awaiting_engraving : ENGRAVE');
    expect(out).toContain('awaiting_engraving --> ready : ENGRAVED');
  });

  it('escapes text Mermaid would misread and aliases keyword state names', () => {
    const machine: MachineDefinitionInput = {
      id: 'odd',
      initial: 'state',
      states: {
        state: {
          kind: 'ready',
          description: 'a: b; c #1 %% "q" <br>\nnext {x} & direction LR',
          on: { GO: 'default_end', NOTE: 'note' },
        },
        note: { kind: 'review', on: { GO: 'default_end' } },
        default_end: { kind: 'final' },
        s_state: { kind: 'final' },
      },
    };
    const text = toMermaid(machine);
    const out = lines(text);
    expect(out).toContain('state "state" as s_state_');
    expect(out).toContain('state "note" as s_note');
    expect(out).toContain('[*] --> s_state_');
    expect(out).toContain('s_state_ --> s_default_end : GO');
    expect(out).toContain('s_state --> [*]');
    const description = out.find((l) => l.startsWith('s_state_ : ')) ?? '';
    expect(description).toBe(
      's_state_ : a#58; b#59; c #35;1 #37;#37; #34;q#34; #60;br#62; next #123;x#125; #38; directio#110; LR',
    );
    // Once entity codes are removed, no character the lexer stops at is left.
    const bare = description.slice('s_state_ : '.length).replace(/#\d+;/g, '');
    expect(bare).not.toMatch(/[#:;%"<>{}\n]/);
  });
});
