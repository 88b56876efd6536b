import { createHash, randomBytes } from 'node:crypto';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { FulfilError, parseOptions } from '@fulfil/core';
import { z } from 'zod';

/** Options of {@link createPGlite}. */
export interface CreatePGliteOptions {
  /**
   * Directory holding the cached empty data directory, a file
   * `fulfil-pglite-<build>.tar` (default `os.tmpdir()`). It must exist.
   */
  cacheDir?: string | undefined;
  /** `false`: neither read nor write the cache, always run initdb (default `true`). */
  cache?: boolean | undefined;
}

const OptionsSchema = z.object({
  cacheDir: z.string().min(1).optional(),
  cache: z.boolean().optional(),
} satisfies Record<keyof CreatePGliteOptions, z.ZodType>);

/**
 * Starts a fresh, empty, in-memory PGlite (PostgreSQL embedded in this process), fast.
 *
 * A PGlite's first start runs initdb, which takes seconds (more on a busy machine). So the
 * empty data directory is cached as a tar in `cacheDir`, keyed by the installed PGlite build,
 * and later starts load it instead. Every instance starts empty: nothing written to one is
 * ever seen by another. A missing or unreadable cache falls back to a plain start (which
 * then writes the cache, atomically); failing to write it is ignored, it only saves time.
 * Meant for tests, demos and local tools; close the instance with `pglite.close()`.
 *
 * `@electric-sql/pglite` is an optional peer dependency, loaded only when this is called:
 * without it this throws a `FulfilError` with code `CONFIG_INVALID`.
 *
 * @example
 * ```ts
 * import { createPostgresStorage } from '@fulfil/storage-postgres';
 * import { createPGlite } from '@fulfil/storage-postgres/pglite';
 *
 * const pglite = await createPGlite();
 * const storage = createPostgresStorage({ pglite });
 * await storage.migrate();
 * // ...
 * await storage.close();
 * await pglite.close();
 * ```
 */
export async function createPGlite(options: CreatePGliteOptions = {}): Promise<PGlite> {
  parseOptions(OptionsSchema, options, 'createPGlite', { optional: true });
  const { PGlite } = await loadPGlite();
  if (options.cache === false) return PGlite.create();
  const build = createHash('sha1')
    .update(import.meta.resolve('@electric-sql/pglite'))
    .digest('hex');
  const file = join(options.cacheDir ?? tmpdir(), `fulfil-pglite-${build.slice(0, 12)}.tar`);
  try {
    const data = await readFile(file);
    // Given data that is not a tar, PGlite fails with a rejection it does not propagate
    // (an unhandled rejection crashes the process), so only a well-formed tar is handed to it.
    if (isWholeTar(data)) return await PGlite.create({ loadDataDir: new Blob([data]) });
  } catch {
    // No usable cache: start fresh and write one.
  }
  const pglite = await PGlite.create();
  const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    const dump = await pglite.dumpDataDir('none');
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await rename(partial, file);
  } catch {
    // The cache is only a speed-up.
    await unlink(partial).catch(() => {});
  }
  return pglite;
}

/** Imports the optional peer dependency, or says how to install it. */
async function loadPGlite(): Promise<typeof import('@electric-sql/pglite')> {
  try {
    return await import('@electric-sql/pglite');
  } catch (err) {
    if (!isModuleNotFound(err)) throw err;
    throw new FulfilError(
      'CONFIG_INVALID',
      'createPGlite needs the optional peer dependency @electric-sql/pglite: install it (npm install @electric-sql/pglite)',
      { cause: err },
    );
  }
}

/** True when `err`, or an error it wraps (as loaders and test runners do), is "module not found". */
function isModuleNotFound(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return true;
  }
  return false;
}

const BLOCK = 512;

/**
 * True when `data` is a whole uncompressed tar: every header's checksum is right and every
 * entry fits, up to the end-of-archive block or the end of the data. Catches a truncated,
 * overwritten or foreign file (not a changed byte inside a file's contents).
 */
function isWholeTar(data: Uint8Array): boolean {
  if (data.length < BLOCK || data.length % BLOCK !== 0) return false;
  let offset = 0;
  while (offset < data.length) {
    const header = data.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) return offset > 0;
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
    if (sum !== octal(header.subarray(148, 156))) return false;
    const size = octal(header.subarray(124, 136));
    if (Number.isNaN(size)) return false;
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return offset === data.length;
}

/** A tar header's octal number field (NUL- or space-terminated); NaN when malformed. */
function octal(field: Uint8Array): number {
  const text = Buffer.from(field)
    .toString('latin1')
    .replace(/[\0 ]+$/, '')
    .trim();
  return /^[0-7]+$/.test(text) ? Number.parseInt(text, 8) : Number.NaN;
}
