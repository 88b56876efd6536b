/**
 * The state machine: @fulfil's compiled machine vs XState v5's pure
 * `transition()` on an equivalent machine, over the same pre-generated walk of
 * valid (state, event) pairs. Aim: ≥ 10× faster per transition.
 *
 * Each variant is timed in batches of 1,000 calls, in 5 interleaved rounds of
 * 200 ms; the median round is kept (its median batch, and its p99 batch).
 */

import { compileMachine, defaultMachine, type Machine } from '@fulfil/core';
import { createActor, createMachine, transition as xstateTransition } from 'xstate';
import { fmtNs, type Measurement, measureInterleaved } from './harness';

const PAIRS = 1000;

/** One step of the walk, with everything each side needs prepared up front. */
interface Step {
  state: string;
  event: string;
  expected: string;
  xsnapshot: XSnapshot;
  xevent: { type: string };
}

type XMachine = ReturnType<typeof toXState>['xmachine'];
type XSnapshot = ReturnType<XMachine['resolveState']>;
type XScope = Parameters<XMachine['transition']>[2];

/** Builds the XState v5 equivalent of a compiled machine: same states, same `on`, finals as `type: 'final'`. */
function toXState(machine: Machine) {
  const states: Record<string, { on: Record<string, string>; type?: 'final' }> = {};
  for (const name of machine.states) {
    const on = { ...machine.definition.states[name]?.on };
    states[name] = machine.isFinal(name) ? { on, type: 'final' } : { on };
  }
  const xmachine = createMachine({ id: machine.id, initial: machine.initial, states });
  const snapshots = new Map(
    machine.states.map((name) => [name, xmachine.resolveState({ value: name })] as const),
  );
  return { xmachine, snapshots };
}

/** A deterministic walk: from the initial state, pick accepted events with an LCG; restart at final states. */
function walk(machine: Machine, snapshots: Map<string, XSnapshot>): Step[] {
  const steps: Step[] = [];
  let seed = 42;
  let state = machine.initial;
  while (steps.length < PAIRS) {
    const accepted = machine.accepts(state);
    if (accepted.length === 0) {
      state = machine.initial;
      continue;
    }
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const event = accepted[seed % accepted.length] as string;
    const expected = machine.next(state, event) as string;
    const xsnapshot = snapshots.get(state);
    if (xsnapshot === undefined) throw new Error(`no XState snapshot for ${state}`);
    steps.push({ state, event, expected, xsnapshot, xevent: { type: event } });
    state = expected;
  }
  return steps;
}

/** The headline figures of the machine benchmark (ratios from the same run). */
export interface MachineFigures {
  /** XState v5 `transition()` ns ÷ @fulfil `machine.transition()` ns. Aim ≥ 10. */
  vsXState: number;
  /** The same against XState with a reused actor scope (a lower bound for XState). */
  vsXStateReusedScope: number;
  /** XState v5 `transition()` ns ÷ @fulfil `machine.next()` ns. */
  nextVsXState: number;
  /** @fulfil `machine.transition()` ns (absolute; machine-dependent). */
  fulfilNsPerTransition: number;
}

/** Runs the machine benchmark, prints ns per transition and the ratios, and returns the headline figures. */
export async function run(): Promise<MachineFigures> {
  const machine = compileMachine(defaultMachine);
  const { xmachine, snapshots } = toXState(machine);
  const steps = walk(machine, snapshots);

  // Lower bound for XState: its machine.transition() with one reused actor scope, skipping the
  // inert actor that the public transition() creates per call (`_actorScope` is private API).
  const scope = (createActor(xmachine) as unknown as { _actorScope: XScope })._actorScope;

  for (const step of steps) {
    const [next] = xstateTransition(xmachine, step.xsnapshot, step.xevent);
    const core = xmachine.transition(step.xsnapshot, step.xevent, scope);
    const ours = machine.transition(step.state, step.event);
    if (
      next.value !== step.expected ||
      core.value !== step.expected ||
      !ours.ok ||
      ours.to !== step.expected
    ) {
      throw new Error(
        `machines disagree on ${step.state} --${step.event}-->: expected ${step.expected}, XState ${String(next.value)}, @fulfil ${ours.ok ? ours.to : 'rejected'}`,
      );
    }
  }

  // Interleaved rounds, median per variant: the ratios hold up on a busy machine.
  let i = 0;
  let h = 0;
  let j = 0;
  let k = 0;
  const [xstate, xstateCore, transition, next] = measureInterleaved([
    [
      'XState v5 transition()',
      () => {
        const step = steps[i] as Step;
        i = i + 1 === PAIRS ? 0 : i + 1;
        return xstateTransition(xmachine, step.xsnapshot, step.xevent)[0].value;
      },
    ],
    [
      'XState v5 (reused actor scope)',
      () => {
        const step = steps[h] as Step;
        h = h + 1 === PAIRS ? 0 : h + 1;
        return xmachine.transition(step.xsnapshot, step.xevent, scope).value;
      },
    ],
    [
      '@fulfil machine.transition()',
      () => {
        const step = steps[j] as Step;
        j = j + 1 === PAIRS ? 0 : j + 1;
        return machine.transition(step.state, step.event);
      },
    ],
    [
      '@fulfil machine.next()',
      () => {
        const step = steps[k] as Step;
        k = k + 1 === PAIRS ? 0 : k + 1;
        return machine.next(step.state, step.event);
      },
    ],
  ]) as [Measurement, Measurement, Measurement, Measurement];

  console.log(
    `\nState machine: ${PAIRS} valid (state, event) pairs from a walk of the default machine`,
  );
  for (const m of [xstate, xstateCore, transition, next]) {
    console.log(
      `  ${m.name.padEnd(32)} ${fmtNs(m.nsPerOp).padStart(10)} /transition (p99 ${fmtNs(m.p99NsPerOp)})`,
    );
  }
  const ratio = xstate.nsPerOp / transition.nsPerOp;
  const times = (base: number, ours: number) => `${(base / ours).toFixed(0)}×`;
  console.log(
    `@fulfil vs XState transition(): ${ratio.toFixed(0)}× faster (aim ≥ 10×); next(): ${times(xstate.nsPerOp, next.nsPerOp)}`,
  );
  console.log(
    `  vs XState with a reused actor scope: transition() ${times(xstateCore.nsPerOp, transition.nsPerOp)}, next() ${times(xstateCore.nsPerOp, next.nsPerOp)}`,
  );
  return {
    vsXState: ratio,
    vsXStateReusedScope: xstateCore.nsPerOp / transition.nsPerOp,
    nextVsXState: xstate.nsPerOp / next.nsPerOp,
    fulfilNsPerTransition: transition.nsPerOp,
  };
}
