import type { Machine } from '../machine/compile';
import type { Command, Explanation, HistoryEntry, Timer } from '../model/commands';
import type { Location } from '../model/facts';
import type { OrderRecord } from '../model/record';
import type { Router } from '../routing/router';
import type { CompiledRules } from '../rules/types';

/** Everything decide needs besides the record, the event and the facts. Build it once. */
export interface DecideConfig {
  machine: Machine;
  rules: CompiledRules;
  router: Router;
  locations: readonly Location[];
  /** IANA time zone of the store (time facts, dates in notes). */
  timeZone: string;
  /** Tell the customer when a shipment ships (passed to the store). Default true. */
  notifyCustomer: boolean;
  /** Location id → warehouse adapter key. */
  warehouseOf: ReadonlyMap<string, string>;
}

/** What one event did to one order. Pure data. */
export interface Decision {
  /**
   * `applied`: commit `record`; `invalid_transition`: commit `record` (history records the
   * refused event); `ignored`: nothing to commit (mark the event processed).
   */
  outcome: 'applied' | 'invalid_transition' | 'ignored';
  record?: OrderRecord;
  history?: HistoryEntry;
  commands: Command[];
  timers: Timer[];
  cancelTimerIds: string[];
  explanation: Explanation;
}
