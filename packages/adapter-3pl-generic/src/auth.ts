import { FulfilError } from '@fulfil/core';
import { createHttpClient, isUpstreamError, type RetryOptions } from '@fulfil/http';
import type { Auth } from './schema';

/** Supplies auth headers and handles a 401. */
export interface AuthProvider {
  /** The headers for the next request, and the credential they carry (to invalidate on 401). */
  headers(): Promise<{ headers: Record<string, string>; credential: string | undefined }>;
  /**
   * Called after a 401 sent with `credential`: true when a fresh credential may
   * help (an OAuth token that is now dropped), false when retrying is useless.
   */
  rejected(credential: string | undefined): boolean;
  /** Token requests made so far (OAuth2). */
  readonly tokenRequests: number;
  /** Secret values to redact from error excerpts. */
  readonly secrets: string[];
}

/** Runtime knobs of the auth provider. */
export interface AuthRuntime {
  name: string;
  fetch?: typeof fetch;
  now: () => number;
  retry?: RetryOptions;
  timeoutMs?: number;
}

/** Creates the auth provider for `auth`. */
export function createAuth(auth: Auth, runtime: AuthRuntime): AuthProvider {
  switch (auth.type) {
    case 'none':
      return fixed({}, []);
    case 'bearer':
      return fixed({ authorization: `Bearer ${auth.token}` }, [auth.token]);
    case 'basic': {
      const value = Buffer.from(`${auth.username}:${auth.password}`).toString('base64');
      return fixed({ authorization: `Basic ${value}` }, [auth.password, value]);
    }
    case 'apiKey':
      return fixed({ [auth.header]: `${auth.prefix ?? ''}${auth.value}` }, [auth.value]);
    case 'oauth2':
      return oauth2(auth, runtime);
  }
}

function fixed(headers: Record<string, string>, secrets: string[]): AuthProvider {
  return {
    headers: async () => ({ headers, credential: undefined }),
    rejected: () => false,
    tokenRequests: 0,
    secrets,
  };
}

type OAuth2 = Extract<Auth, { type: 'oauth2' }>;

/**
 * OAuth2 client credentials: one token at a time, fetched once for all
 * concurrent callers, cached until `expires_in` (less the skew) and dropped
 * after a 401 only if it is still the token that was rejected.
 */
function oauth2(auth: OAuth2, runtime: AuthRuntime): AuthProvider {
  const url = new URL(auth.tokenUrl);
  const client = createHttpClient({
    baseUrl: url.origin,
    vendor: `${runtime.name} token endpoint`,
    fetch: runtime.fetch,
    retry: runtime.retry,
    timeoutMs: runtime.timeoutMs,
    redact: [auth.clientSecret],
  });
  const basic = Buffer.from(`${auth.clientId}:${auth.clientSecret}`).toString('base64');
  let current: { token: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;
  let requests = 0;
  const secrets = [auth.clientSecret, basic];

  async function fetchToken(): Promise<string> {
    requests++;
    const fields: Record<string, string> = {
      grant_type: 'client_credentials',
      ...(auth.scope ? { scope: auth.scope } : {}),
      ...auth.extra,
      ...(auth.credentials === 'body'
        ? { client_id: auth.clientId, client_secret: auth.clientSecret }
        : {}),
    };
    const headers: Record<string, string> =
      auth.credentials === 'basic' ? { authorization: `Basic ${basic}` } : {};
    let data: unknown;
    try {
      if (auth.format === 'json') {
        ({ data } = await client.post(url.pathname + url.search, fields, {
          headers,
          idempotent: true,
        }));
      } else {
        const form = new URLSearchParams(fields).toString();
        const res = await (runtime.fetch ?? fetch)(url, {
          method: 'POST',
          headers: {
            ...headers,
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'application/json',
          },
          body: form,
          signal: AbortSignal.timeout(runtime.timeoutMs ?? 30_000),
        });
        const text = await res.text();
        if (!res.ok) {
          throw new FulfilError(
            'ADAPTER_FAILED',
            `${runtime.name}: token endpoint answered HTTP ${res.status}`,
            { details: { status: res.status, retryable: res.status >= 500 || res.status === 429 } },
          );
        }
        data = JSON.parse(text);
      }
    } catch (err) {
      if (
        isUpstreamError(err) &&
        err.status !== undefined &&
        err.status < 500 &&
        err.status !== 429
      ) {
        throw new FulfilError(
          'ADAPTER_FAILED',
          `${runtime.name}: the token endpoint refused the client credentials (HTTP ${err.status}); check auth.clientId and auth.clientSecret`,
          { cause: err, details: { status: err.status, retryable: false, reason: 'auth_failed' } },
        );
      }
      throw err;
    }
    const body = data as { access_token?: unknown; expires_in?: unknown };
    if (typeof body?.access_token !== 'string' || body.access_token === '') {
      throw new FulfilError(
        'ADAPTER_FAILED',
        `${runtime.name}: the token endpoint answered without an access_token`,
        { details: { retryable: true } },
      );
    }
    const lifetime = Number(body.expires_in);
    const seconds = Number.isFinite(lifetime) && lifetime > 0 ? lifetime : 3600;
    const skew = Math.min(auth.expirySkewSeconds, seconds / 2);
    current = { token: body.access_token, expiresAt: runtime.now() + (seconds - skew) * 1000 };
    return body.access_token;
  }

  async function token(): Promise<string> {
    if (current && runtime.now() < current.expiresAt) return current.token;
    pending ??= fetchToken().finally(() => {
      pending = undefined;
    });
    return pending;
  }

  return {
    async headers() {
      const t = await token();
      if (!secrets.includes(t)) secrets.push(t);
      if (secrets.length > 20) secrets.splice(2, secrets.length - 20);
      return { headers: { authorization: `Bearer ${t}` }, credential: t };
    },
    rejected(credential) {
      if (current?.token === credential) current = undefined;
      return true;
    },
    get tokenRequests() {
      return requests;
    },
    secrets,
  };
}
