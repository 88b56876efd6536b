export * from './baselines';
export * from './delivery-queue-conformance';
export * from './fixtures';
export { AWKWARD_STRINGS, expectCode, expectConfigInvalid } from './helpers';
export * from './storage-conformance';
export * from './warehouse-conformance';
