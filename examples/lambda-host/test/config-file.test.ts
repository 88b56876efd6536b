/**
 * The Lambda host reads the store's `fulfil.config.ts`, the file the `fulfil` CLI audits. A
 * bundle cannot load it from disk at run time, so `scripts/build.mjs` imports it statically
 * (`--config` / `FULFIL_CONFIG`) and checks it first: a broken file stops the build with
 * CONFIG_INVALID and the exact path. In the host, the config's locations (served by
 * ShipStation), rules, notes and risk settings drive the engine.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { signShopifyWebhook } from '@fulfil/adapter-shopify';
import { shopifyOrderText } from '@fulfil/adapter-shopify/testing';
import {
  createEngine,
  createMemoryStorage,
  createMemoryVelocitySource,
  createSimulatedWarehouse,
  systemClock,
} from '@fulfil/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import quickstart from '../../quickstart/fulfil.config';
import { hostFromEnv, REQUIRED_ENV_VARS } from '../src/config';
import { lambdaConfigOptions } from '../src/config-file';
import { createLambdaHost, type HttpEvent } from '../src/host';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const QUICKSTART = fileURLToPath(new URL('../../quickstart/fulfil.config.ts', import.meta.url));
const SECRET = 'test_secret_key';
const OPS_TOKEN = 'ops_token_0123456789abcdef';
const SHIPSTATION = [
  { id: 'east', warehouse: 'shipstation', stock: 'untracked' as const },
  { id: 'west', warehouse: 'shipstation', stock: 'untracked' as const },
];
const BROKEN = { locations: [{ id: 'east', warehouse: 'east-wh' }, { id: 'west' }] };
let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fulfil-lambda-config-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A complete environment (every required variable), on `DATABASE_URL` or a closed port. */
function environment(locations: { id: string; shipstationWarehouseId: number }[]) {
  const env: Record<string, string> = {
    DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere',
    SHOPIFY_SECRETS: SECRET,
    SHIPSTATION_API_KEY: 'key',
    SHIPSTATION_API_SECRET: 'secret',
    SHIPSTATION_WEBHOOK_TOKEN: 'shipstation_token_0123456789',
    FULFIL_LOCATIONS: JSON.stringify(locations),
    OPS_TOKEN,
  };
  for (const name of REQUIRED_ENV_VARS) env[name] ??= 'x'.repeat(32);
  return env;
}
const BOTH = [
  { id: 'east', shipstationWarehouseId: 401 },
  { id: 'west', shipstationWarehouseId: 402 },
];

function event(method: string, path: string, raw = '', headers: Record<string, string> = {}) {
  return {
    rawPath: path,
    headers,
    body: Buffer.from(raw).toString('base64'),
    isBase64Encoded: true,
    requestContext: { http: { method } },
  } satisfies HttpEvent;
}
const webhook = (raw: string) =>
  event('POST', '/webhooks/shopify', raw, {
    'content-type': 'application/json',
    'x-shopify-hmac-sha256': signShopifyWebhook(raw, SECRET),
    'x-shopify-topic': 'orders/create',
    'x-shopify-shop-domain': 'acme.myshopify.com',
    'x-shopify-webhook-id': `wh-${randomBytes(3).toString('hex')}`,
  });
const addressChange = shopifyOrderText({
  lines: [{ sku: 'MUG-STN-12', quantity: 1, price: '18.00' }],
  note: 'Please change the shipping address to 12 Oak Street, Denver CO 80203',
});
const expedited = shopifyOrderText({
  id: '5813624569912345001',
  name: '#1002',
  lines: [{ sku: 'TEE-BLK-M', quantity: 1, price: '28.00' }],
  note: 'Leave at the back door',
});

describe("the engine options from the quickstart's fulfil.config.ts", () => {
  const options = lambdaConfigOptions(
    SHIPSTATION,
    { velocity: createMemoryVelocitySource(), recordOrders: true },
    { file: 'fulfil.config.ts', value: quickstart },
  );
  const warehouse = createSimulatedWarehouse({
    name: 'shipstation',
    clock: systemClock,
    locations: ['east', 'west'],
  });
  const engine = createEngine({
    ...options,
    storage: createMemoryStorage(),
    warehouses: { shipstation: warehouse },
    autoDispatch: false,
  });
  const host = createLambdaHost({
    engine: async () => engine,
    shopifySecrets: [SECRET],
    opsToken: OPS_TOKEN,
  });

  it("takes the config's locations, served by ShipStation, with its rules, notes and risk", () => {
    expect(options.locations.map((l) => [l.id, l.warehouse, l.stock, l.priority])).toEqual([
      ['east', 'shipstation', 'untracked', 10],
      ['west', 'shipstation', 'untracked', 20],
    ]);
    expect(options.rules?.map((r) => r.id)).toContain('expedite');
    expect(options.classifier?.name).toBe('keyword');
    expect(options.risk).toBeDefined();
    expect(options.timeZone).toBe('America/New_York');
  });

  it('sends an address change to review; expedites an express order to the nearest location', async () => {
    expect((await host.http(webhook(addressChange))).statusCode).toBe(200);
    const review = await engine.get('shopify:acme:5813624569912345678');
    expect(review?.status).toBe('needs_review');
    expect(review?.review?.reasons.join(' ')).toMatch(/address/i);

    expect((await host.http(webhook(expedited))).statusCode).toBe(200);
    const { record, history } = await engine.explain('shopify:acme:5813624569912345001');
    expect(record.status).toBe('submitted');
    expect(record.shipments.map((s) => s.locationId)).toEqual(['east']);
    const fired = history.flatMap((e) =>
      e.explanation.stages.flatMap((s) => s.rules.filter((r) => r.matched).map((r) => r.ruleId)),
    );
    expect(fired).toContain('expedite');
  });

  it('without a config, keeps FULFIL_LOCATIONS and the built-in defaults', () => {
    expect(lambdaConfigOptions(SHIPSTATION, {}, undefined)).toEqual({ locations: SHIPSTATION });
  });

  it('a config location FULFIL_LOCATIONS does not map to ShipStation is CONFIG_INVALID', () => {
    expect(() =>
      lambdaConfigOptions(SHIPSTATION.slice(0, 1), {}, { file: 'f.ts', value: quickstart }),
    ).toThrow(
      /FULFIL_LOCATIONS: no ShipStation warehouse for location "west" \(locations\[1\] of f\.ts\)/,
    );
  });
});

