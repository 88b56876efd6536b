import {
  type DispatchMode,
  type Engine,
  functionOption,
  parseOptions,
  portOption,
} from '@fulfil/core';
import { z } from 'zod';
import { REVIEW_ACTIONS, resolvedBlocks } from './blocks';
import { verifySlackSignature } from './signature';

/**
 * The part of Slack's `block_actions` interaction payload this handler reads
 * (https://docs.slack.dev/reference/interaction-payloads/block_actions-payload).
 */
const BlockActions = z.object({
  type: z.literal('block_actions'),
  user: z.object({
    id: z.string().min(1),
    username: z.string().optional(),
    name: z.string().optional(),
    team_id: z.string().optional(),
  }),
  channel: z.object({ id: z.string() }).optional(),
  container: z
    .object({ message_ts: z.string().optional(), channel_id: z.string().optional() })
    .optional(),
  message: z
    .object({ ts: z.string(), blocks: z.array(z.record(z.string(), z.unknown())).optional() })
    .optional(),
  response_url: z.url().optional(),
  actions: z
    .array(
      z.object({
        action_id: z.string(),
        action_ts: z.string().optional(),
        value: z.string().optional(),
      }),
    )
    .min(1),
});

/** A Slack user who clicked a button. */
export interface SlackUser {
  id: string;
  username?: string | undefined;
  name?: string | undefined;
  teamId?: string | undefined;
}

/** A request as the host framework received it; `rawBody` is the body exactly as sent. */
export interface SlackActionRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
}

/** The answer to send back to Slack (within 3 seconds). */
export interface SlackActionResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Options of {@link createSlackActionsHandler}. */
export interface SlackActionsHandlerOptions {
  /** The app's signing secret (Basic Information → App Credentials). */
  signingSecret: string;
  engine: Pick<Engine, 'ingest'>;
  /** May this Slack user approve or cancel orders? Refused users change nothing. */
  authorizeUser: (user: SlackUser) => boolean | Promise<boolean>;
  now?: () => number;
  /**
   * How `engine.ingest` runs the commands the click causes (e.g. the warehouse submit).
   * Default `background`: Slack wants an answer within 3 seconds; the outbox does the rest
   * (await `engine.idle()` in tests).
   */
  dispatch?: DispatchMode;
  /** Used to post to `response_url`. Default `globalThis.fetch`. */
  fetch?: typeof fetch;
}

const OptionsSchema = z.object({
  signingSecret: z.string().min(1, 'the Slack app signing secret'),
  engine: portOption<Pick<Engine, 'ingest'>>('Engine', ['ingest'], 'createEngine(...)'),
  authorizeUser: functionOption<SlackActionsHandlerOptions['authorizeUser']>(
    'a function (user) => boolean | Promise<boolean>',
  ),
  now: functionOption<() => number>('a function returning epoch ms').optional(),
  dispatch: z.enum(['wait', 'background', 'none'] satisfies DispatchMode[]).optional(),
  fetch: functionOption<typeof fetch>('a fetch function').optional(),
} satisfies Record<keyof SlackActionsHandlerOptions, z.ZodType>);

const json = (status: number, body: unknown): SlackActionResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

function header(h: SlackActionRequest['headers'], name: string): string | undefined {
  for (const [k, v] of Object.entries(h))
    if (k.toLowerCase() === name) return Array.isArray(v) ? v[0] : v;
  return undefined;
}

/**
 * A framework-free handler for Slack's interactivity requests (the Request URL of the app):
 * verifies the signature (401 for a missing, forged or more than 5 minutes old one), reads
 * the `payload=` form field, refuses users `authorizeUser` rejects (403, nothing changes),
 * turns Approve / Cancel into a `review.resolved` event (`by` = `slack:<user id>`,
 * idempotency key per message, so a second click on the same message is a duplicate), and
 * replaces the message through `response_url` to say who acted.
 *
 * @example
 * ```ts
 * const slack = createSlackActionsHandler({ signingSecret, engine, authorizeUser: (u) => admins.has(u.id) });
 * app.post('/slack/actions', express.text({ type: '*\/*' }), async (req, res) => {
 *   const out = await slack({ method: req.method, headers: req.headers, rawBody: req.body });
 *   res.status(out.status).set(out.headers).send(out.body);
 * });
 * ```
 */
