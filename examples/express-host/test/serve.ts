import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Host } from '../src/host';

/** Listens on a free loopback port; resolves once listening, with the base URL. */
export async function listen(app: Express): Promise<{ server: Server; url: string }> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Serves a host on a free port; `stop` closes the server, waits for its work and closes it. */
export async function serveHost(host: Host): Promise<{ url: string; stop(): Promise<void> }> {
  const { server, url } = await listen(host.app);
  const stop = async () => {
    await new Promise((resolve) => server.close(resolve));
    await host.app.webhooks.idle();
    await host.engine.idle();
    await host.close();
  };
  return { url, stop };
}
