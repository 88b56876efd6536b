import type { OrderRecord } from '../model/record';

/** Records with more lines than this are not kept (a few huge orders must not pin megabytes). */
const MAX_LINES = 200;

/**
 * The last records this engine committed, least recently used dropped first. Internal.
 *
 * A hit is only a guess at the stored record: the commit's version check rejects a decision
 * made on a stale copy (the engine then reloads), and an event a cached copy would ignore is
 * decided again on the stored record before it is marked processed. It saves the `load` of
 * the common case, an outbox result (warehouse accepted) coming back to the engine that just
 * committed the order.
 */
export interface RecordCache {
  get(orderId: string): OrderRecord | undefined;
  set(record: OrderRecord): void;
  delete(orderId: string): void;
}

export function createRecordCache(capacity: number): RecordCache {
  const records = new Map<string, OrderRecord>();
  return {
    get(orderId) {
      const record = records.get(orderId);
      if (record !== undefined) {
        records.delete(orderId);
        records.set(orderId, record);
      }
      return record;
    },
    set(record) {
      records.delete(record.orderId);
      if (capacity <= 0 || record.order.lines.length > MAX_LINES) return;
      records.set(record.orderId, record);
      if (records.size > capacity) {
        const oldest = records.keys().next();
        if (!oldest.done) records.delete(oldest.value);
      }
    },
    delete(orderId) {
      records.delete(orderId);
    },
  };
}
