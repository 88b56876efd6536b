import type { MemoryStorage } from '../../src/memory';
import type { Storage } from '../../src/ports/storage';

/** One storage call, as a fault rule sees it. */
export interface StorageCall {
  method: string;
  args: unknown[];
}

/**
 * Decides the fate of a call: `before` throws without running it (the write never
 * happened), `after` runs it and then throws (the write happened, the answer was lost),
 * undefined lets it through.
 */
export type StorageFault = (call: StorageCall) => 'before' | 'after' | undefined;

/** A memory storage whose calls fail as `fault` says (with `Error('storage down: <method>')`). */
export function faultyStorage(inner: MemoryStorage, fault: StorageFault): Storage {
  return new Proxy(inner, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== 'function' || typeof name !== 'string') return value;
      return async (...args: unknown[]) => {
        const when = fault({ method: name, args });
        if (when === 'before') throw new Error(`storage down: ${name}`);
        const result = await value.apply(target, args);
        if (when === 'after') throw new Error(`storage down: ${name} (after it took effect)`);
        return result;
      };
    },
  }) as Storage;
}

/** The inbox key a commit carries (the event it records). */
export function commitKey(call: StorageCall): string | undefined {
  if (call.method !== 'commit') return undefined;
  return (call.args[0] as { inboxKeys?: string[] }).inboxKeys?.[0];
}
