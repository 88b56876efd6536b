import type { ConsoleHandler } from './console';

/**
 * The parts of an API Gateway HTTP API (payload format 2.0) or Lambda Function URL event
 * the console reads. Header names arrive lower-cased; cookies arrive in `cookies`.
 */
export interface LambdaHttpEvent {
  rawPath: string;
  rawQueryString?: string;
  headers?: Record<string, string | undefined>;
  cookies?: string[];
  body?: string;
  isBase64Encoded?: boolean;
  requestContext: { domainName?: string; http: { method: string } };
}

/** The payload 2.0 response: each `Set-Cookie` goes in `cookies`. */
export interface LambdaHttpResult {
  statusCode: number;
  headers: Record<string, string>;
  cookies?: string[];
  body: string;
  isBase64Encoded: boolean;
}

/**
 * Adapts the console to AWS Lambda behind an API Gateway HTTP API (payload 2.0) or a
 * Function URL. Route `ANY {basePath}/{proxy+}` (and `{basePath}`) to the function. With a
 * named stage (not `$default`) the stage is part of `rawPath`: include it in `basePath`.
 *
 * @example
 * ```ts
 * const ops = createConsole({ engine, storage, basePath: '/ops', authorize });
 * export const console = toLambdaHandler(ops);
 * ```
 */
export function toLambdaHandler(
  handler: ConsoleHandler,
): (event: LambdaHttpEvent) => Promise<LambdaHttpResult> {
  return async (event) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(event.headers ?? {})) {
      if (value !== undefined) headers.set(name, value);
    }
    if (event.cookies && event.cookies.length > 0) headers.set('cookie', event.cookies.join('; '));
    const host = headers.get('host') ?? event.requestContext.domainName ?? 'localhost';
    const query = event.rawQueryString ? `?${event.rawQueryString}` : '';
    const url = new URL(`https://${host}${event.rawPath}${query}`);
    const method = event.requestContext.http.method.toUpperCase();
    const body =
      method === 'GET' || method === 'HEAD' || event.body === undefined
        ? undefined
        : event.isBase64Encoded
          ? new Uint8Array(Buffer.from(event.body, 'base64'))
          : event.body;
    const response = await handler(
      new Request(url, { method, headers, ...(body !== undefined ? { body } : {}) }),
    );
    const out: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      if (name !== 'set-cookie') out[name] = value;
    });
    const cookies = response.headers.getSetCookie();
    const type = response.headers.get('content-type') ?? '';
    const bytes = Buffer.from(await response.arrayBuffer());
    const text = /^(text\/|application\/json|image\/svg\+xml)/.test(type) || bytes.length === 0;
    return {
      statusCode: response.status,
      headers: out,
      ...(cookies.length > 0 ? { cookies } : {}),
      body: text ? bytes.toString('utf8') : bytes.toString('base64'),
      isBase64Encoded: !text,
    };
  };
}
