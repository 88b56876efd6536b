import { type Commit, FulfilError, formatPath } from '@fulfil/core';
import { z } from 'zod';

// Validation of a commit before it reaches the database. Internal.

const Text = z.string();
const Iso = Text.refine((v) => !Number.isNaN(Date.parse(v)), {
  message: 'must be an ISO 8601 timestamp',
});
const CommitShape = z.object({
  orderId: Text,
  expectedVersion: z.number().int().nonnegative(),
  record: z
    .object({
      orderId: Text,
      version: z.number().int().positive(),
      status: Text,
      statusSince: Iso,
      createdAt: Iso,
      updatedAt: Iso,
      order: z
        .object({ createdAt: Iso, source: z.object({ store: Text, externalId: Text }).loose() })
        .loose(),
      review: z.object({ since: Iso }).loose().optional(),
    })
    .loose(),
  history: z
    .object({
      orderId: Text,
      version: z.number().int(),
      at: Iso,
      eventType: Text,
      from: Text.nullable(),
      to: Text,
    })
    .loose(),
  commands: z.array(
    z.object({ id: Text, orderId: Text, idempotencyKey: Text, type: Text }).loose(),
  ),
  timers: z.array(
    z
      .object({
        id: Text,
        orderId: Text,
        purpose: Text,
        dueAt: Iso,
      })
      .loose(),
  ),
  cancelTimerIds: z.array(Text),
  inboxKeys: z.array(Text),
  reservations: z
    .object({
      take: z.array(
        z.object({
          key: Text.min(1),
          locationId: Text.min(1),
          sku: Text.min(1),
          quantity: z.number().int().positive(),
          available: z.number().int().nonnegative(),
        }),
      ),
      release: z.array(Text),
      basis: z.number().int().nonnegative().optional(),
    })
    .optional(),
  completes: z.array(z.object({ commandId: Text.min(1), claimToken: Text.min(1) })).optional(),
});

/** Validates a commit's shape and its internal consistency; throws `INVALID_INPUT` naming the path. */
export function checkCommit(commit: Commit): void {
  const parsed = CommitShape.safeParse(commit);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = formatPath(issue?.path ?? [], 'commit');
    throw invalid(commit?.orderId, path, issue?.message ?? 'invalid', parsed.error);
  }
  const { orderId, expectedVersion, record, history } = commit;
  if (record.orderId !== orderId) {
    throw invalid(orderId, 'commit.record.orderId', `must be "${orderId}"`);
  }
  if (record.version !== expectedVersion + 1) {
    throw invalid(
      orderId,
      'commit.record.version',
      `must be expectedVersion + 1 (${expectedVersion + 1})`,
    );
  }
  if (history.orderId !== orderId || history.version !== record.version) {
    throw invalid(
      orderId,
      'commit.history',
      `must be for order "${orderId}" version ${record.version}`,
    );
  }
  const ids = new Set<string>();
  for (const [i, command] of commit.commands.entries()) {
    if (ids.has(command.id)) {
      throw invalid(orderId, `commit.commands[${i}].id`, `duplicate command id "${command.id}"`);
    }
    ids.add(command.id);
  }
  const keys = new Set<string>();
  for (const [i, take] of (commit.reservations?.take ?? []).entries()) {
    if (keys.has(take.key)) {
      throw invalid(
        orderId,
        `commit.reservations.take[${i}].key`,
        `key "${take.key}" is taken twice`,
      );
    }
    keys.add(take.key);
  }
}

export function invalid(
  orderId: unknown,
  path: string,
  message: string,
  cause?: unknown,
): FulfilError {
  return new FulfilError('INVALID_INPUT', `${path}: ${message}`, {
    ...(cause === undefined ? {} : { cause }),
    details: { path, orderId },
  });
}
