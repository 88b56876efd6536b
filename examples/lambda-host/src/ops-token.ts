import { createHash, timingSafeEqual } from 'node:crypto';
import { FulfilError } from '@fulfil/core';

/** The shortest ops token accepted: a guessable token would guard customer data. */
export const MIN_OPS_TOKEN_LENGTH = 16;

/**
 * A check of `Authorization: Bearer <token>` against the ops token, in constant time (over
 * SHA-256 digests, so lengths leak nothing either). `undefined` when no token is set: the
 * ops routes are then off. Throws `CONFIG_INVALID` for a token under 16 characters.
 */
export function opsTokenCheck(
  token: string | undefined,
): ((authorization: string | undefined) => boolean) | undefined {
  if (token === undefined) return undefined;
  if (token.length < MIN_OPS_TOKEN_LENGTH) {
    throw new FulfilError(
      'CONFIG_INVALID',
      `opsToken must be at least ${MIN_OPS_TOKEN_LENGTH} characters (e.g. \`openssl rand -hex 32\`)`,
      { details: { path: 'opsToken' } },
    );
  }
  const expected = digest(token);
  return (authorization) => {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '');
    return match !== null && timingSafeEqual(digest(match[1]!), expected);
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
