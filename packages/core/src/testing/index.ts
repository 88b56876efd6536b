export * from './delivery-queue-conformance';
export * from './fixtures';
export { AWKWARD_STRINGS, expectCode } from './helpers';
export { type JourneyStep, type OrderJourney, seedJourney } from './insights/seed';
export * from './insights-conformance';
export * from './storage-conformance';
export * from './warehouse-conformance';
