import { FulfilError, parseOptions } from '@fulfil/core';
import { headerProblem } from './request-guard';
import {
  type Generic3plConfig,
  Generic3plConfigSchema,
  type MappingRule,
  type ResolvedConfig,
} from './schema';

/** The `{placeholders}` each operation's path, query and headers may use. */
export const PLACEHOLDERS = {
  submit: [
    'reference',
    'shipmentId',
    'orderId',
    'locationId',
    'vendorLocationId',
    'idempotencyKey',
  ],
  getOrder: ['reference', 'shipmentId'],
  cancel: ['reference', 'shipmentId', 'warehouseOrderId'],
  inventory: ['skus'],
  listShipments: ['since', 'sinceMs', 'sinceSeconds'],
} as const;

type OperationName = keyof typeof PLACEHOLDERS;

const fail = (path: string, message: string): never => {
  throw new FulfilError('CONFIG_INVALID', `${path}: ${message}`, { details: { path } });
};

/** The `{names}` used in a template. */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1] ?? '');
}

/**
 * Validates a generic 3PL configuration and applies its defaults. Throws a
 * `FulfilError` with code `CONFIG_INVALID` whose message and `details.path`
 * name the bad field exactly (e.g. `operations.submit.path`).
 *
 * @example
 * ```ts
 * const config = parseGeneric3plConfig(JSON.parse(await readFile('acme-3pl.json', 'utf8')));
 * ```
 */
export function parseGeneric3plConfig(input: unknown): ResolvedConfig {
  const config = parseOptions(Generic3plConfigSchema, input, 'createGeneric3plWarehouse');
  for (const [name, allowed] of Object.entries(PLACEHOLDERS) as [
    OperationName,
    readonly string[],
  ][]) {
    const op = config.operations[name];
    if (!op) continue;
    const check = (where: string, template: string) => {
      for (const used of placeholdersOf(template)) {
        if (!allowed.includes(used))
          fail(
            where,
            `unknown placeholder {${used}} in "${template}"; ${name} can use: ${allowed.map((a) => `{${a}}`).join(', ')}`,
          );
      }
    };
    check(`operations.${name}.path`, op.path);
    if (/^[a-z][a-z0-9+.-]*:/i.test(op.path) || op.path.startsWith('//'))
      fail(`operations.${name}.path`, `must be a path relative to baseUrl, got "${op.path}"`);
    for (const [k, v] of Object.entries(op.query ?? {})) check(`operations.${name}.query.${k}`, v);
    for (const [k, v] of Object.entries(op.headers ?? {}))
      check(`operations.${name}.headers.${k}`, v);
  }
  checkConfigHeaders(config);
  const submit = config.operations.submit;
  const carried =
    config.idempotency.header !== undefined ||
    usesReference(submit.body ?? []) ||
    [
      submit.path,
      ...Object.values(submit.query ?? {}),
      ...Object.values(submit.headers ?? {}),
    ].some((t) => placeholdersOf(t).includes('reference'));
  if (!carried)
    fail(
      'operations.submit.body',
      'nothing carries the idempotency reference: map a body field from "reference" (e.g. { "to": "reference_id", "from": "reference" }) or set idempotency.header',
    );
  const needsLookup = (path: string, why: string) => {
    if (!config.operations.getOrder) fail(path, `${why}, which needs operations.getOrder`);
  };
  const cancel = config.operations.cancel;
  if (cancel) {
    const templates = [cancel.path, ...Object.values(cancel.query ?? {})];
    if (templates.some((t) => placeholdersOf(t).includes('warehouseOrderId')))
      needsLookup('operations.cancel.path', 'uses {warehouseOrderId}, looked up by reference');
  }
  if (config.idempotency.conflict)
    needsLookup('idempotency.conflict', 'a conflict is resolved by looking the order up');
  return config;
}

/** Headers built from configuration must be sendable (fetch refuses CR/LF and non-Latin-1). */
function checkConfigHeaders(config: ResolvedConfig): void {
  const check = (where: string, name: string, value: string) => {
    const problem = headerProblem(name, value);
    if (problem) fail(where, problem);
  };
  for (const [k, v] of Object.entries(config.headers ?? {})) check(`headers.${k}`, k, v);
  const auth = config.auth;
  if (auth.type === 'bearer') check('auth.token', 'authorization', `Bearer ${auth.token}`);
  if (auth.type === 'apiKey') check('auth.value', auth.header, `${auth.prefix ?? ''}${auth.value}`);
  if (config.idempotency.header) check('idempotency.header', config.idempotency.header, 'x');
  for (const [name, op] of Object.entries(config.operations)) {
    for (const [k, v] of Object.entries(op?.headers ?? {}))
      check(`operations.${name}.headers.${k}`, k, v.replace(/\{[^{}]*\}/g, ''));
  }
}

function usesReference(rules: MappingRule[]): boolean {
  return rules.some((r) => {
    const from = r.from === undefined ? [] : Array.isArray(r.from) ? r.from : [r.from];
    return (
      from.some((f) => f === 'reference' || f === '$.reference') || usesReference(r.fields ?? [])
    );
  });
}

export type { Generic3plConfig, ResolvedConfig };
