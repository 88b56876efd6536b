/**
 * A tiny in-test `DeliveryQueue` (a Map) following the port's contract
 * (packages/core/src/ports/deliveries.ts): idempotent enqueue, due rows oldest first,
 * leases with fresh tokens, CLAIM_LOST for a stale token, dead rows kept. `failNext`
 * makes the next enqueue reject (storage down); `rows` shows what is stored.
 */
import {
  type ClaimedDelivery,
  type DeliveryQueue,
  FulfilError,
  type RawDelivery,
} from '@fulfil/core';

interface Row {
  delivery: RawDelivery;
  seq: number;
  state: 'queued' | 'claimed' | 'done' | 'dead' | 'failed';
  token?: string;
  leaseUntil?: number;
  retryAt?: number;
  attempts: number;
  error?: string;
}

export function createQueueDouble() {
  const rows = new Map<string, Row>();
  let seq = 0;
  let tokens = 0;
  let failures = 0;
  const current = (key: string, token: string) => {
    const row = rows.get(key);
    if (row?.state !== 'claimed' || row.token !== token)
      throw new FulfilError('CLAIM_LOST', `delivery ${key}: the claim is not current`);
    return row;
  };
  const queue: DeliveryQueue = {
    async enqueue(delivery) {
      if (failures > 0) {
        failures--;
        throw new Error('queue storage unreachable');
      }
      if (rows.has(delivery.key)) return 'duplicate';
      const copy = { ...delivery, headers: { ...delivery.headers } };
      copy.body = Uint8Array.from(delivery.body);
      rows.set(delivery.key, { delivery: copy, seq: seq++, state: 'queued', attempts: 0 });
      return 'queued';
    },
    async claim({ now, limit, leaseMs }) {
      const due = [...rows.values()]
        .filter(
          (r) =>
            r.state === 'queued' ||
            (r.state === 'claimed' && (r.leaseUntil ?? 0) <= now) ||
            (r.state === 'failed' && (r.retryAt ?? 0) <= now),
        )
        .sort((a, b) => a.delivery.receivedAt - b.delivery.receivedAt || a.seq - b.seq)
        .slice(0, limit);
      return due.map((row): ClaimedDelivery => {
        const attempts = row.attempts++;
        row.state = 'claimed';
        row.token = `t${++tokens}`;
        row.leaseUntil = now + leaseMs;
        return { delivery: row.delivery, claimToken: row.token, attempts };
      });
    },
    async complete(key, token) {
      current(key, token).state = 'done';
    },
    async fail(key, token, outcome) {
      const row = current(key, token);
      row.error = outcome.error;
      if (outcome.retryAt === undefined) row.state = 'dead';
      else {
        row.state = 'failed';
        row.retryAt = outcome.retryAt;
      }
    },
    async stats() {
      let pending = 0;
      let dead = 0;
      for (const r of rows.values()) {
        if (r.state === 'dead') dead++;
        else if (r.state !== 'done') pending++;
      }
      return { pending, dead };
    },
  };
  return {
    queue,
    rows,
    /** The next `n` enqueues reject. */
    failNext(n = 1) {
      failures = n;
    },
  };
}
