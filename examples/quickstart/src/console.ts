import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createConsole, toNodeHandler } from '@fulfil/console';
import type { Engine, SimulatedClock, Storage } from '@fulfil/core';

/** The demo's console server. */
export interface DemoConsole {
  /** e.g. `http://127.0.0.1:4318/`. */
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the operations console (`@fulfil/console`) over the demo's engine and storage on
 * 127.0.0.1 only, at `port` (0 = any free port). Anonymous access is allowed ONLY because
 * the server listens on loopback: a host that serves it anywhere else must pass a real
 * `authorize` (e.g. the console's `basicAuth`). Throws when the storage has no read model.
 */
export async function startDemoConsole(
  world: { engine: Engine; storage: Storage; clock: SimulatedClock },
  port: number,
): Promise<DemoConsole> {
  if (!world.storage.insights) {
    throw new Error(
      '--console needs a storage with a read model (storage.insights); this one has none: use --storage memory',
    );
  }
  const handler = createConsole({
    engine: world.engine,
    storage: world.storage,
    clock: world.clock,
    authorize: 'anonymous-allowed',
  });
  const server = createServer(toNodeHandler(handler));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
