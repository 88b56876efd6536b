/**
 * A world for the engine's crash-point suite: one in-memory storage shared by a succession of
 * engine "processes". A seeded plan makes the Nth storage call (counted over the whole run)
 * crash its process, either before the call takes effect or after it did (the write happened,
 * the answer was lost). A crashed process is dead: every later call it makes fails, and the
 * driver carries on with a fresh engine on the same storage, as a restarted worker would.
 * Warehouses are simulated ones behind a seeded fault layer: transient errors, timeouts after
 * the effect, permanent refusals, business rejections and hangs (a hung process is killed by
 * its watchdog, i.e. treated as a crash).
 */
import {
  type AlertSink,
  createEngine,
  createMemoryAlerts,
  createMemoryInventory,
  createMemoryStorage,
  createMemoryStore,
  createSimulatedClock,
  createSimulatedWarehouse,
  type Engine,
  FulfilError,
  type SimulatedWarehouse,
  type WarehouseAdapter,
} from '@fulfil/core';

export const T0 = Date.parse('2026-11-27T09:00:00.000Z');
export const MINUTE = 60_000;

/** A small seeded PRNG (mulberry32): the same seed, the same run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Where a planned crash strikes: the `at`-th storage call of the run (of `method` only, when
 * given: rare calls such as `failCommand` are then hit as often as `commit`), before or after
 * it took effect.
 */
export interface CrashPoint {
  method?: string;
  at: number;
  when: 'before' | 'after';
}

/** One engine instance and whether its process is still alive. */
interface Process {
  engine: Engine;
  dead: boolean;
  /** Resolves when one of its calls hangs (its watchdog then kills it). */
  hung: Promise<'hung'>;
}

class Crash extends Error {}

const transient = (what: string) =>
  new FulfilError('ADAPTER_FAILED', `${what}: 503 from upstream`, {
    details: { retryable: true },
  });
const refusal = (what: string) =>
  new FulfilError('ADAPTER_FAILED', `${what}: refused for good (account on hold)`, {
    details: { retryable: false },
  });

/** Counts of the warehouse faults a run injected, by kind. */
export type FaultCounts = Record<string, number>;

