import { UpstreamError } from '@fulfil/http';

/** Slack platform errors a retry cannot fix (the token, the channel or the payload is wrong). */
const PERMANENT = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_permission',
  'missing_scope',
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'channel_is_archived',
  'invalid_blocks',
  'invalid_payload',
  'msg_too_long',
  'no_text',
  'invalid_arguments',
  'restricted_action',
  'message_not_found',
  'cant_update_message',
]);

interface SlackLikeError {
  code?: unknown;
  data?: { error?: unknown };
  statusCode?: unknown;
  body?: unknown;
  retryAfter?: unknown;
  original?: unknown;
}

/**
 * Turns an error of `@slack/web-api` or `@slack/webhook` into an {@link UpstreamError}
 * (`ADAPTER_FAILED`) with `retryable` set: 429, 5xx and network failures are retryable;
 * `invalid_auth`, `channel_not_found` and other refusals are not. A request that may have
 * reached Slack without an answer (timeout, connection cut) carries `details.outcome: 'unknown'`.
 */
export function toSlackError(err: unknown, method: string, url: string): UpstreamError {
  if (err instanceof UpstreamError) return err;
  const e = (err ?? {}) as SlackLikeError;
  const base = { vendor: 'slack', method: 'POST', url: redactHook(url), cause: err };
  const code = typeof e.code === 'string' ? e.code : '';
  if (code.endsWith('platform_error')) {
    const vendorCode = String(e.data?.error ?? 'unknown_error');
    const retryable = !PERMANENT.has(vendorCode) && vendorCode !== 'unknown_error';
    return new UpstreamError(`${method} refused: ${vendorCode}${hint(vendorCode)}`, {
      ...base,
      status: 200,
      vendorCode,
      retryable,
    });
  }
  if (code.endsWith('rate_limited_error')) {
    const sec = typeof e.retryAfter === 'number' ? e.retryAfter : 1;
    return new UpstreamError(`${method} rate limited; retry after ${sec}s`, {
      ...base,
      status: 429,
      vendorCode: 'ratelimited',
      retryable: true,
      retryAfterMs: sec * 1000,
    });
  }
  if (code.endsWith('http_error') && typeof e.statusCode === 'number') {
    const status = e.statusCode;
    const body = typeof e.body === 'string' ? e.body.slice(0, 200) : undefined;
    const vendorCode = body && /^[a-z_]+$/.test(body.trim()) ? body.trim() : undefined;
    return new UpstreamError(`${method} answered HTTP ${status}${hint(vendorCode ?? '')}`, {
      ...base,
      status,
      ...(vendorCode ? { vendorCode } : {}),
      retryable: status === 429 || status >= 500,
      ...(body ? { bodyExcerpt: body } : {}),
    });
  }
  const original = e.original instanceof Error ? e.original : err;
  const timeout = original instanceof Error && original.name === 'TimeoutError';
  return new UpstreamError(
    `${method} got no answer (${original instanceof Error ? original.message : String(original)}); it may have been delivered`,
    {
      ...base,
      vendorCode: timeout ? 'TIMEOUT' : 'NETWORK',
      retryable: true,
      extra: { outcome: 'unknown' },
    },
  );
}

function hint(vendorCode: string): string {
  if (
    vendorCode === 'invalid_auth' ||
    vendorCode === 'not_authed' ||
    vendorCode === 'token_revoked'
  )
    return ' (check the bot token)';
  if (vendorCode === 'channel_not_found' || vendorCode === 'not_in_channel')
    return ' (check the channel id and invite the app to the channel)';
  return '';
}

/** Incoming-webhook URLs are secrets: keep only the host (Web API method URLs stay whole). */
function redactHook(url: string): string {
  try {
    const u = new URL(url);
    return /\/api\/[\w.]+$/.test(u.pathname) ? `${u.origin}${u.pathname}` : `${u.origin}/…`;
  } catch {
    return 'slack';
  }
}
