import { createHash, timingSafeEqual } from 'node:crypto';
import { FulfilError, parseOptions } from '@fulfil/core';
import { z } from 'zod';
import type { Authorize } from './options';

/** The shortest password {@link basicAuth} accepts. */
const MIN_PASSWORD = 12;

/** Options of {@link basicAuth}. */
export interface BasicAuthOptions {
  /** Accounts: user name → password. At least one; passwords of 12+ characters. */
  users: Record<string, string>;
  /** Realm shown by the browser's sign-in dialog (default `fulfil console`). */
  realm?: string;
}

const Schema = z.object({
  users: z
    .record(
      z
        .string()
        .min(1)
        .regex(/^[^:]+$/, 'a user name may not contain ":"'),
      z.string().min(MIN_PASSWORD, `use a password of at least ${MIN_PASSWORD} characters`),
    )
    .refine((u) => Object.keys(u).length > 0, 'give at least one user'),
  realm: z
    .string()
    .regex(/^[^"\\\r\n]*$/, 'no quotes, backslashes or line breaks')
    .optional(),
});

/**
 * HTTP Basic authentication for the console, checked in constant time (user names and
 * passwords are compared as SHA-256 digests, every account is checked). Spread the result
 * into `createConsole` options: it sets `authorize` and the `WWW-Authenticate` challenge.
 * Use it over HTTPS only.
 *
 * @throws FulfilError `CONFIG_INVALID` for no users or a short password.
 *
 * @example
 * ```ts
 * createConsole({ engine, storage, ...basicAuth({ users: { ops: process.env.CONSOLE_PASSWORD! } }) });
 * ```
 */
export function basicAuth(options: BasicAuthOptions): {
  authorize: Authorize;
  wwwAuthenticate: string;
} {
  const parsed = parseOptions(Schema, options, 'basicAuth');
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  const accounts = Object.entries(parsed.users).map(([user, password]) => ({
    user,
    userDigest: digest(user),
    passwordDigest: digest(password),
  }));
  const realm = parsed.realm ?? 'fulfil console';
  return {
    wwwAuthenticate: `Basic realm="${realm}", charset="UTF-8"`,
    authorize: (request) => {
      const header = request.headers.get('authorization') ?? '';
      const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header.trim());
      if (!match) return null;
      const encoded = match[1] as string;
      const bytes = Buffer.from(encoded, 'base64');
      // Only canonical base64 (Node's decoder skips what follows padding, for one).
      if (bytes.toString('base64') !== encoded) return null;
      const decoded = bytes.toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) return null;
      const user = digest(decoded.slice(0, colon));
      const password = digest(decoded.slice(colon + 1));
      let found: string | undefined;
      for (const account of accounts) {
        // Both comparisons always run: no early exit that would time the user name apart.
        const userOk = timingSafeEqual(user, account.userDigest);
        const passwordOk = timingSafeEqual(password, account.passwordDigest);
        if (userOk && passwordOk) found = account.user;
      }
      return found === undefined ? null : { id: found };
    },
  };
}

/**
 * Console accounts from two environment variables, as the example hosts read them:
 * `CONSOLE_USERS` (`alice:password,bob:password2`: comma-separated `user:password` pairs; the
 * password is everything after the first `:`) or, when it is unset or blank, `CONSOLE_PASSWORD`
 * (one account, `ops`). Both unset or blank: `undefined` (no console). Pass the result to
 * {@link basicAuth}.
 *
 * @throws FulfilError `CONFIG_INVALID` naming the variable (`env.CONSOLE_USERS` or
 * `env.CONSOLE_PASSWORD`) when a pair has no `user:` or a password is shorter than 12
 * characters (the minimum {@link basicAuth} accepts).
 *
 * @example
 * ```ts
 * const users = parseConsoleUsers(process.env.CONSOLE_USERS, process.env.CONSOLE_PASSWORD);
 * if (users) app.use('/ops', toNodeHandler(createConsole({ engine, storage, basePath: '/ops', ...basicAuth({ users }) })));
 * ```
 */
export function parseConsoleUsers(
  users: string | undefined,
  password: string | undefined,
): Record<string, string> | undefined {
  const text = users?.trim();
  if (text) {
    const out: Record<string, string> = {};
    for (const entry of text.split(',')) {
      const at = entry.indexOf(':');
      if (at <= 0) {
        throw new FulfilError(
          'CONFIG_INVALID',
          'env.CONSOLE_USERS: write user:password pairs separated by commas, e.g. alice:long-password-1,bob:long-password-2',
          { details: { path: 'env.CONSOLE_USERS' } },
        );
      }
      const user = entry.slice(0, at).trim();
      const secret = entry.slice(at + 1);
      if (secret.length < MIN_PASSWORD) {
        throw new FulfilError(
          'CONFIG_INVALID',
          `env.CONSOLE_USERS: the password of "${user}" is ${secret.length} characters; use at least ${MIN_PASSWORD}`,
          { details: { path: 'env.CONSOLE_USERS', user } },
        );
      }
      out[user] = secret;
    }
    return out;
  }
  if (!password) return undefined;
  if (password.length < MIN_PASSWORD) {
    throw new FulfilError(
      'CONFIG_INVALID',
      `env.CONSOLE_PASSWORD: the password is ${password.length} characters; use at least ${MIN_PASSWORD}`,
      { details: { path: 'env.CONSOLE_PASSWORD' } },
    );
  }
  return { ops: password };
}
