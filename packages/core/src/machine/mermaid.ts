import type { Machine } from './compile';
import { compileMachine } from './compile';
import type { MachineDefinitionInput } from './schema';

/** Options for {@link toMermaid}. */
export interface MermaidOptions {
  /** Layout direction: left-to-right (default) or top-to-bottom. */
  direction?: 'LR' | 'TB';
  /** Show each state's description under its name (default `true`). */
  descriptions?: boolean;
  /** A state to emphasise, e.g. an order's current state. Ignored if not a state. */
  highlight?: string;
}

/**
 * Draws any machine (default or custom) as a Mermaid `stateDiagram-v2`:
 * `[*] --> initial`, one labelled edge per transition (self-loops included),
 * `final` states `--> [*]`, and descriptions under the state names. Output is
 * deterministic: states and events appear in definition order.
 *
 * Text Mermaid would misread (`;`, `:`, `#`, `%%`, quotes, angle brackets,
 * newlines, the word `direction`) is written as Mermaid entity codes, and state
 * names that collide with Mermaid keywords (`state`, `note`, `default`, ...)
 * are drawn through an alias.
 *
 * @throws FulfilError `CONFIG_INVALID` when given an invalid definition.
 *
 * @example
 * ```ts
 * const diagram = toMermaid(defaultMachine, { direction: 'TB' });
 * // stateDiagram-v2
 * //   direction TB
 * //   [*] --> received
 * //   received --> awaiting_payment : AWAIT_PAYMENT
 * //   ...
 * ```
 */
export function toMermaid(
  machine: MachineDefinitionInput | Machine,
  options: MermaidOptions = {},
): string {
  const m = compileMachine(machine);
  const ids = aliases(m.states);
  const id = (state: string) => ids.get(state) ?? state;
  const lines = ['stateDiagram-v2', `  direction ${options.direction ?? 'LR'}`];

  for (const state of m.states) {
    const alias = ids.get(state);
    if (alias !== undefined) lines.push(`  state "${state}" as ${alias}`);
    const description = m.definition.states[state]?.description;
    if (options.descriptions !== false && description !== undefined && description.trim() !== '') {
      lines.push(`  ${id(state)} : ${escapeText(description)}`);
    }
  }
  lines.push(`  [*] --> ${id(m.initial)}`);
  for (const t of m.transitions) lines.push(`  ${id(t.from)} --> ${id(t.to)} : ${t.event}`);
  for (const state of m.states) if (m.isFinal(state)) lines.push(`  ${id(state)} --> [*]`);

  if (options.highlight !== undefined && m.has(options.highlight)) {
    lines.push('  classDef current font-weight:bold,stroke-width:3px');
    lines.push(`  class ${id(options.highlight)} current`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Words Mermaid's state-diagram lexer treats as keywords at the start of a
 * statement (it is case-insensitive; `default` is matched even as a prefix).
 */
const KEYWORDS = new Set([
  'state',
  'note',
  'class',
  'classdef',
  'style',
  'scale',
  'hide',
  'click',
  'acctitle',
  'accdescr',
  'statediagram',
  'end',
]);

function needsAlias(state: string): boolean {
  return (
    KEYWORDS.has(state) ||
    state.startsWith('default') ||
    state.includes('direction') ||
    /^(tb|bt|lr|rl)/.test(state)
  );
}

/** Mermaid-safe ids for the states that need one; unique among all state names. */
function aliases(states: readonly string[]): Map<string, string> {
  const taken = new Set(states);
  const out = new Map<string, string>();
  for (const state of states) {
    if (!needsAlias(state)) continue;
    let alias = `s_${state.replaceAll('direction', 'dir')}`;
    while (taken.has(alias) || needsAlias(alias)) alias = `${alias}_`;
    taken.add(alias);
    out.set(state, alias);
  }
  return out;
}

/**
 * Makes free text safe inside a Mermaid state description: characters the
 * lexer gives meaning to become `#code;` entities, which Mermaid renders back
 * as the original character.
 */
function escapeText(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[#;:%&"<>{}\\`]/g, (ch) => `#${ch.charCodeAt(0)};`)
    .replace(/(directio)(n)/gi, (_, head: string, n: string) => `${head}#${n.charCodeAt(0)};`);
}
