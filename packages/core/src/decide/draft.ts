import type { Command, Explanation, Timer } from '../model/commands';
import type { OrderEvent } from '../model/events';
import type { DecisionFacts } from '../model/facts';
import type { OrderRecord, ShipmentStatus } from '../model/record';
import type { DecideConfig } from './types';

type CommandBody = Command extends infer C
  ? C extends Command
    ? Omit<C, 'id' | 'orderId' | 'idempotencyKey'>
    : never
  : never;

/**
 * The working copy of one decision: the next record plus everything the decision
 * produces. Only decide uses it.
 */
export class Draft {
  readonly commands: Command[] = [];
  readonly timers: Timer[] = [];
  readonly cancelTimerIds: string[] = [];
  readonly explanation: Explanation;
  /** Set when the machine refused an event: the decision stops there. */
  invalid = false;
  /** Each shipment's status before this decision, by id (reservations diff against it). */
  readonly initialShipmentStatus: ReadonlyMap<string, ShipmentStatus>;
  /** The raw stock and reservation watermark routing used (set by routing; see `DecisionFacts.stock`). */
  stock: DecisionFacts['stock'];
  private seq = 0;
  private iso: string | undefined;

  constructor(
    readonly record: OrderRecord,
    readonly event: OrderEvent,
    readonly config: DecideConfig,
    readonly now: number,
  ) {
    this.initialShipmentStatus = new Map(record.shipments.map((s) => [s.id, s.status]));
    this.explanation = {
      event: { type: event.type, idempotencyKey: event.idempotencyKey },
      outcome: 'applied',
      stages: [],
      transitions: [],
      commands: [],
      notes: [],
    };
    explainRepairs(this.explanation, event);
  }

  get status(): string {
    return this.record.status;
  }

  get kind(): string | undefined {
    return this.config.machine.kind(this.record.status);
  }

  get nowIso(): string {
    this.iso ??= new Date(this.now).toISOString();
    return this.iso;
  }

  /** The version this decision will commit. */
  get version(): number {
    return this.record.version;
  }

  /** Marks the decision as an invalid transition without firing anything. */
  refuse(event: string, why: string): void {
    this.invalid = true;
    this.explanation.outcome = 'invalid_transition';
    this.explanation.invalid = { state: this.record.status, event, message: why };
    this.note(`refused ${event} in ${this.record.status}: ${why}`);
  }

  /** Fires a machine event. Returns false (and marks the decision invalid) when refused. */
  fire(event: string, why: string): boolean {
    const from = this.record.status;
    const result = this.config.machine.transition(from, event);
    if (!result.ok) {
      this.invalid = true;
      this.explanation.outcome = 'invalid_transition';
      this.explanation.invalid = { state: from, event, message: result.error.message };
      this.note(`refused ${event} in ${from}: ${why}`);
      return false;
    }
    this.explanation.transitions.push({ from, event, to: result.to });
    if (result.to !== from) {
      this.record.status = result.to;
      this.record.statusSince = this.nowIso;
      if (!this.record.visited.includes(result.to)) this.record.visited.push(result.to);
    }
    return true;
  }

  /** Adds a command with a deterministic id and (unless given) idempotency key. */
  command(body: CommandBody, idempotencyKey?: string): void {
    const n = this.seq++;
    const id = `${this.record.orderId}:v${this.version}:c${n}`;
    const cmd = {
      ...body,
      id,
      orderId: this.record.orderId,
      idempotencyKey: idempotencyKey ?? `${id}:${body.type}`,
    } as Command;
    this.commands.push(cmd);
    this.explanation.commands.push({ id, type: cmd.type, reason: cmd.reason });
  }

  timer(timer: Omit<Timer, 'orderId'>): void {
    this.timers.push({ ...timer, orderId: this.record.orderId });
  }

  note(text: string): void {
    this.explanation.notes.push(text);
  }

  /** A fresh id unique within this order. */
  id(prefix: string): string {
    return `${prefix}${this.version}-${this.seq++}`;
  }
}

/**
 * Copies the event's text repairs (`event.sanitized`) into the explanation, with a note that
 * names the fields (never the text).
 */
export function explainRepairs(e: Explanation, event: OrderEvent): void {
  const repairs = event.sanitized;
  if (!repairs || repairs.length === 0) return;
  e.sanitized = repairs.map((r) => ({ ...r }));
  const said = repairs.slice(0, 5).map((r) => {
    const what = [
      r.nul > 0 ? `${r.nul} NUL removed` : '',
      r.surrogates > 0 ? `${r.surrogates} lone surrogate(s) replaced with U+FFFD` : '',
    ].filter((x) => x !== '');
    return `${r.path}${r.key ? ' (key)' : ''}: ${what.join(', ')}`;
  });
  const more = repairs.length > 5 ? `; and ${repairs.length - 5} more` : '';
  e.notes.push(`customer text repaired before storing: ${said.join('; ')}${more}`);
}

/**
 * Copies what decide may change and shares the rest. The order, shipment lines and
 * history-like values are never mutated in place (decide replaces them), so a full
 * deep clone is not needed; the property tests deep-freeze decide's inputs to prove it.
 */
export function draftCopy(r: OrderRecord): OrderRecord {
  return {
    ...r,
    shipments: r.shipments.map((s) => ({
      ...s,
      shipped: { ...s.shipped },
      tracking: [...s.tracking],
    })),
    backordered: [...r.backordered],
    holds: r.holds.map((h) => ({ ...h })),
    appliedRules: [...r.appliedRules],
    review: r.review ? { ...r.review, reasons: [...r.review.reasons] } : undefined,
    policy: {
      ...r.policy,
      prefer: [...r.policy.prefer],
      exclude: [...r.policy.exclude],
      requiredCapabilities: [...r.policy.requiredCapabilities],
    },
    tags: [...r.tags],
    instructions: [...r.instructions],
    visited: [...r.visited],
    facts: { ...r.facts },
  };
}
