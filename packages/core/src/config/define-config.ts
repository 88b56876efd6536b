import { z } from 'zod';
import { ErrorCodes, FulfilError, isFulfilError, parseOrThrow } from '../errors';
import { checkMachine } from '../machine/check';
import type { MachineDefinitionInput } from '../machine/schema';
import { Location, type LocationInput } from '../model/facts';
import type { LexiconEntry } from '../notes/lexicon';
import type { RuleBasedRiskScorerOptions } from '../risk/rule-based-risk-scorer';
import { RuleBasedRiskScorerSettings } from '../risk/rule-based-risk-scorer';
import { type KitDefinitionsInput, validateKits } from '../routing/kits';
import { checkRules } from '../rules/check';
import type { RuleInput } from '../rules/schema';

/** Settings of the offline note classifier (`KeywordNoteClassifier`), or `false` for none. */
export interface NotesConfig {
  /** Below this confidence a tag makes the result `uncertain` (and a cascade asks the model). Default 0.7. */
  certainty?: number;
  /** Characters read. Default 2000. */
  maxLength?: number;
  /** Read `3/4` as 3 April. Default: by the note's language. */
  dayFirst?: boolean;
  /** Extra phrases for the keyword lexicon. */
  lexicon?: LexiconEntry[];
}

/** Settings of the rule-based risk scorer (all but `velocity`, which the host supplies). */
export type RiskConfig = Omit<RuleBasedRiskScorerOptions, 'velocity'>;

/**
 * The store's configuration, in one file (`fulfil.config.ts`) read by hosts and by the
 * `fulfil` CLI: data only (JSON-serializable), so it can be checked, drawn and replayed.
 */
export interface FulfilConfig {
  /** Where stock ships from. At least one; each names its warehouse adapter key. */
  locations: LocationInput[];
  /** The rules (plain JSON or built with `rule(...)`). Default: none. */
  rules?: RuleInput[];
  /** The state machine. Default: `defaultMachine`. */
  machine?: MachineDefinitionInput;
  /**
   * Kit / bundle SKUs and their components. Orders from stores that do not send components
   * (a Shopify export, for one) get them from here.
   */
  kits?: KitDefinitionsInput;
  /** The note classifier's settings, or `false` to read no notes. Default: the keyword classifier. */
  notes?: NotesConfig | false;
  /** The risk scorer's settings, or `false` to score nothing. Default: the rule-based scorer. */
  risk?: RiskConfig | false;
  /** The store's IANA time zone. Default `UTC`. */
  timeZone?: string;
  /** Tell customers when their shipment ships. Default true. */
  notifyCustomer?: boolean;
  /** The store the orders come from (links in alerts and reports). */
  store?: {
    /** e.g. `acme.myshopify.com`. */
    domain?: string;
    /** Admin link template, `{externalId}` replaced by the order's numeric id. */
    adminUrl?: string;
    /** Default currency of orders that do not say. Default `USD`. */
    currency?: string;
  };
}

