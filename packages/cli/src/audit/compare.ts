import type { Outcome } from './tracker';

/** One order whose outcome differs between two configurations. */
export interface OutcomeChange {
  orderId: string;
  name: string;
  before: { outcome: string; explanation: string[] };
  after: { outcome: string; explanation: string[] };
}

/**
 * Collects the first run's outcomes, then compares the second run's against them, order by
 * order: the blast radius of a configuration change.
 */
export function createComparer() {
  const baseline = new Map<string, Outcome>();
  const changes: OutcomeChange[] = [];
  return {
    baseline: (o: Outcome) => {
      baseline.set(o.orderId, o);
    },
    candidate: (o: Outcome) => {
      const b = baseline.get(o.orderId);
      if (b && b.outcome === o.outcome) return;
      changes.push({
        orderId: o.orderId,
        name: o.name,
        before: b
          ? { outcome: b.outcome, explanation: b.explanation }
          : { outcome: '(not in the first run)', explanation: [] },
        after: { outcome: o.outcome, explanation: o.explanation },
      });
    },
    changes: () =>
      [...changes].sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true })),
  };
}
