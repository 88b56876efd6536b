/**
 * The operations console mounted at `/ops` by the host built from the environment:
 * HTTP Basic accounts from CONSOLE_USERS / CONSOLE_PASSWORD, absent (404) without them.
 */
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createHostFromEnv, parseConsoleUsers } from '../src/host';
import { createLogger } from '../src/logging';

const logger = createLogger({ destination: { write: () => undefined } });

async function start(env: Record<string, string>) {
  const host = createHostFromEnv({ SHOPIFY_SECRET: 'test_secret_key', ...env }, logger);
  const server = host.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const stop = async () => {
    await new Promise((resolve) => server.close(resolve));
    await host.engine.idle();
    await host.close();
  };
  return { url, stop };
}

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('the console at /ops', () => {
  it('CONSOLE_USERS: 401 without credentials or with a wrong password, 200 overview with them', async () => {
    const h = await start({ CONSOLE_USERS: 'alice:correct horse battery,bob:another long one' });
    try {
      const anonymous = await fetch(`${h.url}/ops/`);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic /);
      const wrong = await fetch(`${h.url}/ops/`, {
        headers: { authorization: basic('alice', 'correct horse batterx') },
      });
      expect(wrong.status).toBe(401);
      for (const [user, password] of [
        ['alice', 'correct horse battery'],
        ['bob', 'another long one'],
      ] as const) {
        const ok = await fetch(`${h.url}/ops/`, {
          headers: { authorization: basic(user, password) },
        });
        expect(ok.status).toBe(200);
        expect(await ok.text()).toContain('data-figure="received"');
      }
    } finally {
      await h.stop();
    }
  });

  it('CONSOLE_PASSWORD: one account, ops', async () => {
    const h = await start({ CONSOLE_PASSWORD: 'a long enough password' });
    try {
      const ok = await fetch(`${h.url}/ops/review`, {
        headers: { authorization: basic('ops', 'a long enough password') },
      });
      expect(ok.status).toBe(200);
    } finally {
      await h.stop();
    }
  });

  it('without accounts the console is not mounted (404); malformed CONSOLE_USERS is refused', async () => {
    const h = await start({});
    try {
      expect((await fetch(`${h.url}/ops/`)).status).toBe(404);
    } finally {
      await h.stop();
    }
    expect(() => parseConsoleUsers('alice', undefined)).toThrow(/CONSOLE_USERS/);
    expect(parseConsoleUsers(undefined, undefined)).toBeUndefined();
  });
});
