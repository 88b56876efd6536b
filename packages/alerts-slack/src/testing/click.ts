import { REVIEW_ACTIONS } from '../blocks';
import { slackSignature } from '../signature';

/** What {@link signedClick} needs. */
export interface ClickOptions {
  /** The signing secret to sign with (a wrong one makes a forged click). */
  signingSecret: string;
  orderId: string;
  /** The message's `ts` and channel. */
  ts: string;
  channel: string;
  /** Where the handler replaces the message: the fake's `responseUrl(channel, ts)`. */
  responseUrl: string;
  /** Slack user id. Default `U0ADA`. */
  user?: string;
  /** Which button. Default `approve`. */
  action?: keyof typeof REVIEW_ACTIONS;
  /** Signing time (epoch ms). Default now. */
  at?: number;
}

/**
 * A review-button click as Slack sends it to an interactivity URL: a form-encoded
 * `payload=` block_actions JSON (fields from Slack's block_actions payload reference and
 * bolt-js's `BlockAction` type), signed `v0=` over `v0:{timestamp}:{body}`.
 *
 * @example
 * ```ts
 * const { headers, body } = signedClick({ signingSecret, orderId, ts, channel, responseUrl });
 * await fetch(`${host}/slack/actions`, { method: 'POST', headers, body });
 * ```
 */
export function signedClick(options: ClickOptions): {
  headers: Record<string, string>;
  body: string;
} {
  const user = options.user ?? 'U0ADA';
  const { ts, channel } = options;
  const payload = {
    type: 'block_actions',
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: 'T0001' },
    api_app_id: 'A0001',
    container: { type: 'message', message_ts: ts, channel_id: channel, is_ephemeral: false },
    trigger_id: '12345.98765.abcd2358fdea',
    team: { id: 'T0001', domain: 'acme' },
    channel: { id: channel, name: 'fulfil-alerts' },
    message: { type: 'message', ts, text: 'alert', blocks: [] },
    response_url: options.responseUrl,
    actions: [
      {
        action_id: REVIEW_ACTIONS[options.action ?? 'approve'],
        block_id: 'fulfil_review',
        value: options.orderId,
        type: 'button',
        action_ts: '1764234000.123456',
      },
    ],
  };
  const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const at = String(Math.floor((options.at ?? Date.now()) / 1000));
  return {
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': at,
      'x-slack-signature': slackSignature(options.signingSecret, at, body),
    },
    body,
  };
}