export function createCrashWorld(seed: number, crashes: CrashPoint[], warehouseFaults: boolean) {
  const random = prng(seed);
  const clock = createSimulatedClock(T0);
  const inner = createMemoryStorage();
  const stock = { east: { 'TEE-M': 40, MUG: 40 }, west: { 'TEE-M': 40, MUG: 40 } };
  const sim = (name: string, location: string) =>
    createSimulatedWarehouse({
      name,
      clock,
      locations: [location],
      stock,
      shipAfterMs: 30 * MINUTE,
    });
  const sims: Record<string, SimulatedWarehouse> = {
    'east-wh': sim('east-wh', 'east'),
    'west-wh': sim('west-wh', 'west'),
  };
  const inventory = createMemoryInventory({ stock });
  const alerts = createMemoryAlerts();
  const store = createMemoryStore();
  const planned = new Map(crashes.map((c) => [`${c.method ?? '*'}#${c.at}`, c.when]));
  const sites: string[] = [];
  const faults: FaultCounts = {};
  /** Storage calls so far: `*` all of them, and per method. */
  const calls: Record<string, number> = { '*': 0 };
  const count = (key: string) => {
    calls[key] = (calls[key] ?? 0) + 1;
    return planned.get(`${key}#${calls[key]}`);
  };
  /** Counts an injected fault and hands back what to inject. */
  const fault = <T>(kind: string, what?: T): T => {
    faults[kind] = (faults[kind] ?? 0) + 1;
    return what as T;
  };

  function spawn(): Process {
    let hang!: () => void;
    const p: Process = {
      engine: undefined as unknown as Engine,
      dead: false,
      hung: new Promise<'hung'>((resolve) => {
        hang = () => {
          p.dead = true;
          resolve('hung');
        };
      }),
    };
    const alive = () => {
      if (p.dead) throw new Crash('the process is dead');
    };
    const storage = new Proxy(inner, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver);
        if (typeof value !== 'function' || typeof name !== 'string') return value;
        return async (...args: unknown[]) => {
          alive();
          const any = count('*');
          const when = count(name) ?? any;
          const crash = () => {
            p.dead = true;
            sites.push(`${name}:${when}`);
            return new Crash(`crash at ${name} (${when})`);
          };
          if (when === 'before') throw crash();
          const result = await value.apply(target, args);
          if (when === 'after') throw crash();
          alive(); // died meanwhile (another worker's call): the answer is lost
          return result;
        };
      },
    });
    const hangs = (effect: () => Promise<unknown>) => {
      const before = random() < 0.5;
      fault(before ? 'hang before effect' : 'hang after effect');
      return (before ? Promise.resolve() : effect()).then(() => {
        hang();
        return new Promise<never>(() => {});
      });
    };
    const faulty = (w: SimulatedWarehouse): WarehouseAdapter => ({
      name: w.name,
      capabilities: w.capabilities,
      inventory: w.inventory,
      holdUntil: w.holdUntil,
      async submit(request, key) {
        alive();
        const r = warehouseFaults ? random() : 1;
        if (r < 0.05) throw fault('submit transient', transient(w.name));
        if (r < 0.09) {
          await w.submit(request, key);
          throw fault('submit timeout after effect', transient(`${w.name} (timeout)`));
        }
        if (r < 0.13) throw fault('submit refused for good', refusal(w.name));
        if (r < 0.15) w.rejectNext(fault('submit rejected', 'address not serviceable'));
        if (r < 0.17) return hangs(() => w.submit(request, key));
        return w.submit(request, key);
      },
      async cancel(shipmentId, key) {
        alive();
        const r = warehouseFaults ? random() : 1;
        if (r < 0.08) throw fault('cancel transient', transient(w.name));
        if (r < 0.1) throw fault('cancel refused for good', refusal(w.name));
        if (r < 0.12) return hangs(() => w.cancel(shipmentId, key));
        return w.cancel(shipmentId, key);
      },
      async pollEvents(since) {
        alive();
        if (warehouseFaults && random() < 0.1) throw fault('poll transient', transient(w.name));
        return w.pollEvents(since);
      },
    });
    const sink: AlertSink = {
      async send(alert) {
        alive();
        if (warehouseFaults && random() < 0.05) throw fault('alert transient', transient('alerts'));
        return alerts.send(alert);
      },
    };
    p.engine = createEngine({
      storage,
      warehouses: { 'east-wh': faulty(sims['east-wh']!), 'west-wh': faulty(sims['west-wh']!) },
      inventory,
      alerts: sink,
      store,
      clock,
      locations: [
        { id: 'east', warehouse: 'east-wh', priority: 1 },
        { id: 'west', warehouse: 'west-wh', priority: 2 },
      ],
      dispatch: { maxAttempts: 4, backoffMs: 1000, leaseMs: 30_000 },
      onError: () => undefined,
    });
    return p;
  }

  let current = spawn();
  let restarts = 0;
  /** Runs `fn` on the live engine; a crash or hang on the way replaces the process. */
  async function run<T>(fn: (engine: Engine) => Promise<T>): Promise<{ ok: boolean; value?: T }> {
    const p = current;
    const out = await Promise.race([
      fn(p.engine).then(
        (value) => ({ ok: true, value }),
        () => ({ ok: false }),
      ),
      p.hung.then(() => ({ ok: false })),
    ]);
    if (p.dead) {
      current = spawn();
      restarts++;
    }
    return out;
  }

  return {
    clock,
    inner,
    sims,
    alerts,
    random,
    run,
    /** The live engine's process, for an `idle()` after a background ingest. */
    current: () => current,
    /** Storage calls made, in all (`*`) and per method. */
    get calls(): Readonly<Record<string, number>> {
      return calls;
    },
    get restarts() {
      return restarts;
    },
    sites,
    faults,
  };
}

export type CrashWorld = ReturnType<typeof createCrashWorld>;
