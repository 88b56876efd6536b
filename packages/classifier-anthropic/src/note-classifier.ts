import type Anthropic from '@anthropic-ai/sdk';
import {
  localDate,
  type Metrics,
  type NoteClassification,
  type NoteClassifier,
  type Order,
} from '@fulfil/core';
import { type Budget, type BudgetOptions, createBudget } from './budget';
import { LruCache, noteKey } from './cache';
import { type ClientOptions, failureKind, makeClient } from './client';
import { checkNoteOptions } from './options';
import { DEFAULT_EXAMPLES, defaultSystemPrompt, type NoteExample, userMessage } from './prompt';
import { type TaxonomyLike, TOOL_NAME, taxonomyTool, validateOutput } from './taxonomy-tool';

/** The model used unless `model` says otherwise. */
export const DEFAULT_NOTE_MODEL = 'claude-haiku-4-5';

/** An offline classifier for the cascade; `suspicious` (as core's `KeywordNoteClassifier` has) keeps injections in review. */
export interface OfflineNoteClassifier extends NoteClassifier {
  suspicious?(note: string): boolean;
}

/** Options of {@link createClaudeNoteClassifier}. */
export interface ClaudeNoteClassifierOptions extends ClientOptions {
  /** Runs first; its result is the answer when it is sure, and the fallback when the model fails. */
  offline: OfflineNoteClassifier;
  /** The tags the model may use (core's `NOTE_TAXONOMY`, or yours). */
  taxonomy: TaxonomyLike;
  /** Reported as `classifier` on model answers. Default `claude`. */
  name?: string;
  /** Default {@link DEFAULT_NOTE_MODEL}. */
  model?: string;
  /** Default 400. */
  maxTokens?: number;
  /** Replaces the default system prompt. */
  system?: string;
  /** Worked examples for the default prompt. Default {@link DEFAULT_EXAMPLES}. */
  examples?: NoteExample[];
  /** Longest note sent to the model (longer ones are cut). Default 4000. */
  maxNoteChars?: number;
  /** `uncertain` (default): ask the model only when the offline result is uncertain or `other`; `always`: every non-trivial note. */
  ask?: 'uncertain' | 'always';
  /**
   * Model calls per minute and tokens per day, per store, on @fulfil/http's limiter
   * (in this process, or shared by every process through `budget.redis`). The
   * cascade never waits for it: over it, the offline result is used.
   */
  budget?: BudgetOptions;
  /** Model answers kept, by normalized note. Default 5000; 0 turns the cache off. */
  cacheSize?: number;
  /**
   * Receives `note_cascade{path}`, `llm_calls{model,outcome}`, `llm_tokens{model,kind}`,
   * `llm_ms{model}` and `llm_budget_refused{model,limit}` (limit: calls, tokens, unavailable).
   */
  metrics?: Metrics;
}

/** The cascade classifier, with a look at its budget. */
export interface ClaudeNoteClassifier extends NoteClassifier {
  /** Budget left for a store now. */
  remaining(store: string): Promise<{ calls: number; tokens: number }>;
  /** Closes the budget's limiters (timers, Redis connections). Call it on shutdown. */
  close(): Promise<void>;
}

const NO_METRICS: Metrics = { increment() {}, observe() {} };

/**
 * Creates the cascade note classifier: the offline classifier first; Claude
 * only for notes the offline one is unsure about (or reads as `other`), by
 * forced tool use whose input schema is the taxonomy. The model's output is
 * validated: a tag outside the taxonomy, an extra field or a bad date is
 * dropped and makes the result `uncertain` (so the order goes to review).
 *
 * Contract:
 * - MUST return only taxonomy tags; MUST never throw from `classify`.
 * - On API errors, timeouts, refusals, invalid output or an exhausted budget it
 *   MUST return the offline result (uncertain stays uncertain → review).
 * - It MUST NOT wait for the budget: a store over its calls per minute or tokens
 *   per day (or a budget store that does not answer in `budget.timeoutMs`) gets
 *   the offline result at once, counted in `llm_budget_refused`.
 * - A note the offline classifier finds `suspicious`, or one longer than `maxNoteChars`,
 *   stays `uncertain`, whatever the model says.
 *
 * @example
 * ```ts
 * import { KeywordNoteClassifier, NOTE_TAXONOMY } from '@fulfil/core';
 * const classifier = createClaudeNoteClassifier({
 *   offline: new KeywordNoteClassifier(),
 *   taxonomy: NOTE_TAXONOMY,
 *   // one budget per store, shared by every process through Redis
 *   budget: { callsPerMinute: 30, tokensPerDay: 200_000, redis: { client: new Redis(url) } },
 * });
 * const engine = createEngine({ ..., classifier, rules: noteRules() });
 * // on shutdown
 * await classifier.close();
 * ```
 */
