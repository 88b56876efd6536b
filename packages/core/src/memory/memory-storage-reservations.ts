import type { InventorySnapshot } from '../model/facts';
import type { Commit, ReservedStock } from '../ports/storage';
import { stockConflict } from './memory-storage-checks';

// Stock reservations of the memory storage, indexed per (location, SKU) so a check costs the
// reservations of its pairs, not of the whole store. Internal.

/** Released reservations kept (newest) for decisions that read stock before the release. */
const RELEASED_KEPT = 10_000;

interface Row {
  orderId: string;
  locationId: string;
  sku: string;
  quantity: number;
}

interface Released {
  key: string;
  seq: number;
  /** Units; set to 0 when the key is taken again (it counts as active then). */
  quantity: number;
  pair: Pair;
}

interface Pair {
  /** Units of the active reservations. */
  active: number;
  /** Releases in sequence order (oldest first). */
  released: Released[];
}

/** The reservation book: active rows, recent releases, and the release watermark. */
export interface ReservationBook {
  /** Throws VERSION_CONFLICT (`reason: 'stock'`) when a take of `commit` does not fit. */
  check(commit: Commit): void;
  /** Applies the commit's releases, then its takes. MUST run only after `check` passed. */
  apply(orderId: string, reservations: Commit['reservations']): void;
  reserved(skus: readonly string[]): ReservedStock;
  /** Active reservations (copies) in taking order. */
  active(): (Row & { key: string })[];
}

export function createReservationBook(): ReservationBook {
  const rows = new Map<string, Row>();
  const releasedByKey = new Map<string, Released>();
  const releases: Released[] = [];
  /** sku → location → pair. */
  const pairs = new Map<string, Map<string, Pair>>();
  let seq = 0;

  const pairOf = (locationId: string, sku: string): Pair => {
    let bySku = pairs.get(sku);
    if (!bySku) {
      bySku = new Map();
      pairs.set(sku, bySku);
    }
    let pair = bySku.get(locationId);
    if (!pair) {
      pair = { active: 0, released: [] };
      bySku.set(locationId, pair);
    }
    return pair;
  };

  return {
    check(commit) {
      const r = commit.reservations;
      if (r === undefined || r.take.length === 0) return;
      const skip = new Set([...r.release, ...r.take.map((t) => t.key)]);
      const basis = r.basis ?? Number.POSITIVE_INFINITY;
      const wanted = new Map<
        string,
        { locationId: string; sku: string; take: number; available: number }
      >();
      for (const t of r.take) {
        const id = JSON.stringify([t.locationId, t.sku]);
        const w = wanted.get(id) ?? {
          locationId: t.locationId,
          sku: t.sku,
          take: 0,
          available: t.available,
        };
        w.take += t.quantity;
        w.available = Math.min(w.available, t.available);
        wanted.set(id, w);
      }
      for (const w of wanted.values()) {
        const pair = pairOf(w.locationId, w.sku);
        let reserved = pair.active;
        for (const key of skip) {
          const row = rows.get(key);
          if (row && row.locationId === w.locationId && row.sku === w.sku) reserved -= row.quantity;
        }
        for (let i = pair.released.length - 1; i >= 0; i--) {
          const e = pair.released[i] as Released;
          if (e.seq <= basis) break;
          if (!skip.has(e.key)) reserved += e.quantity;
        }
        if (reserved + w.take > w.available) throw stockConflict(commit.orderId, w, reserved);
      }
    },

    apply(orderId, r) {
      if (r === undefined) return;
      for (const key of r.release) {
        const row = rows.get(key);
        if (!row) continue;
        rows.delete(key);
        const pair = pairOf(row.locationId, row.sku);
        pair.active -= row.quantity;
        const e: Released = { key, seq: ++seq, quantity: row.quantity, pair };
        pair.released.push(e);
        releases.push(e);
        releasedByKey.set(key, e);
      }
      for (const t of r.take) {
        const old = rows.get(t.key);
        if (old) {
          pairOf(old.locationId, old.sku).active -= old.quantity;
          rows.delete(t.key); // taken again: moves to the end (taking order)
        }
        const gone = releasedByKey.get(t.key);
        if (gone) {
          gone.quantity = 0;
          releasedByKey.delete(t.key);
        }
        rows.set(t.key, { orderId, locationId: t.locationId, sku: t.sku, quantity: t.quantity });
        pairOf(t.locationId, t.sku).active += t.quantity;
      }
      while (releases.length > RELEASED_KEPT) {
        const e = releases.shift() as Released;
        if (e.pair.released[0] === e) e.pair.released.shift();
        if (releasedByKey.get(e.key) === e) releasedByKey.delete(e.key);
      }
    },

    reserved(skus) {
      const units: InventorySnapshot = {};
      for (const sku of new Set(skus)) {
        for (const [loc, pair] of pairs.get(sku) ?? []) {
          if (pair.active <= 0) continue;
          const at = units[loc] ?? {};
          at[sku] = pair.active;
          units[loc] = at;
        }
      }
      return { units, basis: seq };
    },

    active() {
      return [...rows].map(([key, row]) => ({ key, ...row }));
    },
  };
}
