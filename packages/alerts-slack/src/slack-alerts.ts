import {
  type Alert,
  type AlertSink,
  ErrorCodes,
  FulfilError,
  functionOption,
  parseOptions,
} from '@fulfil/core';
import {
  createRateLimiter,
  isUnknownOutcome,
  type RateLimiter,
  type RedisClustering,
  sleep,
} from '@fulfil/http';
import { WebClient } from '@slack/web-api';
import { IncomingWebhook } from '@slack/webhook';
import { z } from 'zod';
import { ALERT_EVENT_TYPE, alertMessage, type Block, digestMessage } from './blocks';
import { createDigests, type DigestOptions } from './digest';
import { toSlackError } from './errors';

/** Options of {@link createSlackAlerts}: give `token` + `channel`, or `webhookUrl`. */
export interface SlackAlertsOptions {
  /** A bot token (`xoxb-…`, scope `chat:write`, plus `channels:history` for duplicate checks). */
  token?: string;
  /** The channel id to post to (with `token`). */
  channel?: string;
  /** An incoming-webhook URL (posts to the channel chosen when it was created). */
  webhookUrl?: string;
  /** The console's page of an order, e.g. `(id) => \`https://ops.example.com/orders/${id}\``. */
  consoleUrl?: (orderId: string) => string;
  /** The console page a flood digest links to. */
  consoleHomeUrl?: string;
  /**
   * The suggested action shown under the reason. Default: for review alerts, "Approve or
   * cancel below, or open the order to change it."; none for others.
   */
  suggest?: (alert: Alert, review: boolean) => string | undefined;
  /** Which alerts get Approve / Cancel / Open buttons. Default: titles ending "needs review". */
  isReview?: (alert: Alert) => boolean;
  /** The Web API base URL (tests point it at the fake). Default `https://slack.com/api/`. */
  slackApiUrl?: string;
  /** Per-request timeout. Default 10 000 ms. */
  timeoutMs?: number;
  /** Spacing between posts to one channel. Default 1000 ms (Slack allows about 1 per second). */
  paceMs?: number;
  /**
   * Share each channel's pace across processes through Redis (an ioredis client); the
   * limit's id is `slack:<channel>` (`slack:webhook:<host>` for a webhook).
   */
  redis?: Omit<RedisClustering, 'id'>;
  /** The limiter of a channel, when you build it yourself (overrides `paceMs` and `redis`). */
  limiterFor?: (channel: string) => RateLimiter;
  /** How many 429 answers one send waits out (Retry-After) before failing retryably. Default 3. */
  maxRateLimitWaits?: number;
  /** Flood digests; `false` posts every alert. */
  digest?: DigestOptions | false;
  /**
   * When a post first reads `conversations.history` for the alert's key (token mode):
   * `after-unknown` (default) only when this process saw an earlier post of it end without an
   * answer; `always` before every post, so a retry in another process (after a crash) is
   * caught too, at one history call (Slack tier 3, ~50/min) per alert.
   */
  checkHistory?: 'after-unknown' | 'always';
  /** How far back the duplicate check reads the channel history. Default 1 hour. */
  historyLookbackMs?: number;
  now?: () => number;
}

type Payload = { text: string; blocks: Block[] };

const fn = () => functionOption();
const OptionsSchema = z.object({
  token: z.string().min(1).optional(),
  channel: z.string().min(1).optional(),
  webhookUrl: z.url({ protocol: /^https?$/ }).optional(),
  consoleUrl: fn().optional(),
  consoleHomeUrl: z.string().min(1).optional(),
  suggest: fn().optional(),
  isReview: fn().optional(),
  slackApiUrl: z.url({ protocol: /^https?$/ }).optional(),
  timeoutMs: z.number().positive().optional(),
  paceMs: z.number().nonnegative().optional(),
  redis: z
    .custom<NonNullable<SlackAlertsOptions['redis']>>((v) => typeof v === 'object' && v !== null, {
      message: 'expected Redis clustering settings ({ client, ... })',
    })
    .optional(),
  limiterFor: fn().optional(),
  maxRateLimitWaits: z.number().int().nonnegative().optional(),
  digest: z
    .union([
      z.literal(false),
      z
        .object({
          after: z.number().int().positive().optional(),
          windowMs: z.number().positive().optional(),
        })
        .strict(),
    ])
    .optional(),
  checkHistory: z.enum(['after-unknown', 'always']).optional(),
  historyLookbackMs: z.number().positive().optional(),
  now: fn().optional(),
} satisfies Record<keyof SlackAlertsOptions, z.ZodType>);