export function createClaudeNoteClassifier(
  options: ClaudeNoteClassifierOptions,
): ClaudeNoteClassifier {
  checkNoteOptions(options);
  const client: Anthropic = makeClient(options, 'createClaudeNoteClassifier');
  const name = options.name ?? 'claude';
  const model = options.model ?? DEFAULT_NOTE_MODEL;
  const maxTokens = options.maxTokens ?? 400;
  const maxNoteChars = options.maxNoteChars ?? 4000;
  const taxonomy = options.taxonomy;
  const tool = taxonomyTool(taxonomy);
  const system =
    options.system ?? defaultSystemPrompt(taxonomy, options.examples ?? DEFAULT_EXAMPLES);
  const metrics = options.metrics ?? NO_METRICS;
  const budget: Budget = createBudget(options.budget);
  const toolChars = JSON.stringify(tool).length;
  const cache = new LruCache<NoteClassification>(options.cacheSize ?? 5000);
  const offline = options.offline;

  async function classify(
    note: string,
    context: { order: Order; timeZone: string; now: number },
  ): Promise<NoteClassification> {
    let first: NoteClassification;
    try {
      first = await offline.classify(note, context);
    } catch {
      first = { tags: [], uncertain: true, classifier: `${offline.name} (failed)` };
    }
    const trivial = first.tags.length === 0 && !first.uncertain;
    const unsure = first.uncertain || first.tags.some((t) => t.tag === 'other');
    if (trivial || (options.ask !== 'always' && !unsure)) {
      metrics.increment('note_cascade', { path: trivial ? 'trivial' : 'offline' });
      return first;
    }
    // A note the model cannot see whole, or one that talks to a machine, stays uncertain.
    const suspicious =
      note.length > maxNoteChars || safe(() => offline.suspicious?.(note) ?? false);
    const today =
      safe(() => localDate(context.timeZone, context.now)) ||
      new Date(context.now).toISOString().slice(0, 10);
    const key = noteKey(note, today, context.timeZone);
    const cached = cache.get(key);
    if (cached) {
      metrics.increment('note_cascade', { path: 'cache' });
      return { ...cached, uncertain: cached.uncertain || suspicious };
    }
    const fallback = (reason: string): NoteClassification => {
      metrics.increment('note_cascade', { path: 'fallback', reason });
      return { ...first, classifier: `${first.classifier} (${name} fallback: ${reason})` };
    };
    const store = context.order?.source?.store ?? 'default';
    const content = userMessage(note, today, context.timeZone, maxNoteChars);
    // Reserve generously (about 3 characters a token, plus the whole answer), settle after.
    const reserved = Math.ceil((system.length + content.length + toolChars) / 3) + maxTokens;
    const taken = await budget.take(store, reserved).catch(() => ({
      ok: false as const,
      limit: 'unavailable' as const,
    }));
    if (!taken.ok) {
      metrics.increment('llm_budget_refused', { model, limit: taken.limit });
      return fallback(taken.limit === 'unavailable' ? 'budget_unavailable' : 'budget');
    }
    const started = performance.now();
    let message: Anthropic.Message;
    try {
      message = await client.messages.create({
        model,
        max_tokens: maxTokens,
        system,
        messages: [{ role: 'user', content }],
        tools: [tool],
        tool_choice: { type: 'tool', name: TOOL_NAME, disable_parallel_tool_use: true },
      });
    } catch (err) {
      // A failed request is not billed: the reservation goes back.
      void budget.settle(store, reserved, 0).catch(() => {});
      metrics.increment('llm_calls', { model, outcome: failureKind(err) });
      return fallback(failureKind(err));
    }
    metrics.observe('llm_ms', performance.now() - started, { model });
    const input = message.usage?.input_tokens ?? 0;
    const output = message.usage?.output_tokens ?? 0;
    // Settled in the background: the answer does not wait for the budget store.
    void budget.settle(store, reserved, input + output).catch(() => {});
    metrics.increment('llm_tokens', { model, kind: 'input' }, input);
    metrics.increment('llm_tokens', { model, kind: 'output' }, output);
    if (message.stop_reason === 'refusal') return done('refusal');
    const block = message.content?.find((b) => b.type === 'tool_use' && b.name === TOOL_NAME);
    if (block === undefined || block.type !== 'tool_use') return done('no_tool_use');
    const valid = validateOutput(block.input, taxonomy, today);
    if (valid === undefined) return done('invalid_output');
    metrics.increment('llm_calls', { model, outcome: valid.dropped.length > 0 ? 'dropped' : 'ok' });
    metrics.increment('note_cascade', { path: 'model' });
    const result: NoteClassification = {
      tags: valid.tags,
      uncertain: valid.uncertain || valid.dropped.length > 0,
      classifier: name,
    };
    if (valid.dropped.length === 0) cache.set(key, result);
    return { ...result, uncertain: result.uncertain || suspicious };

    function done(outcome: string): NoteClassification {
      metrics.increment('llm_calls', { model, outcome });
      return fallback(outcome);
    }
  }

  return {
    name,
    classify,
    remaining: (store) => budget.remaining(store),
    close: () => budget.close(),
  };
}

function safe<T>(f: () => T): T | false {
  try {
    return f();
  } catch {
    return false;
  }
}
