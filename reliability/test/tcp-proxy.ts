/**
 * A TCP proxy on 127.0.0.1 in front of a real server (e.g. Redis), that a test can cut:
 * `cut()` destroys every open connection and stops accepting (new connections are refused),
 * `restore()` listens again on the same port. `stall()` keeps connections open but drops
 * every byte both ways (a black hole: no error, no answer) until the next `cut()`.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** A proxy started by {@link startTcpProxy}. */
export interface TcpProxy {
  /** The port it listens on (the same after `restore()`). */
  readonly port: number;
  /** Connections made through it so far. */
  readonly connections: number;
  /** Destroys every open connection and closes the listener: the target is unreachable. */
  cut(): Promise<void>;
  /** Drops every byte both ways on open and new connections, without closing them. */
  stall(): void;
  /** Listens again on the same port. */
  restore(): Promise<void>;
  /** Cuts and stops for good. */
  close(): Promise<void>;
}

/** Starts a proxy to `target` on an ephemeral port of 127.0.0.1. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let connections = 0;
  let port = 0;
  let stalled = false;
  const make = (): Server =>
    createServer((client) => {
      connections++;
      const upstream = createConnection(target);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('error', () => {});
        s.on('close', () => {
          sockets.delete(s);
          client.destroy();
          upstream.destroy();
        });
      }
      client.on('data', (d) => {
        if (!stalled) upstream.write(d);
      });
      upstream.on('data', (d) => {
        if (!stalled) client.write(d);
      });
    });
  let server: Server | undefined;
  const listen = async () => {
    const s = make();
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve());
    });
    port = (s.address() as { port: number }).port;
    server = s;
  };
  const cut = async () => {
    stalled = false;
    const s = server;
    server = undefined;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  await listen();
  return {
    get port() {
      return port;
    },
    get connections() {
      return connections;
    },
    cut,
    stall: () => {
      stalled = true;
    },
    restore: listen,
    close: cut,
  };
}
