import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OrderInput } from '@fulfil/core';
import { type Io, runCli, shopifyCsvHeader, shopifyCsvRows } from '../src';

/** A temp directory for one test file. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'fulfil-cli-'));
}

/** Runs the CLI in-process and captures its output. */
export async function cli(argv: string[], cwd = process.cwd()) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    errRaw: () => {},
    cwd,
    env: process.env,
    stderrIsTTY: false,
  };
  const code = await runCli(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

let seq = 0;
/** A small order for hand-built exports. */
export function order(
  name: string,
  skus: string[],
  at: string,
  extra: Partial<OrderInput> = {},
): OrderInput {
  seq++;
  const lines = skus.map((sku, i) => ({
    id: `${i + 1}`,
    sku,
    title: sku,
    quantity: 1,
    unitPrice: 2500,
  }));
  const subtotal = lines.length * 2500;
  return {
    id: `o${seq}`,
    source: {
      channel: 'shopify',
      store: 'test.myshopify.com',
      externalId: `gid://shopify/Order/${1000 + seq}`,
      name,
    },
    customer: { email: `${name.slice(1)}@example.com`, tags: [] },
    shippingAddress: {
      name: 'A Person',
      line1: '1 Main St',
      city: 'Boston',
      province: 'MA',
      postalCode: '02116',
      country: 'US',
    },
    lines,
    paymentStatus: 'paid',
    currency: 'USD',
    totals: { subtotal, total: subtotal },
    createdAt: at,
    updatedAt: at,
    ...extra,
  };
}

/** Writes orders as a Shopify export CSV and returns its path. */
export function writeExport(dir: string, file: string, orders: OrderInput[]): string {
  const rows = orders.flatMap((o) =>
    shopifyCsvRows(o, {
      id: /(\d+)$/.exec(o.source.externalId)?.[1] ?? '1',
      financialStatus: 'paid',
    }),
  );
  const path = join(dir, file);
  writeFileSync(path, `${[shopifyCsvHeader(), ...rows].join('\n')}\n`);
  return path;
}

/** Writes a JSON config and returns its path. */
export function writeConfig(dir: string, file: string, config: unknown): string {
  const path = join(dir, file);
  writeFileSync(path, JSON.stringify(config));
  return path;
}
