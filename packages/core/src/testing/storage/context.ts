import type { Storage, StorageCapabilities } from '../../ports/storage';

/** What one storage conformance case sees. Internal to the suite. */
export interface StorageCaseContext {
  /** The storage under test: fresh for each case. */
  readonly storage: Storage;
  /** A second handle on the same data (or the same storage when the setup has none). */
  connect(): Promise<Storage>;
  /** "Now" for the case: the wall clock when it started. */
  readonly now: number;
  readonly capabilities: StorageCapabilities;
}
