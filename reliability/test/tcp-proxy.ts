/**
 * A TCP proxy on 127.0.0.1 in front of a real server (e.g. Redis), that a test can cut:
 * `cut()` destroys every open connection and stops accepting (new connections are refused),
 * `restore()` listens again on the same port.
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
      client.pipe(upstream);
      upstream.pipe(client);
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
    restore: listen,
    close: cut,
  };
}
