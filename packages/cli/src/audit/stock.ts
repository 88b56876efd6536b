import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { FulfilError, type InventorySnapshot, type LocationInput } from '@fulfil/core';
import { parse } from 'csv-parse';
import { z } from 'zod';

/** Stock for an audit: a table per location and SKU, or unlimited units everywhere. */
export type AuditStock =
  | { kind: 'unlimited' }
  | { kind: 'table'; table: InventorySnapshot; source: string };

const Snapshot = z.record(z.string(), z.record(z.string(), z.number().int().nonnegative()));

/**
 * Reads `--stock`: `unlimited`, a JSON snapshot (`{ "east": { "SKU": 12 } }`), or Shopify's
 * inventory export CSV (2024 layout: `Handle, Title, Option1 Name, ..., SKU, HS Code, COO,
 * Location, Bin name, Incoming (not editable), Unavailable (not editable), Committed (not
 * editable), Available (not editable), On hand (current), On hand (new)`), whose `Location`
 * names are matched to the config's locations by name or id. Throws `INVALID_INPUT` naming
 * the file and what is wrong.
 */
export async function loadStock(
  spec: string | undefined,
  locations: LocationInput[],
): Promise<AuditStock> {
  if (spec === undefined || spec === 'unlimited') return { kind: 'unlimited' };
  if (/\.json$/i.test(spec)) {
    let json: unknown;
    try {
      json = JSON.parse(await readFile(spec, 'utf8'));
    } catch (err) {
      throw new FulfilError('INVALID_INPUT', `--stock ${spec}: ${(err as Error).message}`);
    }
    const parsed = Snapshot.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new FulfilError(
        'INVALID_INPUT',
        `--stock ${spec}: ${issue?.path.join('.') || '(root)'}: ${issue?.message} (expected { "<location id>": { "<sku>": units } })`,
      );
    }
    const known = new Set(locations.map((l) => l.id));
    const unknown = Object.keys(parsed.data).filter((id) => !known.has(id));
    if (unknown.length > 0)
      throw new FulfilError(
        'INVALID_INPUT',
        `--stock ${spec}: unknown location${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (config has ${[...known].join(', ')})`,
      );
    return { kind: 'table', table: parsed.data, source: spec };
  }
  if (/\.csv$/i.test(spec))
    return { kind: 'table', table: await readInventoryCsv(spec, locations), source: spec };
  throw new FulfilError(
    'INVALID_INPUT',
    `--stock ${spec}: expected "unlimited", a .json snapshot or a Shopify inventory .csv`,
  );
}

async function readInventoryCsv(
  file: string,
  locations: LocationInput[],
): Promise<InventorySnapshot> {
  const byName = new Map<string, string>();
  for (const l of locations) {
    byName.set(l.id.toLowerCase(), l.id);
    if (l.name) byName.set(l.name.toLowerCase(), l.id);
  }
  const table: InventorySnapshot = {};
  let header: Map<string, number> | undefined;
  const parser = createReadStream(file).pipe(
    parse({ bom: true, relax_column_count: true, skip_empty_lines: true }),
  );
  for await (const record of parser as AsyncIterable<string[]>) {
    if (!header) {
      header = new Map(record.map((h, i) => [h.trim(), i]));
      const units = ['Available (not editable)', 'Available', 'On hand (current)'].find((c) =>
        header?.has(c),
      );
      const missing = ['SKU', 'Location'].filter((c) => !header?.has(c));
      if (!units) missing.push('Available (not editable)');
      if (missing.length > 0)
        throw new FulfilError(
          'INVALID_INPUT',
          `--stock ${file}: not a Shopify inventory export, missing ${missing.map((m) => `"${m}"`).join(', ')}`,
        );
      header.set('#units', header.get(units as string) as number);
      continue;
    }
    const get = (c: string) => (record[header?.get(c) ?? -1] ?? '').trim();
    const sku = get('SKU');
    const location = byName.get(get('Location').toLowerCase());
    const units = Number(get('#units') || '0');
    if (!sku || !location || !Number.isFinite(units)) continue;
    const row = table[location] ?? {};
    row[sku] = (row[sku] ?? 0) + Math.max(0, Math.floor(units));
    table[location] = row;
  }
  if (!header) throw new FulfilError('INVALID_INPUT', `--stock ${file}: the file is empty`);
  return table;
}
