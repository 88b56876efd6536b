import { ErrorCodes, FulfilError } from '../errors';
import type { OrderRecord } from '../model/record';
import type { ClaimOptions, Commit } from '../ports/storage';

// Checks and helpers of the memory storage. Internal.

/** Deep-copies a commit, failing with INVALID_INPUT for data that cannot be copied. */
export function cloneCommit(input: Commit): Commit {
  try {
    return structuredClone(input);
  } catch (cause) {
    throw new FulfilError(ErrorCodes.INVALID_INPUT, 'commit: not structured-cloneable data', {
      cause,
      details: { path: 'commit' },
    });
  }
}

export function validateCommit(
  commit: Commit,
  records: ReadonlyMap<string, OrderRecord>,
  processed: ReadonlyMap<string, number>,
  commands: ReadonlyMap<string, unknown>,
): void {
  const { orderId, expectedVersion, record, history } = commit;
  const invalid = (path: string, message: string) =>
    new FulfilError(ErrorCodes.INVALID_INPUT, `commit.${path}: ${message}`, {
      details: { path: `commit.${path}`, orderId },
    });
  if (record.orderId !== orderId) throw invalid('record.orderId', `must be "${orderId}"`);
  if (record.version !== expectedVersion + 1) {
    throw invalid('record.version', `must be expectedVersion + 1 (${expectedVersion + 1})`);
  }
  if (history.orderId !== orderId || history.version !== record.version) {
    throw invalid('history', `must be for order "${orderId}" version ${record.version}`);
  }
  // Conflicts first: two writers deciding the same version produce the same command ids.
  const stored = records.get(orderId)?.version;
  if ((stored ?? 0) !== expectedVersion || (stored !== undefined && expectedVersion === 0)) {
    throw new FulfilError(
      ErrorCodes.VERSION_CONFLICT,
      `order "${orderId}" is at version ${stored ?? 'none'}, commit expected ${expectedVersion}`,
      { details: { orderId, expectedVersion, storedVersion: stored ?? null } },
    );
  }
  const seen = commit.inboxKeys.find((key) => processed.has(key));
  if (seen !== undefined) {
    throw new FulfilError(
      ErrorCodes.VERSION_CONFLICT,
      `order "${orderId}": event "${seen}" was already processed; reload and skip it`,
      { details: { orderId, inboxKey: seen } },
    );
  }
  for (const [i, command] of commit.commands.entries()) {
    if (commands.has(command.id) || commit.commands.findIndex((c) => c.id === command.id) !== i) {
      throw invalid(`commands[${i}].id`, `command id "${command.id}" already exists`);
    }
  }
  for (const [i, timer] of commit.timers.entries()) {
    if (Number.isNaN(Date.parse(timer.dueAt))) {
      throw invalid(`timers[${i}].dueAt`, 'must be an ISO 8601 timestamp');
    }
  }
}

export function checkClaimOptions(claim: ClaimOptions): void {
  const ok =
    Number.isFinite(claim.now) &&
    Number.isInteger(claim.limit) &&
    claim.limit >= 0 &&
    Number.isFinite(claim.leaseMs) &&
    claim.leaseMs > 0;
  if (!ok) {
    throw new FulfilError(
      ErrorCodes.INVALID_INPUT,
      'claim options: now must be finite, limit an integer >= 0, leaseMs > 0',
      { details: { path: 'options' } },
    );
  }
}

export function claimLost(kind: 'command' | 'timer', id: string): FulfilError {
  return new FulfilError(
    ErrorCodes.CLAIM_LOST,
    `${kind} "${id}": the claim token is not the row's current token (lease expired and reclaimed, or unknown row)`,
    { details: { [`${kind}Id`]: id } },
  );
}

export function oldestFirst(a: OrderRecord, b: OrderRecord): number {
  const byTime = Date.parse(a.createdAt) - Date.parse(b.createdAt);
  if (byTime !== 0) return byTime;
  return a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0;
}

/** Checks the shape of `commit.reservations`; throws INVALID_INPUT naming the path. */
export function validateReservationShape(commit: Commit): void {
  const r = commit.reservations;
  if (r === undefined) return;
  const invalid = (path: string, message: string) =>
    new FulfilError(ErrorCodes.INVALID_INPUT, `commit.reservations.${path}: ${message}`, {
      details: { path: `commit.reservations.${path}`, orderId: commit.orderId },
    });
  if (!Array.isArray(r.take)) throw invalid('take', 'must be an array');
  if (!Array.isArray(r.release)) throw invalid('release', 'must be an array');
  if (r.basis !== undefined && !Number.isFinite(r.basis))
    throw invalid('basis', 'must be a number');
  const keys = new Set<string>();
  r.take.forEach((t, i) => {
    for (const f of ['key', 'locationId', 'sku'] as const)
      if (typeof t[f] !== 'string' || t[f] === '') throw invalid(`take[${i}].${f}`, 'required');
    if (!Number.isInteger(t.quantity) || t.quantity <= 0)
      throw invalid(`take[${i}].quantity`, 'must be a whole number > 0');
    if (!Number.isInteger(t.available) || t.available < 0)
      throw invalid(`take[${i}].available`, 'must be a whole number >= 0');
    if (keys.has(t.key)) throw invalid(`take[${i}].key`, `key "${t.key}" is taken twice`);
    keys.add(t.key);
  });
  r.release.forEach((key, i) => {
    if (typeof key !== 'string') throw invalid(`release[${i}]`, 'must be a string');
  });
}

/** Checks the shape of `commit.completes`; throws INVALID_INPUT naming the path. */
export function validateCompletions(commit: Commit): void {
  const c = commit.completes;
  if (c === undefined) return;
  const invalid = (path: string, message: string) =>
    new FulfilError(ErrorCodes.INVALID_INPUT, `commit.completes${path}: ${message}`, {
      details: { path: `commit.completes${path}`, orderId: commit.orderId },
    });
  if (!Array.isArray(c)) throw invalid('', 'must be an array');
  c.forEach((entry, i) => {
    for (const f of ['commandId', 'claimToken'] as const)
      if (typeof entry?.[f] !== 'string' || entry[f] === '')
        throw invalid(`[${i}].${f}`, 'must be a non-empty string');
  });
}

/** The VERSION_CONFLICT a take that does not fit fails with (shared with other storages' wording). */
export function stockConflict(
  orderId: string,
  p: { locationId: string; sku: string; take: number; available: number },
  reserved: number,
): FulfilError {
  return new FulfilError(
    ErrorCodes.VERSION_CONFLICT,
    `order "${orderId}": ${p.take} unit(s) of "${p.sku}" at "${p.locationId}" do not fit: ${reserved} of ${p.available} already reserved; reload, read stock again and decide again`,
    {
      details: {
        orderId,
        reason: 'stock',
        locationId: p.locationId,
        sku: p.sku,
        requested: p.take,
        reserved,
        available: p.available,
      },
    },
  );
}