const NotesSchema = z
  .object({
    certainty: z.number().min(0).max(1).optional(),
    maxLength: z.number().int().positive().optional(),
    dayFirst: z.boolean().optional(),
    lexicon: z
      .array(
        z
          .object({
            tag: z.string().min(1),
            confidence: z.number().min(0).max(1),
            negatable: z.boolean().optional(),
            phrases: z.array(z.string().min(1)).min(1),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();

/** The shape `defineConfig` validates (rules, machine and kits get their own deeper checks). */
export const FulfilConfigSchema = z
  .object({
    locations: z.array(Location).min(1, 'at least one location'),
    rules: z.array(z.unknown()).optional(),
    machine: z.record(z.string(), z.unknown()).optional(),
    kits: z.record(z.string(), z.unknown()).optional(),
    notes: z.union([z.literal(false), NotesSchema]).optional(),
    risk: z.union([z.literal(false), RuleBasedRiskScorerSettings]).optional(),
    timeZone: z.string().min(1).optional(),
    notifyCustomer: z.boolean().optional(),
    store: z
      .object({
        domain: z.string().min(1).optional(),
        adminUrl: z.string().min(1).optional(),
        currency: z.string().length(3).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/**
 * Declares the store's configuration with types (an identity function: it returns its
 * argument). Validate it with {@link parseConfig}; the `fulfil` CLI does so on load.
 *
 * @example
 * ```ts
 * // fulfil.config.ts
 * import { defineConfig, noteRules, riskRules } from '@fulfil/core';
 * export default defineConfig({
 *   locations: [{ id: 'east', warehouse: 'east-wh' }],
 *   rules: [...noteRules(), ...riskRules()],
 *   kits: { 'GIFT-BOX': { components: [{ sku: 'MUG', quantity: 1 }] } },
 * });
 * ```
 */
export function defineConfig<const T extends FulfilConfig>(config: T): T {
  return config;
}

/**
 * Validates a configuration and returns it with defaults filled in. Throws
 * `CONFIG_INVALID` whose message starts with the exact path of the first problem
 * (`locations[1].warehouse: ...`, `rules[3].when.all[0].fact: ...`,
 * `machine.states.ready.on.SHIP: ...`, `kits.GIFT.components[0].quantity: ...`,
 * `risk.thresholds.medium: ...`); `details.issues` lists every problem.
 *
 * @example
 * ```ts
 * const config = parseConfig(await import('./fulfil.config.ts').then((m) => m.default));
 * ```
 */
export function parseConfig(input: unknown, source = 'config'): FulfilConfig {
  const prefix = source === 'config' ? '' : `${source}: `;
  const wrap = (err: unknown): never => {
    if (isFulfilError(err) && prefix !== '') {
      throw new FulfilError(err.code, `${prefix}${err.message.replace(`${err.code}: `, '')}`, {
        cause: err,
        ...(err.details === undefined ? {} : { details: err.details }),
      });
    }
    throw err;
  };
  try {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      throw new FulfilError(
        ErrorCodes.CONFIG_INVALID,
        'the configuration must be an object (export default defineConfig({ ... }))',
      );
    }
    // Paths read `locations[0].id`, not `config.locations[0].id`.
    const parsed = parseOrThrow(FulfilConfigSchema, input, '', ErrorCodes.CONFIG_INVALID);
    const seen = new Set<string>();
    parsed.locations.forEach((l, i) => {
      if (seen.has(l.id)) fail(`locations[${i}].id`, `duplicate location id "${l.id}"`);
      seen.add(l.id);
    });
    if (parsed.timeZone !== undefined) {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: parsed.timeZone });
      } catch {
        fail('timeZone', `unknown IANA time zone "${parsed.timeZone}"`);
      }
    }
    if (parsed.machine !== undefined) {
      const errors = checkMachine(parsed.machine as MachineDefinitionInput).filter(
        (i) => i.severity === 'error',
      );
      if (errors.length > 0) issues(errors.map((e) => ({ path: e.path, message: e.message })));
    }
    if (parsed.rules !== undefined) {
      const errors = checkRules(parsed.rules).filter((i) => i.severity === 'error');
      if (errors.length > 0) issues(errors.map((e) => ({ path: e.path, message: e.message })));
    }
    if (parsed.kits !== undefined) validateKits(parsed.kits);
    return input as FulfilConfig;
  } catch (err) {
    return wrap(err);
  }
}

function fail(path: string, message: string): never {
  throw new FulfilError(ErrorCodes.CONFIG_INVALID, `${path}: ${message}`, { details: { path } });
}

function issues(list: { path: string; message: string }[]): never {
  const summary = list
    .slice(0, 5)
    .map((i) => `${i.path}: ${i.message}`)
    .join('; ');
  const more = list.length > 5 ? ` (+${list.length - 5} more)` : '';
  throw new FulfilError(ErrorCodes.CONFIG_INVALID, `${summary}${more}`, {
    details: { path: list[0]?.path, issues: list },
  });
}
