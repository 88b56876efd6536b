import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { type FulfilConfig, FulfilError, parseConfig } from '@fulfil/core';
import { createJiti } from 'jiti';

/** File names tried, in order, when no `--config` is given. */
export const CONFIG_FILES = [
  'fulfil.config.ts',
  'fulfil.config.mts',
  'fulfil.config.js',
  'fulfil.config.mjs',
  'fulfil.config.json',
] as const;

/** A loaded, validated configuration and where it came from. */
export interface LoadedConfig {
  config: FulfilConfig;
  path: string;
}

/**
 * Finds and loads `fulfil.config.ts` / `.js` / `.json` (or `file`), with jiti for
 * TypeScript, and validates it with `parseConfig`. The module's default export (or the
 * module itself) is the config. Throws `CONFIG_INVALID` naming the file and the exact
 * path of the problem, or when no file is found.
 *
 * @example
 * ```ts
 * const { config, path } = await loadConfig('examples/quickstart/fulfil.config.ts');
 * ```
 */
export async function loadConfig(file?: string, cwd = process.cwd()): Promise<LoadedConfig> {
  const path = file
    ? isAbsolute(file)
      ? file
      : resolve(cwd, file)
    : CONFIG_FILES.map((name) => join(cwd, name)).find((p) => existsSync(p));
  if (!path) {
    throw new FulfilError(
      'CONFIG_INVALID',
      `no configuration found: pass --config <file>, or add one of ${CONFIG_FILES.join(', ')} to ${cwd}`,
    );
  }
  if (!existsSync(path)) throw new FulfilError('CONFIG_INVALID', `${path}: no such file`);
  let value: unknown;
  try {
    if (path.endsWith('.json')) value = JSON.parse(await readFile(path, 'utf8'));
    else {
      const jiti = createJiti(import.meta.url, { interopDefault: true, moduleCache: false });
      value = await jiti.import(path, { default: true });
    }
  } catch (err) {
    throw new FulfilError('CONFIG_INVALID', `${path}: could not load: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return { config: parseConfig(value, path), path };
}
