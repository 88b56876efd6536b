import { type Engine, FulfilError } from '@fulfil/core';
import {
  createSlackActionsHandler,
  type SlackActionRequest,
  type SlackActionResponse,
} from './actions-handler';
import { createSlackAlerts, type SlackAlertSink } from './slack-alerts';

/** What {@link slackFromEnv} builds from the environment. */
export interface SlackFromEnv {
  /** The alert sink, when a bot token + channel or a webhook URL is set. */
  alerts?: SlackAlertSink;
  /** The `/slack/actions` handler for an engine, when `SLACK_SIGNING_SECRET` is set. */
  actions?: (
    engine: Pick<Engine, 'ingest'>,
  ) => (request: SlackActionRequest) => Promise<SlackActionResponse>;
}

/**
 * Slack from environment variables; nothing set → `{}` (alerts stay on the console log):
 * - `SLACK_BOT_TOKEN` + `SLACK_CHANNEL_ID` (chat.postMessage), or `SLACK_WEBHOOK_URL`;
 * - `SLACK_SIGNING_SECRET`: review buttons answered at `POST /slack/actions`, by the Slack
 *   user ids in `SLACK_ALLOWED_USERS` (comma-separated; unset → every click is refused);
 * - `CONSOLE_URL`: links to `{CONSOLE_URL}/orders/{orderId}` in every message.
 * A half-set pair fails with `CONFIG_INVALID` naming the variable.
 *
 * @example
 * ```ts
 * const slack = slackFromEnv(process.env);
 * const engine = createEngine({ ...options, alerts: slack.alerts ?? createConsoleAlerts() });
 * const slackActions = slack.actions?.(engine); // answer POST /slack/actions with it
 * ```
 */
export function slackFromEnv(env: Record<string, string | undefined>): SlackFromEnv {
  const value = (name: string) => env[name]?.trim() || undefined;
  const token = value('SLACK_BOT_TOKEN');
  const channel = value('SLACK_CHANNEL_ID');
  const webhookUrl = value('SLACK_WEBHOOK_URL');
  const consoleBase = value('CONSOLE_URL')?.replace(/\/+$/, '');
  if (token && !channel) throw invalid('SLACK_CHANNEL_ID', 'is needed with SLACK_BOT_TOKEN');
  if (channel && !token) throw invalid('SLACK_BOT_TOKEN', 'is needed with SLACK_CHANNEL_ID');
  if (token && webhookUrl)
    throw invalid('SLACK_WEBHOOK_URL', 'give SLACK_BOT_TOKEN or SLACK_WEBHOOK_URL, not both');
  const links = consoleBase
    ? {
        consoleUrl: (orderId: string) => `${consoleBase}/orders/${encodeURIComponent(orderId)}`,
        consoleHomeUrl: consoleBase,
      }
    : {};
  const out: SlackFromEnv = {};
  if (token && channel) out.alerts = createSlackAlerts({ token, channel, ...links });
  else if (webhookUrl) out.alerts = createSlackAlerts({ webhookUrl, ...links });
  const signingSecret = value('SLACK_SIGNING_SECRET');
  if (signingSecret) {
    const allowed = new Set(
      (value('SLACK_ALLOWED_USERS') ?? '')
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean),
    );
    out.actions = (engine) =>
      createSlackActionsHandler({
        signingSecret,
        engine,
        authorizeUser: (user) => allowed.has(user.id),
      });
  }
  return out;
}

function invalid(name: string, message: string): FulfilError {
  return new FulfilError('CONFIG_INVALID', `${name} ${message}`, {
    details: { path: `env.${name}` },
  });
}
