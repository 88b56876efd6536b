export {
  createShipStationClient,
  reasonOf,
  type ShipStationClient,
} from './client';
export { ORDER_KEY_PREFIX, orderKeyOf, orderNumberOf, toShipStationOrder } from './mapping';
export {
  SHIPSTATION_BASE_URL,
  SHIPSTATION_RATE_LIMIT,
  type ShipStationOptions,
} from './options';
export { fromPacific, SHIPSTATION_TIME_ZONE, toPacificDate, toPacificFilter } from './pacific-time';
export { RATE_HEADERS, type RateGate, type RateGateState } from './rate-gate';
export {
  createShipStationRates,
  RATES_NAME,
  ShipStationRatesOptions,
  type ShipStationRatesOptionsInput,
} from './rates';
export type { Unmatched } from './shipments';
export {
  OPEN_STATUSES,
  SHIPSTATION_ORDER_STATUSES,
  type ShipStationOrder,
  type ShipStationOrderInput,
  type ShipStationOrderStatus,
  type ShipStationShipment,
} from './types';
export { createShipStationWarehouse, type ShipStationWarehouse } from './warehouse';
export { SHIPMENT_WEBHOOK_TYPES, tokenMatches } from './webhook';
