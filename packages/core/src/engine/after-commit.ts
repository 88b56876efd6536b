import { FulfilError } from '../errors';
import type { Metrics } from '../ports/services';
import type { DispatchReport } from './dispatcher';
import type { IngestResult } from './engine';
import type { EngineErrorContext } from './options';

// What `ingest` does after its commit: run the outbox (awaited, in the background or not at
// all) without ever turning a dispatch failure into a rejection of a stored event.

/**
 * How `ingest` runs the outbox after its commit: `wait` runs it and resolves after it;
 * `background` starts it and resolves at once (see `Engine.idle`); `none` leaves it to a
 * worker's `dispatch()` / `runDue()`.
 */
export type DispatchMode = 'wait' | 'background' | 'none';

/** Options of `Engine.ingest`. */
export interface IngestOptions {
  /**
   * Default `wait` with `autoDispatch` (the default), else `none`. A host's webhook path
   * should pass `background`: it answers once the event is committed, and a slow or hanging
   * warehouse never delays the acknowledgement. An engine created with `autoDispatch: false`
   * (dispatching from a worker, e.g. on Lambda, where work after the response is frozen)
   * starts no background work: `background` commits only there (`dispatch.status:
   * 'skipped'`); `wait` still runs the outbox before resolving.
   */
  dispatch?: DispatchMode;
}

/**
 * The outbox run after an `ingest` commit (`IngestResult.dispatch`). The event is stored
 * whatever the status:
 * - `done`: it ran; `report` counts the drain this call ran or joined;
 * - `background`: it was started and not awaited (a failure goes to `onError`);
 * - `failed`: it failed with `error`; the commands stay in the outbox for the next
 *   `dispatch()` / `runDue()` (or another engine's);
 * - `skipped`: not run (mode `none`, or the event committed nothing: duplicate, ignored).
 */
export interface IngestDispatch {
  status: 'done' | 'background' | 'failed' | 'skipped';
  report?: DispatchReport;
  error?: unknown;
}

/** What {@link createAfterCommit} needs from the engine. */
export interface AfterCommitDeps {
  /** Runs the outbox (or joins the running drain) for commits just made. */
  dispatch: () => Promise<DispatchReport>;
  /** The drain running now, if any. */
  running: () => Promise<DispatchReport> | undefined;
  metrics: Metrics;
  onError?: (error: unknown, context: EngineErrorContext) => void;
}

/** Runs the outbox after commits and keeps track of the runs nobody awaits. Internal. */
export function createAfterCommit(deps: AfterCommitDeps) {
  /** Background drains not finished yet (one entry per drain, however many calls joined it). */
  const background = new Set<Promise<unknown>>();

  /** Counts a failure after a commit and tells `onError`; never throws. */
  const report = (error: unknown, context: EngineErrorContext) => {
    try {
      deps.metrics.increment('dispatch_errors', { stage: context.stage });
      deps.onError?.(error, context);
    } catch {}
  };

  return {
    /** The outbox run after `result` was committed, as `mode` says. Never rejects. */
    async run(mode: DispatchMode, result: IngestResult, event: unknown): Promise<IngestDispatch> {
      if (mode === 'none') return { status: 'skipped' };
      if (result.outcome !== 'applied' && result.outcome !== 'invalid_transition')
        return { status: 'skipped' };
      const context = (stage: EngineErrorContext['stage']): EngineErrorContext => ({
        stage,
        ...(result.orderId !== undefined ? { orderId: result.orderId } : {}),
        ...eventKeyOf(event),
      });
      if (mode === 'wait') {
        try {
          return { status: 'done', report: await deps.dispatch() };
        } catch (error) {
          report(error, context('dispatch'));
          return { status: 'failed', error };
        }
      }
      const drain = deps.dispatch();
      if (!background.has(drain)) {
        background.add(drain);
        drain
          .then(undefined, (error) => report(error, context('background-dispatch')))
          .finally(() => background.delete(drain));
      }
      return { status: 'background' };
    },

    /** Resolves once no background drain (and no drain at all) is running. */
    async idle(): Promise<void> {
      for (;;) {
        const running = deps.running();
        if (background.size === 0 && running === undefined) return;
        await Promise.allSettled([...background, ...(running ? [running] : [])]);
      }
    },
  };
}

const DISPATCH_MODES: readonly string[] = ['wait', 'background', 'none'];

/**
 * The mode of one `ingest`: `options.dispatch`, checked (throws `INVALID_INPUT` before
 * anything is written), by default `wait` with `autoDispatch`, else `none`. An engine
 * without `autoDispatch` starts no background work: `background` is `none` there.
 */
export function dispatchModeOf(options: IngestOptions | undefined, auto: boolean): DispatchMode {
  const mode = options?.dispatch;
  if (mode === undefined) return auto ? 'wait' : 'none';
  if (mode === 'background' && !auto) return 'none';
  if (DISPATCH_MODES.includes(mode)) return mode;
  throw new FulfilError(
    'INVALID_INPUT',
    `ingest options.dispatch: must be 'wait', 'background' or 'none', got ${JSON.stringify(mode)}`,
    { details: { path: 'options.dispatch' } },
  );
}

/** The idempotency key of the event, when it has one (for `onError`). */
function eventKeyOf(event: unknown): { idempotencyKey?: string } {
  const key = (event as { idempotencyKey?: unknown } | null)?.idempotencyKey;
  return typeof key === 'string' ? { idempotencyKey: key } : {};
}
