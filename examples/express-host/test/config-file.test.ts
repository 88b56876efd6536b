/**
 * The host reads the store's `fulfil.config.ts`, the file the `fulfil` CLI audits: with
 * `FULFIL_CONFIG` (or a `fulfil.config.*` in the working directory) its locations, rules and
 * risk settings drive the engine; a broken file stops the server at start with one
 * `config_invalid` line naming the file and the exact path, and exit 2.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signShopifyWebhook } from '@fulfil/adapter-shopify';
import { SHOP, shopifyOrderText } from '@fulfil/adapter-shopify/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHostConfig } from '../src/config-file';
import { createHostFromEnv, type Host } from '../src/host';
import { createLogger } from '../src/logging';
import { serveHost } from './serve';

const SECRET = 'test_secret_key';
const root = fileURLToPath(new URL('..', import.meta.url));
const QUICKSTART = '../quickstart/fulfil.config.ts';
const logger = createLogger({ level: 'silent' });
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});
async function tempDir() {
  const dir = await mkdtemp(join(tmpdir(), 'fulfil-host-config-'));
  dirs.push(dir);
  return dir;
}

const start = serveHost;

/** Delivers `orders/create` and waits until the order is decided. */
async function deliver(url: string, host: Host, body: string, id: string) {
  const res = await fetch(`${url}/webhooks/shopify`, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'x-shopify-hmac-sha256': signShopifyWebhook(body, SECRET),
      'x-shopify-topic': 'orders/create',
      'x-shopify-shop-domain': SHOP,
      'x-shopify-webhook-id': id,
    },
  });
  expect(res.status).toBe(200);
  const { orderId } = (await res.json()) as { orderId: string };
  await host.app.webhooks.idle();
  await host.engine.idle();
  return orderId;
}

describe("the host started with the quickstart's fulfil.config.ts", () => {
  let host: Host;
  let h: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    const loaded = await loadHostConfig({ FULFIL_CONFIG: QUICKSTART }, root);
    host = createHostFromEnv({ SHOPIFY_SECRET: SECRET }, logger, {}, loaded);
    h = await start(host);
    // jiti compiles the config and its imports on first load: seconds on a loaded machine.
  }, 60_000);
  afterAll(() => h.stop());

  it('says which file it runs on', () => {
    expect(host.configFile).toBe(join(root, QUICKSTART));
    expect(host.classifierKind).toBe('keyword');
  });

  it("routes to the config's locations and applies its rules (expedite on express shipping)", async () => {
    const id = await deliver(
      h.url,
      host,
      shopifyOrderText({
        lines: [{ sku: 'TEE-BLK-M', quantity: 1, price: '28.00' }],
        note: 'Leave at the back door',
      }),
      'wh-routed',
    );
    const { record, history } = await host.engine.explain(id);
    expect(record.status).toBe('submitted');
    expect(record.shipments.map((s) => s.locationId)).toEqual(['east']);
    const fired = history.flatMap((e) =>
      e.explanation.stages.flatMap((s) => s.rules.filter((r) => r.matched).map((r) => r.ruleId)),
    );
    // `expedite` exists only in the quickstart's rules (the built-in demo has none).
    expect(fired).toContain('expedite');
  });

  it('sends an address change to review, as its noteRules() say', async () => {
    const id = await deliver(
      h.url,
      host,
      shopifyOrderText({
        id: '5813624569912345001',
        name: '#1002',
        lines: [{ sku: 'MUG-STN-12', quantity: 1, price: '18.00' }],
        note: 'Please change the shipping address to 12 Oak Street, Denver CO 80203',
      }),
      'wh-review',
    );
    const record = await host.engine.get(id);
    expect(record?.status).toBe('needs_review');
    expect(record?.review?.reasons.join(' ')).toMatch(/address/i);
  });
});

describe('without a configuration file', () => {
  it('keeps the built-in demo (location main, no expedite rule)', async () => {
    expect(await loadHostConfig({}, await tempDir())).toBeUndefined();
    const host = createHostFromEnv({ SHOPIFY_SECRET: SECRET }, logger);
    const h = await start(host);
    try {
      expect(host.configFile).toBeUndefined();
      const id = await deliver(
        h.url,
        host,
        shopifyOrderText({ lines: [{ sku: 'TEE-M', quantity: 1 }], note: null }),
        'wh-default',
      );
      const { record } = await host.engine.explain(id);
      expect(record.shipments.map((s) => s.locationId)).toEqual(['main']);
    } finally {
      await h.stop();
    }
  });
});

describe('finding and checking the file', () => {
  it('reads fulfil.config.json from the working directory when FULFIL_CONFIG is unset', async () => {
    const dir = await tempDir();
    await writeFile(
      join(dir, 'fulfil.config.json'),
      JSON.stringify({ locations: [{ id: 'reno', warehouse: 'reno-wh' }], notes: false }),
    );
    const loaded = await loadHostConfig({}, dir);
    expect(loaded?.path).toBe(join(dir, 'fulfil.config.json'));
    const host = createHostFromEnv({ SHOPIFY_SECRET: SECRET }, logger, {}, loaded);
    expect(host.classifierKind).toBe('none');
    await host.close();
  });

  it('a broken file is CONFIG_INVALID naming the file and the exact path', async () => {
    const dir = await tempDir();
    const file = join(dir, 'broken.json');
    await writeFile(
      file,
      JSON.stringify({ locations: [{ id: 'east', warehouse: 'east-wh' }, { id: 'west' }] }),
    );
    await expect(loadHostConfig({ FULFIL_CONFIG: file }, root)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining(`${file}: locations[1].warehouse`),
    });
    await expect(loadHostConfig({ FULFIL_CONFIG: join(dir, 'nope.ts') }, root)).rejects.toThrow(
      /nope\.ts: no such file/,
    );
    // Asked for but not loaded (an embedder forgot loadHostConfig): never the demo instead.
    expect(() =>
      createHostFromEnv({ SHOPIFY_SECRET: SECRET, FULFIL_CONFIG: file }, logger),
    ).toThrow(/env\.FULFIL_CONFIG is set but no configuration was given/);
  });

  it('the server stops at start: one config_invalid line with the path, no stack, exit 2', async () => {
    const dir = await tempDir();
    const file = join(dir, 'fulfil.config.json');
    await writeFile(
      file,
      JSON.stringify({ locations: [{ id: 'east', warehouse: 'east-wh', priority: 'high' }] }),
    );
    const child = spawn(
      process.execPath,
      ['--conditions=@fulfil/source', '--import', 'tsx', 'src/server.ts'],
      {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', SHOPIFY_SECRET: SECRET, FULFIL_CONFIG: file },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString('utf8');
    });
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(code).toBe(2);
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      event: 'config_invalid',
      error: {
        code: 'CONFIG_INVALID',
        message: expect.stringContaining(`${file}: locations[0].priority`),
      },
    });
    expect(`${out}${err}`).not.toMatch(/\n\s+at /);
  }, 60_000);
});
