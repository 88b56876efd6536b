/** One metric the engine, its dispatcher or an adapter emits, as named in code. */
export interface KnownMetric {
  /** The name passed to `increment` / `observe` (before prefix and suffix). */
  name: string;
  kind: 'counter' | 'histogram';
  /** Every label key any call site passes (the union: a missing one is exported empty). */
  labels: readonly string[];
  help: string;
}

/**
 * Every metric emitted by @fulfil packages (grep `increment(` / `observe(`), with the union of
 * the label keys their call sites pass. Declaring them up front gives each Prometheus series
 * one fixed label set, whichever call comes first.
 */
export const KNOWN_METRICS: readonly KnownMetric[] = [
  // engine (packages/core/src/engine)
  { name: 'orders_received', kind: 'counter', labels: [], help: 'Orders seen for the first time.' },
  {
    name: 'events',
    kind: 'counter',
    labels: ['type', 'outcome'],
    help: 'Events ingested, by event type and outcome.',
  },
  {
    name: 'ingest_ms',
    kind: 'histogram',
    labels: ['event'],
    help: 'Time to ingest one event, end to end (ms).',
  },
  {
    name: 'stage_ms',
    kind: 'histogram',
    labels: ['stage'],
    help: 'Time of one ingest stage: gather, decide, commit (ms).',
  },
  {
    name: 'duplicates',
    kind: 'counter',
    labels: ['event'],
    help: 'Events ignored as already seen.',
  },
  {
    name: 'version_conflicts',
    kind: 'counter',
    labels: [],
    help: 'Commits retried after a concurrent write.',
  },
  {
    name: 'degraded',
    kind: 'counter',
    labels: ['port'],
    help: 'Decisions taken without a failing optional port.',
  },
  {
    name: 'transitions',
    kind: 'counter',
    labels: ['from', 'to'],
    help: 'Order state transitions.',
  },
  {
    name: 'time_in_state_ms',
    kind: 'histogram',
    labels: ['state'],
    help: 'Time an order spent in the state it left (ms).',
  },
  {
    name: 'invalid_transitions',
    kind: 'counter',
    labels: ['state'],
    help: 'Events refused by the state machine.',
  },
  {
    name: 'commands_created',
    kind: 'counter',
    labels: ['type'],
    help: 'Commands decided (outbox rows written).',
  },
  // dispatcher (packages/core/src/engine/dispatcher.ts, after-commit.ts)
  { name: 'commands', kind: 'counter', labels: ['type'], help: 'Commands carried out.' },
  {
    name: 'command_ms',
    kind: 'histogram',
    labels: ['type'],
    help: 'Time to carry out one command (ms).',
  },
  {
    name: 'command_errors',
    kind: 'counter',
    labels: ['type'],
    help: 'Command attempts that failed (retried later).',
  },
  {
    name: 'exceptions',
    kind: 'counter',
    labels: ['type'],
    help: 'Commands that gave up: the order needs a person.',
  },
  {
    name: 'commands_skipped',
    kind: 'counter',
    labels: ['type', 'why'],
    help: 'Commands skipped for a missing port.',
  },
  {
    name: 'dispatch_errors',
    kind: 'counter',
    labels: ['stage'],
    help: 'Dispatch passes that failed after a commit.',
  },
  // classifier-anthropic
  {
    name: 'note_cascade',
    kind: 'counter',
    labels: ['path', 'reason'],
    help: 'How a customer note was classified: trivial, offline, cache, model, fallback.',
  },
  {
    name: 'llm_calls',
    kind: 'counter',
    labels: ['model', 'outcome', 'purpose'],
    help: 'Language-model calls, by outcome.',
  },
  {
    name: 'llm_ms',
    kind: 'histogram',
    labels: ['model'],
    help: 'Language-model call latency (ms).',
  },
  {
    name: 'llm_tokens',
    kind: 'counter',
    labels: ['model', 'kind'],
    help: 'Language-model tokens, input and output.',
  },
  {
    name: 'llm_budget_refused',
    kind: 'counter',
    labels: ['model', 'limit'],
    help: 'Calls refused by the token budget.',
  },
  {
    name: 'risk_summaries',
    kind: 'counter',
    labels: ['outcome'],
    help: 'Risk summaries attached to review alerts.',
  },
  // @fulfil/http hooks, through prometheusHttpHooks()
  {
    name: 'http_requests',
    kind: 'counter',
    labels: ['upstream', 'method', 'status'],
    help: 'Upstream HTTP responses, by status.',
  },
  {
    name: 'http_ms',
    kind: 'histogram',
    labels: ['upstream', 'method', 'status'],
    help: 'Upstream HTTP attempt latency (ms).',
  },
  {
    name: 'http_retries',
    kind: 'counter',
    labels: ['upstream', 'method'],
    help: 'Upstream HTTP attempts retried.',
  },
  {
    name: 'http_rate_limited',
    kind: 'counter',
    labels: ['upstream', 'method'],
    help: 'Upstream 429 answers (or the vendor equivalent).',
  },
  {
    name: 'http_wait_ms',
    kind: 'histogram',
    labels: ['upstream'],
    help: 'Time waited for the client-side rate limiter (ms).',
  },
];
