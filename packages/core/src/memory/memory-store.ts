import { z } from 'zod';
import type { Tracking } from '../model/events';
import type { StoreHoldReason } from '../model/primitives';
import { functionOption, parseOptions } from '../options';
import type { StoreAdapter, StoreOrderRef } from '../ports/store';
import { createFaults, type FailNextOptions } from './faults';

/** Default `adminUrl` template. */
export const MEMORY_STORE_ADMIN_URL = 'https://admin.example.com/orders/{externalId}';

/** The store port methods, as named in `calls` and `failNext`. */
export type StoreMethod = 'addTags' | 'hold' | 'releaseHold' | 'fulfill' | 'addNote';

/** Options for {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /** The adapter's name. Default `memory`. */
  name?: string;
  /**
   * How `adminUrl` links to an order: a template with `{externalId}`, `{orderId}`
   * and `{store}` placeholders (values URL-encoded), or a function.
   * Default {@link MEMORY_STORE_ADMIN_URL}.
   */
  adminUrl?: string | ((order: StoreOrderRef) => string | undefined);
}

const OptionsSchema = z.object({
  name: z.string().min(1).optional(),
  adminUrl: z
    .union([
      z.string().min(1),
      functionOption<(order: StoreOrderRef) => string | undefined>('a function (order) => string'),
    ])
    .optional(),
} satisfies Record<keyof MemoryStoreOptions, z.ZodType>);

/** One fulfillment reported to the memory store. */
export interface StoreFulfillment {
  shipmentId: string;
  tracking: Tracking;
  lines: { lineId: string; quantity: number }[];
  notifyCustomer: boolean;
  idempotencyKey: string;
}

/** What the memory store knows about one order. */
export interface StoreOrderState {
  ref: StoreOrderRef;
  /** Tags added, each once, in the order first added. */
  tags: string[];
  /** Is the order on hold now? */
  onHold: boolean;
  holds: { reason: StoreHoldReason; note: string; idempotencyKey: string }[];
  releases: number;
  fulfillments: StoreFulfillment[];
  /** Notes added to the order's history, oldest first. Absent until the first note. */
  notes?: { text: string; idempotencyKey: string }[];
}

/** One call the memory store received. */
export interface StoreCall {
  method: StoreMethod;
  orderId: string;
  idempotencyKey: string;
  /** True when the key was seen before and the call had no effect. */
  duplicate: boolean;
}

/** The in-memory {@link StoreAdapter}, plus inspection and fault injection. */
export interface MemoryStore extends StoreAdapter {
  addNote(order: StoreOrderRef, text: string, idempotencyKey: string): Promise<void>;
  /** One order's state (a copy), or undefined when no call named it. */
  order(orderId: string): StoreOrderState | undefined;
  /** Every order's state (copies), by order id. */
  orders(): Record<string, StoreOrderState>;
  /** Every call that reached the store, in order (calls failed before their effect excluded). */
  calls(): StoreCall[];
  /**
   * The next `times` calls (of `options.method`, default any) throw `error`
   * (default: a `FulfilError` with code `ADAPTER_FAILED`; a string becomes its message).
   */
  failNext(times: number, error?: unknown, options?: FailNextOptions<StoreMethod>): void;
}

/**
 * Creates an in-memory store that records tags, holds, releases, fulfillments
 * and notes per order. Every method is idempotent on its key.
 *
 * @example
 * ```ts
 * const store = createMemoryStore({ adminUrl: 'https://acme.test/admin/orders/{externalId}' });
 * const engine = createEngine({ store, ... });
 * // after a run:
 * store.order('ord-1')?.tags; // ['gift']
 * ```
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  parseOptions(OptionsSchema, options, 'createMemoryStore', { optional: true });
  const name = options.name ?? 'memory';
  const faults = createFaults(`store "${name}"`);
  const states = new Map<string, StoreOrderState>();
  const keys = new Set<string>();
  const log: StoreCall[] = [];
  const template = options.adminUrl ?? MEMORY_STORE_ADMIN_URL;

  /** Runs `effect` once per key; records the call. */
  const run = (
    method: StoreMethod,
    ref: StoreOrderRef,
    idempotencyKey: string,
    effect: (state: StoreOrderState) => void,
  ): void => {
    const failLater = faults.enter(method);
    const duplicate = keys.has(`${method}\u0000${idempotencyKey}`);
    if (!duplicate) {
      let state = states.get(ref.orderId);
      if (state === undefined) {
        state = {
          ref: { ...ref },
          tags: [],
          onHold: false,
          holds: [],
          releases: 0,
          fulfillments: [],
        };
        states.set(ref.orderId, state);
      }
      effect(state);
      keys.add(`${method}\u0000${idempotencyKey}`);
    }
    log.push({ method, orderId: ref.orderId, idempotencyKey, duplicate });
    failLater?.();
  };

  return {
    name,
    async addTags(ref, tags, idempotencyKey) {
      run('addTags', ref, idempotencyKey, (state) => {
        for (const tag of tags) if (!state.tags.includes(tag)) state.tags.push(tag);
      });
    },
    async hold(ref, reason, note, idempotencyKey) {
      run('hold', ref, idempotencyKey, (state) => {
        state.onHold = true;
        state.holds.push({ reason, note, idempotencyKey });
      });
    },
    async releaseHold(ref, idempotencyKey) {
      run('releaseHold', ref, idempotencyKey, (state) => {
        state.onHold = false;
        state.releases++;
      });
    },
    async fulfill(ref, fulfillment, idempotencyKey) {
      run('fulfill', ref, idempotencyKey, (state) => {
        state.fulfillments.push({ ...structuredClone(fulfillment), idempotencyKey });
      });
    },
    async addNote(ref, text, idempotencyKey) {
      run('addNote', ref, idempotencyKey, (state) => {
        state.notes ??= [];
        state.notes.push({ text, idempotencyKey });
      });
    },
    adminUrl(ref) {
      if (typeof template === 'function') return template(ref);
      return template
        .replaceAll('{externalId}', encodeURIComponent(ref.externalId))
        .replaceAll('{orderId}', encodeURIComponent(ref.orderId))
        .replaceAll('{store}', encodeURIComponent(ref.store));
    },
    order(orderId) {
      const state = states.get(orderId);
      return state === undefined ? undefined : structuredClone(state);
    },
    orders() {
      return structuredClone(Object.fromEntries(states));
    },
    calls() {
      return log.map((call) => ({ ...call }));
    },
    failNext(times, error, failOptions = {}) {
      faults.failNext(times, error, failOptions.method, failOptions.afterEffect ?? false);
    },
  };
}
