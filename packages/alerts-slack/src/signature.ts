import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack refuses requests older than this; so do we (replays). */
export const MAX_SIGNATURE_AGE_MS = 5 * 60_000;

/** Slack's request signature: `v0=` + hex HMAC-SHA256(secret, `v0:{timestamp}:{raw body}`). */
export function slackSignature(signingSecret: string, timestamp: string, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

/** Why a signature was refused, or `ok`. */
export type SignatureCheck = 'ok' | 'missing' | 'stale' | 'mismatch';

/**
 * Verifies `X-Slack-Signature` against `X-Slack-Request-Timestamp` and the raw body, in constant
 * time; a timestamp more than 5 minutes away from `nowMs` is `stale`.
 */
export function verifySlackSignature(input: {
  signingSecret: string;
  signature: string | undefined;
  timestamp: string | undefined;
  rawBody: string;
  nowMs: number;
}): SignatureCheck {
  const { signature, timestamp } = input;
  if (!signature || !timestamp || !/^\d{1,12}$/.test(timestamp)) return 'missing';
  if (Math.abs(input.nowMs - Number(timestamp) * 1000) > MAX_SIGNATURE_AGE_MS) return 'stale';
  const expected = Buffer.from(slackSignature(input.signingSecret, timestamp, input.rawBody));
  const given = Buffer.from(signature);
  if (given.length !== expected.length) return 'mismatch';
  return timingSafeEqual(given, expected) ? 'ok' : 'mismatch';
}
