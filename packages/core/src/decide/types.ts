import type { Machine } from '../machine/compile';
import type { Command, Explanation, HistoryEntry, Timer } from '../model/commands';
import type { Location } from '../model/facts';
import type { OrderRecord } from '../model/record';
import type { CommitReservations } from '../ports/storage';
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
  /**
   * Stock reservations are on (the storage keeps them): decisions reserve the units they route
   * and release them when the shipment no longer holds them (see `ReservationOptions`).
   */
  reservations?: { releaseOn: 'accepted' | 'shipped' };
  /** Alert when routing takes from a location whose days of cover are below the lead time. Default true. */
  forecastAlerts?: boolean;
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
  /** Stock reservations to take and release in the same commit (only when there are any). */
  reservations?: CommitReservations;
  explanation: Explanation;
}