/** The Slack sink: an `AlertSink` you can close (stops its limiters, closes Redis duplicates). */
export interface SlackAlertSink extends AlertSink {
  close(): Promise<void>;
}

/**
 * An `AlertSink` posting Block Kit messages to Slack through the official clients:
 * `@slack/web-api` `chat.postMessage` with a bot token, or `@slack/webhook` with an
 * incoming-webhook URL.
 *
 * - Posts are paced per channel (`paceMs`, through `@fulfil/http`'s limiter); a 429 is waited
 *   out for its `Retry-After`.
 * - Review alerts carry Approve / Cancel / Open buttons whose values are the order id (see
 *   `createSlackActionsHandler`).
 * - A flood (the same reason more than `digest.after` times within `digest.windowMs`) becomes
 *   one digest message whose count is kept up to date.
 * - With a token, each message carries `metadata` with the alert's idempotency key; a send
 *   retried after an unknown outcome (timeout) first reads `conversations.history` and does
 *   not post again when the message is there. (Incoming webhooks cannot be checked.)
 *
 * Errors are `FulfilError`s (`ADAPTER_FAILED`, `details.retryable`): 429, 5xx and network
 * failures are retryable; `invalid_auth`, `channel_not_found` are not.
 *
 * @example
 * ```ts
 * const alerts = createSlackAlerts({ token: process.env.SLACK_BOT_TOKEN, channel: 'C0123',
 *   consoleUrl: (id) => `https://ops.example.com/orders/${id}` });
 * const engine = createEngine({ ...options, alerts });
 * ```
 */
