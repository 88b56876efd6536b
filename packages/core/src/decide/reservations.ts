import type { Shipment, ShipmentLine } from '../model/record';
import type { CommitReservations, ReservationTake } from '../ports/storage';
import type { Draft } from './draft';

/**
 * The stock reservations a decision takes and releases, from how its shipments changed:
 * a shipment holds its units while it is `pending` (and, with `releaseOn: 'shipped'`, while
 * `accepted` or `partially_shipped`); a new holding shipment takes them, a shipment that
 * stops holding releases them. Undefined when reservations are off or nothing changed.
 */
export function reservationsOf(d: Draft): CommitReservations | undefined {
  const on = d.config.reservations;
  if (on === undefined) return undefined;
  const holds = (status: Shipment['status']) =>
    status === 'pending' ||
    (on.releaseOn === 'shipped' && (status === 'accepted' || status === 'partially_shipped'));
  const take: ReservationTake[] = [];
  const release: string[] = [];
  for (const s of d.record.shipments) {
    const before = d.initialShipmentStatus.get(s.id);
    if (before === undefined) {
      if (!holds(s.status) || d.stock === undefined) continue;
      for (const [sku, quantity] of unitsOfLines(s.lines)) {
        take.push({
          key: reservationKey(s.id, sku),
          locationId: s.locationId,
          sku,
          quantity,
          available: Math.max(0, Math.trunc(d.stock.available[s.locationId]?.[sku] ?? 0)),
        });
      }
    } else if (holds(before) && !holds(s.status)) {
      for (const sku of unitsOfLines(s.lines).keys()) release.push(reservationKey(s.id, sku));
    }
  }
  if (take.length === 0 && release.length === 0) return undefined;
  return { take, release, ...(take.length > 0 && d.stock ? { basis: d.stock.basis } : {}) };
}

/** The key of a shipment's reservation of one SKU. */
export function reservationKey(shipmentId: string, sku: string): string {
  return JSON.stringify([shipmentId, sku]);
}

/** Units per SKU that shipment lines pick (kits by their components). */
export function unitsOfLines(lines: readonly ShipmentLine[]): Map<string, number> {
  const units = new Map<string, number>();
  for (const line of lines) {
    const picks =
      line.components && line.components.length > 0
        ? line.components.map((c) => [c.sku, c.quantity * line.quantity] as const)
        : [[line.sku, line.quantity] as const];
    for (const [sku, n] of picks) units.set(sku, (units.get(sku) ?? 0) + n);
  }
  return units;
}
