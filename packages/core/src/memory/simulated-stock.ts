import { ErrorCodes, FulfilError } from '../errors';
import type { ShipmentRequest } from '../model/commands';
import type { StockTable } from './memory-inventory';

// Request checks and stock bookkeeping of the simulated warehouse. Internal.

/** Throws INVALID_INPUT for a request no warehouse could read. */
export function checkRequest(request: ShipmentRequest, name: string): void {
  const bad = (path: string, message: string) =>
    new FulfilError(ErrorCodes.INVALID_INPUT, `warehouse "${name}": request.${path}: ${message}`, {
      details: { path: `request.${path}` },
    });
  if (!request.orderId) throw bad('orderId', 'required');
  if (!request.shipment?.id) throw bad('shipment.id', 'required');
  if (!Array.isArray(request.lines) || request.lines.length === 0) {
    throw bad('lines', 'at least one line');
  }
  request.lines.forEach((line, i) => {
    if (!line.lineId) throw bad(`lines[${i}].lineId`, 'required');
    if (!Number.isInteger(line.quantity) || line.quantity <= 0) {
      throw bad(`lines[${i}].quantity`, 'must be a whole number > 0');
    }
  });
}

/** Why the warehouse refuses `request`, or undefined when it can fulfil it. */
export function refusal(
  request: ShipmentRequest,
  locations: string[],
  stock: StockTable,
  name: string,
): string | undefined {
  const outside = unserved(request, locations, name);
  if (outside !== undefined) return outside;
  const needed = new Map<string, number>();
  for (const line of request.lines) {
    for (const [sku, units] of pickedUnits(line, line.quantity))
      needed.set(sku, (needed.get(sku) ?? 0) + units);
  }
  const problems: string[] = [];
  for (const [sku, quantity] of needed) {
    if (!locations.some((location) => Object.hasOwn(stock[location] ?? {}, sku))) {
      problems.push(`unknown SKU "${sku}"`);
      continue;
    }
    const have = stock[request.locationId]?.[sku] ?? 0;
    if (have < quantity) {
      problems.push(
        `insufficient stock for "${sku}" at "${request.locationId}": need ${quantity}, have ${Math.max(0, have)}`,
      );
    }
  }
  return problems.length === 0 ? undefined : problems.join('; ');
}

/** Moves the (unshipped) units of `request` out of (-1) or back into (+1) stock. */
export function allocate(
  stock: StockTable,
  request: ShipmentRequest,
  sign: 1 | -1,
  shipped: number[] = [],
): void {
  const units = stock[request.locationId];
  if (units === undefined) return;
  request.lines.forEach((line, i) => {
    const quantity = line.quantity - (shipped[i] ?? 0);
    for (const [sku, n] of pickedUnits(line, quantity)) units[sku] = (units[sku] ?? 0) + sign * n;
  });
}

/** The refusal for a location this warehouse does not serve, if it does not. */
export function unserved(
  request: ShipmentRequest,
  locations: string[],
  name: string,
): string | undefined {
  if (locations.includes(request.locationId)) return undefined;
  return `location "${request.locationId}" is not served by warehouse "${name}"`;
}

/** The SKUs and units picked for `quantity` of a request line (a kit picks its components). */
function pickedUnits(line: ShipmentRequest['lines'][number], quantity: number): [string, number][] {
  if (!line.components || line.components.length === 0) return [[line.sku, quantity]];
  return line.components.map((c) => [c.sku, c.quantity * quantity]);
}
