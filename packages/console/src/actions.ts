import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { FlashCode, PageContext } from './layout';
import type { ResolvedOptions } from './options';
import { errorPage } from './pages/misc';
import { csrfProblem } from './security';

type Env = { Variables: { ctx: PageContext } };

/** Largest form body accepted (413 above it). */
export const MAX_FORM_BYTES = 64 * 1024;

const ResolveForm = z.object({
  resolution: z.enum(['approve', 'cancel', 'route', 'release_hold']),
  locationId: z.string().min(1).max(512).optional(),
  comment: z.string().max(2000).optional(),
  /** One per rendered form: the idempotency key of the action. */
  nonce: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
  returnTo: z.string().max(2000).optional(),
});

/**
 * The console's POST routes, each behind the CSRF check:
 * - `POST /orders/:id/resolve` → `engine.ingest` of a `review.resolved` event with
 *   `by` = the signed-in user and `idempotencyKey` = `console:{orderId}:{nonce}`, so the
 *   same form posted twice (double click, a retried request) acts once;
 * - `POST /commands/:id/retry` → `insights.retryCommand`, then one dispatcher run.
 * Both answer 303 to the page they came from with a flash code.
 */
export function resolveActions(app: Hono<Env>, opts: ResolvedOptions, stylesheet: string): void {
  const { engine, storage, insights, basePath } = opts;

  app.post('/orders/:id/resolve', async (c) => {
    const form = await checkedForm(c, opts, stylesheet);
    if (form instanceof Response) return form;
    const ctx = c.get('ctx');
    const orderId = c.req.param('id');
    const back = returnTo(form.get('returnTo'), basePath, '/review');
    const parsed = ResolveForm.safeParse(Object.fromEntries(form.entries()));
    const locations = engine.config.locations.map((l) => l.id);
    if (!parsed.success) return redirect(c, back, { error: 'invalid', order: orderId });
    const f = parsed.data;
    if (
      f.resolution === 'route' &&
      (f.locationId === undefined || !locations.includes(f.locationId))
    ) {
      return redirect(c, back, { error: 'invalid', order: orderId });
    }
    if (!(await storage.load(orderId))) {
      return c.html(errorPage(404, 'Not found', `No order ${orderId}.`, stylesheet), 404);
    }
    const comment = f.comment?.trim();
    const result = await engine.ingest({
      type: 'review.resolved',
      idempotencyKey: `console:${orderId}:${f.nonce}`,
      occurredAt: new Date(opts.clock.now()).toISOString(),
      orderId,
      resolution: f.resolution,
      ...(f.resolution === 'route' ? { locationId: f.locationId } : {}),
      by: ctx.user.id,
      ...(comment ? { comment } : {}),
    });
    const code: FlashCode =
      result.outcome === 'duplicate'
        ? 'duplicate'
        : result.outcome === 'applied'
          ? f.resolution
          : 'not_applied';
    return redirect(c, back, { [code === 'not_applied' ? 'error' : 'done']: code, order: orderId });
  });

  app.post('/commands/:id/retry', async (c) => {
    const form = await checkedForm(c, opts, stylesheet);
    if (form instanceof Response) return form;
    const commandId = c.req.param('id');
    const back = returnTo(form.get('returnTo'), basePath, '/commands');
    let orderId: string;
    try {
      orderId = (await insights.retryCommand(commandId)).orderId;
    } catch (err) {
      // NOT_FOUND (unknown id) and INVALID_INPUT (a done command), as the Insights contract says.
      const code = err instanceof Error ? (err as { code?: unknown }).code : undefined;
      if (code === 'NOT_FOUND' || code === 'ORDER_NOT_FOUND' || code === 'INVALID_INPUT') {
        return redirect(c, back, { error: 'retry_refused' });
      }
      throw err;
    }
    try {
      await engine.dispatch();
    } catch (err) {
      // The command stays in the outbox for the next dispatcher run.
      opts.onError(err);
    }
    return redirect(c, back, { done: 'retry', order: orderId });
  });
}

/** The parsed form of a POST that passed the size and CSRF checks, or the refusal. */
async function checkedForm(
  c: Context<Env>,
  opts: ResolvedOptions,
  stylesheet: string,
): Promise<FormData | Response> {
  const length = Number(c.req.header('content-length') ?? '0');
  if (length > MAX_FORM_BYTES) {
    return c.html(errorPage(413, 'Too large', 'The form is too large.', stylesheet), 413);
  }
  let form: FormData;
  try {
    form = await c.req.raw.formData();
  } catch {
    return c.html(errorPage(400, 'Bad request', 'Expected a form.', stylesheet), 400);
  }
  const problem = csrfProblem(c.req.raw, form, opts.allowedOrigins);
  if (problem) {
    return c.html(
      errorPage(
        403,
        'Forbidden',
        `Refused (${problem}). Reload the page and try again.`,
        stylesheet,
      ),
      403,
    );
  }
  return form;
}

/** A safe place to go back to: a path inside the console, else `fallback`. */
function returnTo(value: unknown, basePath: string, fallback: string): string {
  if (
    typeof value === 'string' &&
    (value === basePath || value.startsWith(`${basePath}/`)) &&
    value.startsWith('/') &&
    !value.startsWith('//') &&
    !hasControlOrBackslash(value)
  ) {
    return value;
  }
  return `${basePath}${fallback}`;
}

function redirect(c: Context<Env>, back: string, params: Record<string, string>): Response {
  const url = new URL(back, 'http://console.invalid');
  for (const key of ['done', 'error', 'order']) url.searchParams.delete(key);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return c.redirect(`${url.pathname}${url.search}`, 303);
}

function hasControlOrBackslash(value: string): boolean {
  for (const ch of value) if (ch === '\\' || ch.charCodeAt(0) < 0x20) return true;
  return false;
}
