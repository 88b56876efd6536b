import type { Tracking } from './events';
import type { Address, StoreHoldReason } from './primitives';
import type { Shipment } from './record';
import type { TextRepair } from './sanitize-text';

/** What a warehouse needs to fulfil one shipment. */
export interface ShipmentRequest {
  orderId: string;
  orderName?: string;
  shipment: Shipment;
  locationId: string;
  shipTo?: Address;
  lines: {
    lineId: string;
    sku: string;
    title?: string;
    quantity: number;
    unitPrice: number;
    /** A kit that ships whole: the components of one kit unit (the warehouse picks these). */
    components?: { sku: string; quantity: number }[];
  }[];
  currency: string;
  instructions: string[];
  service?: string;
  priority?: number;
  note?: string | null;
}

/** Fields every command carries. */
export interface CommandBase {
  /** Unique id of this command. */
  id: string;
  orderId: string;
  /** Passed to the adapter: executing the same key twice MUST have one effect. */
  idempotencyKey: string;
  /** Why the command exists (rule id, transition), for explanations. */
  reason: string;
}

/** Every side effect decide can ask for. Commands are data: stored first (outbox), then run. */
export type Command =
  | (CommandBase & { type: 'warehouse.submit'; warehouse: string; request: ShipmentRequest })
  | (CommandBase & {
      type: 'warehouse.cancel';
      warehouse: string;
      shipmentId: string;
      locationId: string;
    })
  | (CommandBase & { type: 'store.hold'; holdReason: StoreHoldReason; note: string })
  | (CommandBase & { type: 'store.release_hold' })
  | (CommandBase & { type: 'store.add_tags'; tags: string[] })
  /** A line for the order's history in the store, for the people working it there. */
  | (CommandBase & { type: 'store.add_note'; text: string })
  | (CommandBase & {
      type: 'store.fulfill';
      shipmentId: string;
      tracking: Tracking;
      lines: { lineId: string; quantity: number }[];
      notifyCustomer: boolean;
    })
  | (CommandBase & {
      type: 'notify';
      channel: 'warehouse' | 'ops';
      message: string;
      locationId?: string;
    })
  | (CommandBase & {
      type: 'alert';
      severity: 'info' | 'warning' | 'critical';
      title: string;
      message: string;
      link?: string;
    });
export type CommandType = Command['type'];

/** A stored timer: at `dueAt`, `engine.runDue()` turns it into a `timer.fired` event. */
export interface Timer {
  id: string;
  orderId: string;
  dueAt: string;
  /** e.g. `hold_expiry`. */
  purpose: string;
  holdId?: string;
}

/** One step of an order's history. `version` counts from 1. */
export interface HistoryEntry {
  orderId: string;
  version: number;
  at: string;
  eventType: string;
  eventKey: string;
  from: string | null;
  to: string;
  /** Short human sentence, e.g. "held 24h: awaiting stock (rule hold-short)". */
  summary: string;
  explanation: Explanation;
}

/** One rule's evaluation at a stage. */
export interface RuleTrace {
  ruleId: string;
  matched: boolean;
  /** The facts the rule read, with the values they had. */
  facts: Record<string, unknown>;
  /** Action types applied when matched. */
  actions: string[];
}

/** Why decide did what it did. JSON-serializable. */
export interface Explanation {
  event: { type: string; idempotencyKey: string };
  outcome: 'applied' | 'invalid_transition' | 'ignored';
  stages: { stage: string; rules: RuleTrace[] }[];
  transitions: { from: string | null; event: string; to: string }[];
  routing?: {
    shipments: { locationId: string; lines: { lineId: string; sku: string; quantity: number }[] }[];
    backordered: { lineId: string; sku: string; quantity: number }[];
    reason: string;
    /** The chosen plan's score, when the router reports one. */
    score?: Record<string, unknown>;
    /** The best runners-up and why they lost, when the router reports them. */
    alternatives?: { locations: string[]; lostOn: string; why: string }[];
  };
  commands: { id: string; type: string; reason: string }[];
  invalid?: { state: string; event: string; message: string };
  /**
   * Customer text repaired before the event was stored, field by field (the event's
   * `sanitized`): NUL characters removed, lone UTF-16 surrogates replaced with U+FFFD.
   */
  sanitized?: TextRepair[];
  notes: string[];
}
