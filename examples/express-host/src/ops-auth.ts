import { createHash, timingSafeEqual } from 'node:crypto';
import { FulfilError } from '@fulfil/core';
import type { RequestHandler } from 'express';
import { notFound } from './json-errors';

/** The shortest ops token accepted: a guessable token would guard customer data. */
export const MIN_OPS_TOKEN_LENGTH = 16;

/**
 * Guards the operations routes (they serve customer names, emails, phones and addresses)
 * with `Authorization: Bearer <token>`. Without a configured token the routes do not
 * exist: 404, exactly like an unknown route. A missing or wrong token is 401. Tokens are
 * compared in constant time (over SHA-256 digests, so their lengths leak nothing either).
 */
export function requireOpsToken(token: string | undefined): RequestHandler {
  if (token !== undefined && token.length < MIN_OPS_TOKEN_LENGTH) {
    throw new FulfilError(
      'CONFIG_INVALID',
      `opsToken must be at least ${MIN_OPS_TOKEN_LENGTH} characters (e.g. \`openssl rand -hex 32\`)`,
      { details: { path: 'opsToken' } },
    );
  }
  const expected = token === undefined ? undefined : digest(token);
  return (req, res, next) => {
    if (expected === undefined) {
      notFound(req, res, next);
      return;
    }
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(req.headers.authorization ?? '');
    if (match && timingSafeEqual(digest(match[1]!), expected)) {
      next();
      return;
    }
    res
      .status(401)
      .set('www-authenticate', 'Bearer realm="fulfil-ops"')
      .json({ error: 'UNAUTHORIZED', message: 'send Authorization: Bearer <ops token>' });
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
