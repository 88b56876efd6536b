import { FulfilError, type HistoryEntry } from '@fulfil/core';
import { createPostgresStorage, runMigrateCli } from '@fulfil/storage-postgres';
import { runAudit } from '../audit/run';
import { loadStock } from '../audit/stock';
import { outcomeOf } from '../audit/tracker';
import { loadConfig } from '../config/load-config';
import type { Io } from './io';

function database(io: Io, schema?: string) {
  if (io.openStorage) {
    const storage = io.openStorage(schema);
    return { storage, close: async () => {} };
  }
  const url = io.env.DATABASE_URL;
  if (!url)
    throw new FulfilError(
      'CONFIG_INVALID',
      'DATABASE_URL is not set (postgres://user@host:5432/db)',
    );
  const storage = createPostgresStorage({ connectionString: url, ...(schema ? { schema } : {}) });
  return { storage, close: () => storage.close() };
}

/** One history entry as a timeline line with its explanation. */
export function formatEntry(h: HistoryEntry): string[] {
  const out = [
    `v${h.version}  ${h.at}  ${h.eventType}  ${h.from ?? '∅'} → ${h.to}`,
    `      ${h.summary}`,
  ];
  for (const stage of h.explanation.stages) {
    for (const r of stage.rules) {
      if (!r.matched) continue;
      const facts = Object.entries(r.facts)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(', ');
      out.push(
        `      rule ${r.ruleId} @${stage.stage} matched (${facts}) → ${r.actions.join(', ')}`,
      );
    }
  }
  if (h.explanation.routing) out.push(`      routing: ${h.explanation.routing.reason}`);
  for (const c of h.explanation.commands) out.push(`      command ${c.type}: ${c.reason}`);
  for (const n of h.explanation.notes) out.push(`      note: ${n}`);
  return out;
}

/** `fulfil explain <order>`: the stored order's timeline with every decision's explanation. */
export async function explainCommand(
  orderId: string,
  opts: { schema?: string; json?: boolean },
  io: Io,
): Promise<number> {
  const { storage, close } = database(io, opts.schema);
  try {
    const record = await storage.load(orderId);
    if (!record) {
      io.err(`ORDER_NOT_FOUND: no order "${orderId}" in ${opts.schema ?? 'the default schema'}`);
      return 1;
    }
    const history = await storage.history(orderId);
    if (opts.json) {
      io.out(JSON.stringify({ record, history }, null, 2));
      return 0;
    }
    io.out(
      `${record.order.source.name ?? orderId} (${orderId}): ${record.status} since ${record.statusSince}, version ${record.version}`,
    );
    if (record.order.source.adminUrl) io.out(record.order.source.adminUrl);
    for (const h of history) for (const line of formatEntry(h)) io.out(line);
    return 0;
  } finally {
    await close();
  }
}

/**
 * `fulfil replay <order>`: decides the stored order again under the current config, in dry
 * run (the order as it arrived, on its own, with `--stock` or unlimited stock), and shows
 * what would change against what was decided.
 */
export async function replayCommand(
  orderId: string,
  opts: { schema?: string; config?: string; stock?: string; json?: boolean },
  io: Io,
): Promise<number> {
  const { config, path } = await loadConfig(opts.config, io.cwd);
  const { storage, close } = database(io, opts.schema);
  try {
    const record = await storage.load(orderId);
    if (!record) {
      io.err(`ORDER_NOT_FOUND: no order "${orderId}"`);
      return 1;
    }
    const history = await storage.history(orderId);
    const stored = outcomeOf({
      orderId,
      name: record.order.source.name ?? orderId,
      createdAt: Date.parse(record.order.createdAt),
      status: record.status,
      visitedReview: record.visited.includes('needs_review'),
      reviewReasons: record.review?.reasons ?? [],
      holds: record.holds.map((h) => ({ reason: h.reason, since: Date.parse(h.since) })),
      rules: new Set(
        history.flatMap((h) =>
          h.explanation.stages.flatMap((s) =>
            s.rules.filter((r) => r.matched).map((r) => r.ruleId),
          ),
        ),
      ),
      locations: new Map(
        record.shipments
          .filter((s) => s.status !== 'rejected' && s.status !== 'cancelled')
          .map((s) => [s.locationId, 0]),
      ),
      shipments: 0,
      backordered: record.backordered.length > 0,
      cost: 0,
      noteTags: [],
      noteUncertain: false,
      hasNote: false,
      currency: record.order.currency,
      summaries: history.map((h) => `${h.at.slice(0, 16)} ${h.summary}`),
    });
    let now: ReturnType<typeof outcomeOf> | undefined;
    await runAudit({
      config,
      configFile: path,
      orders: `stored order ${orderId}`,
      source: [{ order: record.order, row: 1 }],
      stock: await loadStock(opts.stock, config.locations),
      onOutcome: (o) => {
        now = o;
      },
    });
    const changed = now?.outcome !== stored.outcome;
    if (opts.json) io.out(JSON.stringify({ orderId, changed, stored, replayed: now }, null, 2));
    else {
      io.out(`stored:   ${stored.outcome}`);
      for (const l of stored.explanation.slice(0, 8)) io.out(`  ${l}`);
      io.out(`replayed: ${now?.outcome ?? '(no decision)'}  (config ${path})`);
      for (const l of now?.explanation ?? []) io.out(`  ${l}`);
      io.out(changed ? 'would change' : 'no change');
    }
    return 0;
  } finally {
    await close();
  }
}

/** `fulfil migrate`: storage-postgres migrations on DATABASE_URL. */
export async function migrateCommand(opts: { schema?: string }, io: Io): Promise<number> {
  return runMigrateCli(opts.schema ? ['--schema', opts.schema] : [], io.env, io.out, io.err);
}