export function createSlackActionsHandler(options: SlackActionsHandlerOptions) {
  parseOptions(OptionsSchema, options, 'createSlackActionsHandler');
  const now = options.now ?? Date.now;
  const doFetch = options.fetch ?? globalThis.fetch;

  async function respond(url: string | undefined, body: Record<string, unknown>): Promise<void> {
    if (!url) return;
    try {
      await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(2500),
      });
    } catch {
      // The decision is committed; a message left with its buttons only invites a duplicate click.
    }
  }

  return async function handle(request: SlackActionRequest): Promise<SlackActionResponse> {
    if (request.method.toUpperCase() !== 'POST') return json(405, { error: 'POST only' });
    const check = verifySlackSignature({
      signingSecret: options.signingSecret,
      signature: header(request.headers, 'x-slack-signature'),
      timestamp: header(request.headers, 'x-slack-request-timestamp'),
      rawBody: request.rawBody,
      nowMs: now(),
    });
    if (check !== 'ok') return json(401, { error: `signature ${check}` });
    const raw = new URLSearchParams(request.rawBody).get('payload');
    let parsed: z.infer<typeof BlockActions>;
    try {
      const result = BlockActions.safeParse(JSON.parse(raw ?? ''));
      if (!result.success) return json(200, { ignored: 'not a block_actions payload' });
      parsed = result.data;
    } catch {
      return json(400, { error: 'body has no JSON payload= field' });
    }
    const action = parsed.actions[0];
    const resolution =
      action?.action_id === REVIEW_ACTIONS.approve
        ? 'approve'
        : action?.action_id === REVIEW_ACTIONS.cancel
          ? 'cancel'
          : undefined;
    if (!action || !resolution || !action.value)
      return json(200, { ignored: action?.action_id ?? 'no action' });
    const user: SlackUser = {
      id: parsed.user.id,
      username: parsed.user.username,
      name: parsed.user.name,
      teamId: parsed.user.team_id,
    };
    // Fail closed: a host check that throws refuses the click.
    const allowed = await Promise.resolve()
      .then(() => options.authorizeUser(user))
      .catch(() => false);
    if (!allowed) {
      await respond(parsed.response_url, {
        response_type: 'ephemeral',
        replace_original: false,
        text: 'You are not allowed to resolve order reviews. Nothing was changed.',
      });
      return json(403, { error: 'user not allowed' });
    }
    const messageTs = parsed.container?.message_ts ?? parsed.message?.ts ?? action.action_ts ?? '';
    const channel = parsed.container?.channel_id ?? parsed.channel?.id ?? '';
    let result: Awaited<ReturnType<Engine['ingest']>>;
    try {
      result = await options.engine.ingest(
        {
          type: 'review.resolved',
          idempotencyKey: `slack-review:${channel}:${messageTs}:${action.value}`,
          occurredAt: new Date(now()).toISOString(),
          orderId: action.value,
          resolution,
          by: `slack:${user.id}`,
          comment: `${resolution === 'approve' ? 'Approved' : 'Cancelled'} in Slack by ${user.username ?? user.name ?? user.id}`,
        },
        { dispatch: options.dispatch ?? 'background' },
      );
    } catch (err) {
      // Not stored (storage down, invalid order id): Slack shows the click failed; nothing changed.
      const message = err instanceof Error ? err.message : String(err);
      return json(isInvalid(err) ? 400 : 503, { error: message });
    }
    const who = `<@${user.id}>`;
    const line =
      result.outcome === 'applied'
        ? `:white_check_mark: ${resolution === 'approve' ? 'Approved' : 'Cancelled'} by ${who}`
        : result.outcome === 'duplicate'
          ? `:information_source: Already handled (click by ${who} ignored)`
          : `:information_source: ${who} chose ${resolution}; the order was no longer waiting for review (${result.outcome})`;
    await respond(parsed.response_url, {
      replace_original: true,
      text: line,
      blocks: resolvedBlocks(parsed.message?.blocks, line),
    });
    return json(200, { outcome: result.outcome, orderId: action.value, resolution });
  };
}

function isInvalid(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'INVALID_INPUT';
}
