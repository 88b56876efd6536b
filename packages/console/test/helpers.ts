import type { ConsoleHandler } from '../src/index';

/** A browser-like session against a handler: keeps the CSRF cookie, sends credentials. */
export function session(handler: ConsoleHandler, origin = 'http://console.test', auth?: string) {
  let cookie = '';
  const send = async (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (auth && !headers.has('authorization')) headers.set('authorization', auth);
    if (cookie && !headers.has('cookie')) headers.set('cookie', cookie);
    const res = await handler(
      new Request(`${origin}${path}`, { ...init, headers, redirect: 'manual' }),
    );
    for (const set of res.headers.getSetCookie()) cookie = set.split(';')[0] ?? '';
    return res;
  };
  return {
    get cookie() {
      return cookie;
    },
    get: (path: string, init: RequestInit = {}) => send(path, init),
    /** POSTs a urlencoded form from the console's own origin (override `origin` to attack). */
    post: (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
      send(path, {
        method: 'POST',
        body: new URLSearchParams(fields).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin, ...headers },
      }),
  };
}

/** The value of `name="field"` in the first form whose `data-resolve` is `orderId` (or the first form). */
export function formField(page: string, field: string, orderId?: string): string {
  let scope = page;
  if (orderId !== undefined) {
    const start = page.indexOf(`data-resolve="${escapeAttr(orderId)}"`);
    if (start < 0) throw new Error(`no resolve form for ${orderId}`);
    scope = page.slice(start);
  }
  const match = new RegExp(`name="${field}" value="([^"]*)"`).exec(scope);
  if (!match) throw new Error(`no field ${field}`);
  return unescapeAttr(match[1] as string);
}

function escapeAttr(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

function unescapeAttr(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#96;/g, '`')
    .replace(/&amp;/g, '&');
}
