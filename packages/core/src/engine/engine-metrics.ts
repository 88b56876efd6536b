import type { Decision } from '../decide/types';
import type { OrderRecord } from '../model/record';
import type { Metrics } from '../ports/services';

// The engine's metrics of a committed decision, and a Metrics that feeds two sinks. Internal.

/** Counts a committed decision: new orders, transitions, time in the state left, commands. */
export function observeDecision(
  metrics: Metrics,
  prior: OrderRecord | undefined,
  decision: Decision,
  now: number,
): void {
  const next = decision.record;
  if (!next) return;
  if (!prior) metrics.increment('orders_received');
  for (const t of decision.explanation.transitions) {
    if (t.from !== t.to) metrics.increment('transitions', { from: t.from ?? 'new', to: t.to });
  }
  if (prior && prior.status !== next.status) {
    metrics.observe('time_in_state_ms', now - Date.parse(prior.statusSince), {
      state: prior.status,
    });
  }
  if (decision.outcome === 'invalid_transition')
    metrics.increment('invalid_transitions', { state: prior?.status ?? 'new' });
  for (const c of decision.commands) metrics.increment('commands_created', { type: c.type });
}

/** Sends every sample to `a` and to `b`; `b` failing never affects `a` or the engine. */
export function tee(a: Metrics, b: Metrics): Metrics {
  return {
    increment(name, labels, by) {
      a.increment(name, labels, by);
      try {
        b.increment(name, labels, by);
      } catch {}
    },
    observe(name, value, labels) {
      a.observe(name, value, labels);
      try {
        b.observe(name, value, labels);
      } catch {}
    },
  };
}
