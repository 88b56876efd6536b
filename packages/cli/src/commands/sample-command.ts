import { writeFileSync } from 'node:fs';
import { FulfilError } from '@fulfil/core';
import { writeSampleExport } from '../sample/sample';
import type { Io } from './io';

/** `fulfil sample`: a realistic Shopify order export on stdout (or `--out`). */
export async function sampleCommand(
  opts: { orders: string; seed: string; days: string; out?: string; stockOut?: string },
  io: Io,
): Promise<number> {
  const orders = Number(opts.orders);
  const seed = Number(opts.seed);
  const days = Number(opts.days);
  if (!Number.isInteger(orders) || orders < 1)
    throw new FulfilError(
      'INVALID_INPUT',
      `--orders ${opts.orders}: must be a positive whole number`,
    );
  if (!Number.isInteger(seed))
    throw new FulfilError('INVALID_INPUT', `--seed ${opts.seed}: must be a whole number`);
  if (!Number.isInteger(days) || days < 1)
    throw new FulfilError('INVALID_INPUT', `--days ${opts.days}: must be a positive whole number`);
  const chunks: string[] = [];
  let size = 0;
  const flush = () => {
    if (chunks.length === 0) return;
    const text = `${chunks.join('\n')}\n`;
    chunks.length = 0;
    size = 0;
    if (opts.out) writeFileSync(opts.out, text, { flag: 'a' });
    else process.stdout.write(text);
  };
  if (opts.out) writeFileSync(opts.out, '');
  const stock = writeSampleExport({ orders, seed, days }, (line) => {
    chunks.push(line);
    size += line.length;
    if (size > 1 << 20) flush();
  });
  flush();
  if (opts.stockOut) writeFileSync(opts.stockOut, `${JSON.stringify(stock, null, 2)}\n`);
  if (opts.out)
    io.err(
      `wrote ${orders} orders to ${opts.out}${opts.stockOut ? ` and their stock to ${opts.stockOut}` : ''}`,
    );
  return 0;
}
