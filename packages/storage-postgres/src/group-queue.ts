// Grouping: calls that arrive while others run go to the database together. Internal.

/** How calls are grouped (option `batching`). */
export interface GroupSettings {
  /** Most calls in one statement. */
  maxBatch: number;
  /** Statements running at once; calls arriving meanwhile wait and are grouped. */
  concurrency: number;
}

/** A grouped call's outcome: its value, or `undefined` when it must be run alone. */
export type GroupOutcome<R> = { value: R } | undefined;

/** How to run calls one at a time and in groups. */
export interface GroupRunners<T, R> {
  /** Runs one call; throws its error. */
  one(item: T): Promise<R>;
  /**
   * Runs several in one statement; per call, its outcome (`undefined`: run it alone).
   * Throwing means none of them took effect: each is then run alone.
   */
  many(items: T[]): Promise<GroupOutcome<R>[]>;
  /** The positions of `waiting` to run together next (default: the first `max`). */
  pick?(waiting: readonly T[], max: number): number[];
}

interface Waiting<T, R> {
  item: T;
  resolve: (value: R) => void;
  reject: (err: unknown) => void;
}

/**
 * Returns `call(item)`: up to `concurrency` statements run at once; a call arriving when all
 * are busy waits, and the waiting calls go as one statement (at most `maxBatch`, as `pick`
 * chooses) when one finishes. A call arriving at an idle queue runs at once, alone. A call
 * a group could not complete, and every call of a group whose statement failed, is run
 * alone, so each caller gets the result and the error its call alone would get.
 */
export function createGroupQueue<T, R>(
  runners: GroupRunners<T, R>,
  settings: GroupSettings,
): (item: T) => Promise<R> {
  const waiting: Waiting<T, R>[] = [];
  let running = 0;
  const pick =
    runners.pick ??
    ((items: readonly T[], max: number) =>
      Array.from({ length: Math.min(items.length, max) }, (_, k) => k));

  const alone = (w: Waiting<T, R>) => runners.one(w.item).then(w.resolve, w.reject);

  async function runGroup(group: Waiting<T, R>[]): Promise<void> {
    if (group.length === 1) {
      await alone(group[0] as Waiting<T, R>);
      return;
    }
    let outcomes: GroupOutcome<R>[];
    try {
      outcomes = await runners.many(group.map((w) => w.item));
    } catch {
      outcomes = [];
    }
    await Promise.all(
      group.map((w, k) => {
        const outcome = outcomes[k];
        return outcome === undefined ? alone(w) : w.resolve(outcome.value);
      }),
    );
  }

  function pump(): void {
    while (running < settings.concurrency && waiting.length > 0) {
      const picked = new Set(
        pick(
          waiting.map((w) => w.item),
          settings.maxBatch,
        ),
      );
      // Always progress: the first waiting call goes even if `pick` chose nothing.
      if (picked.size === 0) picked.add(0);
      const group = waiting.filter((_, k) => picked.has(k));
      const rest = waiting.filter((_, k) => !picked.has(k));
      waiting.splice(0, waiting.length, ...rest);
      running++;
      void runGroup(group).finally(() => {
        running--;
        pump();
      });
    }
  }

  return (item) =>
    new Promise<R>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      pump();
    });
}
