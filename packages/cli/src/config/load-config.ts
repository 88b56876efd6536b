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
 * The configuration file a host should read, or `undefined` for none: `file` (e.g. the
 * `FULFIL_CONFIG` variable, relative to `cwd`) when given, else the first of
 * {@link CONFIG_FILES} that exists in `cwd`.
 *
 * @example
 * ```ts
 * const file = findConfigFile(process.env.FULFIL_CONFIG); // '/srv/app/fulfil.config.ts' or undefined
 * ```
 */
export function findConfigFile(file?: string, cwd = process.cwd()): string | undefined {
  if (file !== undefined && file.trim() !== '') return isAbsolute(file) ? file : resolve(cwd, file);
  return CONFIG_FILES.map((name) => join(cwd, name)).find((p) => existsSync(p));
}

/**
 * Loads the configuration a host reads, when there is one: `file` (the `FULFIL_CONFIG`
 * variable) or a {@link CONFIG_FILES} name in `cwd`, as {@link loadConfig} does; `undefined`
 * when neither is there, so the host keeps its built-in defaults. A file that is named but
 * missing, cannot be loaded or is invalid throws `CONFIG_INVALID` with the file and the
 * exact path of the problem.
 *
 * @example
 * ```ts
 * const loaded = await loadOptionalConfig(process.env.FULFIL_CONFIG);
 * const engine = createEngine({ ...(loaded ? configEngineOptions(loaded.config) : defaults), ... });
 * ```
 */
export async function loadOptionalConfig(
  file?: string,
  cwd = process.cwd(),
): Promise<LoadedConfig | undefined> {
  const path = findConfigFile(file, cwd);
  return path === undefined ? undefined : loadConfig(path, cwd);
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
  const path = findConfigFile(file, cwd);
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