describe('a broken config in the host', () => {
  it('/readyz answers 503 CONFIG_INVALID with the file and the exact path, in one log line', async () => {
    const logged: string[] = [];
    const bundled = { file: 'fulfil.config.ts', value: BROKEN };
    let parts: ReturnType<typeof hostFromEnv> | undefined;
    const host = createLambdaHost({
      engine: async () => {
        parts ??= hostFromEnv(environment(BOTH), bundled);
        return parts.engine;
      },
      shopifySecrets: [SECRET],
      onError: (err) => logged.push((err as Error).message),
    });
    const res = await host.http(event('GET', '/readyz'));
    expect(res.statusCode).toBe(503);
    expect(JSON.parse(res.body)).toMatchObject({
      error: 'CONFIG_INVALID',
      message: expect.stringContaining('fulfil.config.ts: locations[1].warehouse'),
    });
    expect(logged).toHaveLength(1);
    expect(logged[0]).not.toMatch(/\n\s+at /);
  });
});

describe('scripts/build.mjs', () => {
  it('stops on a broken config with CONFIG_INVALID and the exact path, writing nothing', async () => {
    const file = join(dir, 'fulfil.config.json');
    await writeFile(file, JSON.stringify(BROKEN));
    const outdir = join(dir, 'broken-out');
    const failed = await run(
      process.execPath,
      ['scripts/build.mjs', '--config', file, '--outdir', outdir],
      { cwd: root, env: { PATH: process.env.PATH ?? '' } },
    ).catch((err: { code: number; stdout: string; stderr: string }) => err);
    expect('code' in failed && failed.code).toBe(1);
    expect(failed.stderr.trim()).toBe(
      `CONFIG_INVALID: ${file}: locations[1].warehouse: Invalid input: expected string, received undefined`,
    );
    expect(existsSync(outdir)).toBe(false);
  }, 60_000);

  describe("bundles the quickstart's fulfil.config.ts", () => {
    const outdir = () => join(dir, 'quickstart-out');
    let handlers: { http(event: HttpEvent): Promise<{ statusCode: number; body: string }> };
    let stdout = '';
    beforeAll(async () => {
      ({ stdout } = await run(process.execPath, ['scripts/build.mjs', '--outdir', outdir()], {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', FULFIL_CONFIG: QUICKSTART },
      }));
      handlers = await import(pathToFileURL(join(outdir(), 'index.mjs')).href);
    }, 120_000);

    it('says what it bundled', () => {
      expect(stdout).toContain(`${QUICKSTART}: 2 location(s), 19 rule(s)`);
      expect(stdout).toContain(`config: ${QUICKSTART}`);
    });

    it("the bundle reads the config's locations: one FULFIL_LOCATIONS lacks is named at /readyz", async () => {
      const saved = { ...process.env };
      Object.assign(process.env, environment(BOTH.slice(0, 1)));
      const errors = console.error;
      console.error = () => {};
      try {
        const res = await handlers.http(event('GET', '/readyz'));
        expect(res.statusCode).toBe(503);
        expect(JSON.parse(res.body).message).toContain(
          `FULFIL_LOCATIONS: no ShipStation warehouse for location "west" (locations[1] of ${QUICKSTART})`,
        );
      } finally {
        console.error = errors;
        process.env = saved;
      }
    });

    // The whole path needs a PostgreSQL server (the bundle connects with pg): CI sets DATABASE_URL.
    it.skipIf(!process.env.DATABASE_URL)(
      'on PostgreSQL, the bundle sends an address change to review (needs DATABASE_URL)',
      async () => {
        const schema = `lambda_cfg_${randomBytes(4).toString('hex')}`;
        const saved = { ...process.env };
        Object.assign(process.env, {
          ...environment(BOTH),
          DATABASE_URL: saved.DATABASE_URL,
          FULFIL_SCHEMA: schema,
        });
        const pg = (await import('pg')).default;
        const pool = new pg.Pool({ connectionString: saved.DATABASE_URL, max: 1 });
        try {
          expect((await handlers.http(webhook(addressChange))).statusCode).toBe(200);
          const id = encodeURIComponent('shopify:acme:5813624569912345678');
          const res = await handlers.http(
            event('GET', `/orders/${id}`, '', { authorization: `Bearer ${OPS_TOKEN}` }),
          );
          expect(res.statusCode).toBe(200);
          const { record } = JSON.parse(res.body) as { record: { status: string } };
          expect(record.status).toBe('needs_review');
        } finally {
          process.env = saved;
          await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
          await pool.end();
        }
      },
      60_000,
    );
  });
});
