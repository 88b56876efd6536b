export * from './delivery-queue-conformance';
export * from './fixtures';
export { AWKWARD_STRINGS, expectCode } from './helpers';
export * from './storage-conformance';
export * from './warehouse-conformance';