export function createSlackAlerts(options: SlackAlertsOptions): SlackAlertSink {
  parseOptions(OptionsSchema, options, 'createSlackAlerts');
  const { token, webhookUrl, channel } = options;
  if ((token === undefined) === (webhookUrl === undefined))
    throw new FulfilError(
      ErrorCodes.CONFIG_INVALID,
      'createSlackAlerts needs exactly one of token or webhookUrl',
    );
  if (token !== undefined && !channel)
    throw new FulfilError(
      ErrorCodes.CONFIG_INVALID,
      'createSlackAlerts with a token needs a channel id',
    );
  const now = options.now ?? Date.now;
  const timeout = options.timeoutMs ?? 10_000;
  const paceMs = options.paceMs ?? 1000;
  const isReview = options.isReview ?? ((a: Alert) => /needs review$/i.test(a.title.trim()));
  const web = token
    ? new WebClient(token, {
        ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {}),
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
        timeout,
      })
    : undefined;
  const hook = webhookUrl
    ? new IncomingWebhook(webhookUrl, { timeout, retryConfig: { retries: 0 } })
    : undefined;
  const target = channel ?? `webhook:${webhookHost(webhookUrl)}`;
  const url = web ? `${web.slackApiUrl}chat.postMessage` : (webhookUrl ?? '');
  const limiters = new Map<string, RateLimiter>();
  const limiter = (ch: string): RateLimiter => {
    let l = limiters.get(ch);
    if (!l) {
      l =
        options.limiterFor?.(ch) ??
        createRateLimiter({
          kind: 'token-bucket',
          // The limiter restores units every 100 ms; a bucket of one tick's worth keeps short
          // paces exact, and minSpacingMs keeps posts `paceMs` apart within it.
          capacity: Math.max(1, Math.ceil(100 / paceMs)),
          refillPerSecond: 1000 / paceMs,
          minSpacingMs: paceMs,
          ...(options.redis ? { redis: { ...options.redis, id: `slack:${ch}` } } : {}),
        });
      limiters.set(ch, l);
    }
    return l;
  };
  /**
   * Runs a call through the channel's limiter and, with the built-in limiter, also keeps
   * calls of this process `paceMs` apart (bottleneck's spacing drifts below short paces).
   */
  let last = 0;
  let chain: Promise<unknown> = Promise.resolve();
  function paced<T>(fn: () => Promise<T>): Promise<T> {
    return limiter(target).schedule(async () => {
      if (options.limiterFor) return fn();
      const turn = chain.then(async () => {
        const wait = last + paceMs - Date.now();
        if (wait > 0) await sleep(wait);
        last = Date.now();
      });
      chain = turn.catch(() => {});
      await turn;
      return fn();
    });
  }

  /** Keys whose last post ended without an answer: check the history before posting again. */
  const uncertain = new Set<string>();

  async function alreadyPosted(key: string): Promise<string | undefined> {
    if (!web || !channel) return undefined;
    const oldest = ((now() - (options.historyLookbackMs ?? 3_600_000)) / 1000).toFixed(6);
    try {
      const res = await web.conversations.history({
        channel,
        oldest,
        limit: 200,
        include_all_metadata: true,
      });
      const hit = (res.messages ?? []).find(
        (m) =>
          m.metadata?.event_type === ALERT_EVENT_TYPE &&
          (m.metadata.event_payload as { key?: unknown } | undefined)?.key === key,
      );
      return hit?.ts;
    } catch (err) {
      throw toSlackError(err, 'conversations.history', `${web.slackApiUrl}conversations.history`);
    }
  }

  async function postOnce(payload: Payload, key: string): Promise<string | undefined> {
    try {
      if (web && channel) {
        const res = await web.chat.postMessage({
          channel,
          text: payload.text,
          blocks: payload.blocks as never,
          metadata: { event_type: ALERT_EVENT_TYPE, event_payload: { key } },
          unfurl_links: false,
        });
        return res.ts;
      }
      await hook?.send({ text: payload.text, blocks: payload.blocks as never });
      return undefined;
    } catch (err) {
      throw toSlackError(err, web ? 'chat.postMessage' : 'incoming webhook', url);
    }
  }

  /** Posts through the channel's pace, waiting out 429s; never twice for a key after an unknown outcome. */
  async function post(payload: Payload, key: string): Promise<string | undefined> {
    if (uncertain.has(key) || options.checkHistory === 'always') {
      const ts = await alreadyPosted(key);
      if (ts) {
        uncertain.delete(key);
        return ts;
      }
    }
    for (let waits = 0; ; waits++) {
      try {
        const ts = await paced(() => postOnce(payload, key));
        uncertain.delete(key);
        return ts;
      } catch (err) {
        if (isUnknownOutcome(err)) uncertain.add(key);
        const e = err as { status?: number; retryAfterMs?: number };
        if (e.status !== 429 || waits >= (options.maxRateLimitWaits ?? 3)) throw err;
        // A webhook 429 does not reach us with its Retry-After: wait Slack's 1 s.
        await sleep(e.retryAfterMs ?? Math.max(paceMs, 1000));
      }
    }
  }

  async function update(ts: string, payload: Payload): Promise<void> {
    if (!web || !channel) return;
    try {
      await paced(() =>
        web.chat.update({ channel, ts, text: payload.text, blocks: payload.blocks as never }),
      );
    } catch (err) {
      throw toSlackError(err, 'chat.update', `${web.slackApiUrl}chat.update`);
    }
  }

  const digests =
    options.digest === false
      ? undefined
      : createDigests(options.digest ?? {}, now, async (sample, count, ts, key) => {
          const msg = digestMessage(sample, count, options.consoleHomeUrl);
          if (ts) {
            await update(ts, msg);
            return ts;
          }
          return post(msg, key);
        });

  return {
    async close(): Promise<void> {
      if (options.limiterFor) return;
      await Promise.all([...limiters.values()].map((l) => l.disconnect()));
      limiters.clear();
    },
    async send(alert: Alert): Promise<void> {
      if (digests && (await digests.absorb(alert))) return;
      const review = isReview(alert);
      const suggestion = (options.suggest ?? defaultSuggestion)(alert, review);
      await post(
        alertMessage(alert, { consoleUrl: options.consoleUrl, review, suggestion }),
        alert.idempotencyKey,
      );
    },
  };
}

function webhookHost(url: string | undefined): string {
  try {
    const u = new URL(url ?? '');
    // The path names the workspace and channel (T…/B…); keep those, not the secret.
    return `${u.host}${u.pathname.split('/').slice(0, -1).join('/')}`;
  } catch {
    return 'unknown';
  }
}

function defaultSuggestion(_alert: Alert, review: boolean): string | undefined {
  return review ? 'Approve or cancel below, or open the order to change it.' : undefined;
}
