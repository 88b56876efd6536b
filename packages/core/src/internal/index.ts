/**
 * `@fulfil/core/internal`: capabilities for first-party packages of this repository (the
 * `fulfil` CLI), not for applications. Nothing here validates untrusted input; the public
 * API (`@fulfil/core`) validates at every boundary. These may change in any release.
 *
 * @module
 */
export {
  ingestPrevalidated,
  PREVALIDATED_INGEST,
  type PrevalidatedIngest,
} from '../engine/prevalidated';
