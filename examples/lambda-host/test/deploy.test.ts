/**
 * The deployable artifact: `scripts/build.mjs` bundles the handlers with esbuild, and
 * `template.yaml` (AWS SAM) matches the bundle: every Handler exists in it, every route the
 * template sends is one the code answers, and the variables the code reads are exactly the
 * ones the template and `.env.example` set. The template is validated with cfn-lint (AWS's
 * CloudFormation linter, which runs the SAM translator and checks the resulting resources
 * against the CloudFormation resource schemas) when it is installed.
 */
import { execFile, spawnSync } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { LAMBDA_ENV_VARS, REQUIRED_ENV_VARS } from '../src/config';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = join(root, 'dist', 'index.mjs');

// CloudFormation's short-form tags (`!Ref`, `!Sub`, ...) as their long forms.
const FUNCTIONS = ['Ref', 'Sub', 'GetAtt', 'If', 'Not', 'Equals', 'Join', 'Select', 'Split'];
const customTags = FUNCTIONS.flatMap((name) => {
  const key = name === 'Ref' ? 'Ref' : `Fn::${name}`;
  return (['scalar', 'seq'] as const).map((kind) => ({
    tag: `!${name}`,
    ...(kind === 'seq' ? { collection: 'seq' as const } : {}),
    resolve: (value: unknown) => ({
      [key]:
        typeof value === 'object' && value !== null && 'toJSON' in value
          ? (value as { toJSON(): unknown }).toJSON()
          : value,
    }),
  }));
});

interface Template {
  Transform: string;
  Globals: {
    Function: {
      CodeUri: string;
      Runtime: string;
      Environment: { Variables: Record<string, unknown> };
    };
  };
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
}
let template: Template;
let handlers: Record<string, unknown>;

beforeAll(async () => {
  await run(process.execPath, ['scripts/build.mjs'], { cwd: root });
  template = parse(await readFile(join(root, 'template.yaml'), 'utf8'), { customTags }) as Template;
  handlers = await import(pathToFileURL(bundle).href);
}, 120_000);

const functions = () =>
  Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::Serverless::Function');

/** The bundle's required variables, fake (no database is reached except by /readyz). */
const FAKE_ENV = {
  PATH: process.env.PATH ?? '',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere',
  SHOPIFY_SECRETS: 'test_secret_key',
  SHIPSTATION_API_KEY: 'key',
  SHIPSTATION_API_SECRET: 'secret',
  SHIPSTATION_WEBHOOK_TOKEN: 'whk_0123456789abcdef',
  FULFIL_LOCATIONS: '[{"id":"reno","shipstationWarehouseId":401}]',
};

describe('the bundle', () => {
  it('is one self-contained ES module exporting both handlers', async () => {
    const size = (await stat(bundle)).size;
    expect(size).toBeGreaterThan(100_000);
    expect(size).toBeLessThan(5 * 1024 * 1024);
    // Copied alone outside the workspace (no node_modules anywhere above it), it loads and
    // answers: nothing is left to resolve at run time but Node's own modules.
    const dir = await mkdtemp(join(tmpdir(), 'fulfil-lambda-'));
    try {
      await copyFile(bundle, join(dir, 'index.mjs'));
      const script = `const h = await import('./index.mjs');
        const r = await h.http({ rawPath: '/healthz', requestContext: { http: { method: 'GET' } } });
        console.log(r.statusCode);`;
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '' },
      });
      expect(stdout.trim()).toBe('200');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    expect(typeof handlers.http).toBe('function');
    expect(typeof handlers.scheduled).toBe('function');
  });

  it('answers /healthz 200 and says what is missing, run by the invoke script with no environment', async () => {
    const invoke = (...args: string[]) =>
      spawnSync(process.execPath, ['scripts/invoke.mjs', ...args], {
        cwd: root,
        env: { PATH: process.env.PATH ?? '' },
        encoding: 'utf8',
      });
    const health = invoke('GET', '/healthz');
    expect(health.status).toBe(0);
    expect(JSON.parse(health.stdout)).toMatchObject({ statusCode: 200, body: '{"ok":true}' });
    for (const [method, path] of [
      ['GET', '/readyz'],
      ['POST', '/webhooks/shopify'],
    ]) {
      const out = invoke(method!, path!);
      const response = JSON.parse(out.stdout) as { statusCode: number; body: string };
      expect(response.statusCode).toBe(503);
      const body = JSON.parse(response.body) as { error: string; message: string };
      expect(body.error).toBe('CONFIG_INVALID');
      expect(body.message).toContain(
        `missing environment variables: ${REQUIRED_ENV_VARS.join(', ')}`,
      );
      // The log says it in one line: no stack, no validation dump.
      expect(out.stderr.trim().split('\n')).toHaveLength(1);
      expect(out.stderr).not.toMatch(/\n\s+at |ZodError/);
    }
  });
});

describe('template.yaml', () => {
  it('points every function at a handler the bundle exports', async () => {
    expect(template.Transform).toBe('AWS::Serverless-2016-10-31');
    expect(template.Globals.Function.CodeUri).toBe('dist/');
    const names = functions().map(([, r]) => r.Properties.Handler as string);
    expect(names.sort()).toEqual(['index.http', 'index.scheduled']);
    for (const handler of names) {
      const [file, exported] = handler.split('.');
      await expect(stat(join(root, 'dist', `${file}.mjs`))).resolves.toBeTruthy();
      expect(typeof handlers[exported!]).toBe('function');
    }
    const scheduled = functions().find(([, r]) => r.Properties.Handler === 'index.scheduled')!;
    expect(Object.values(scheduled[1].Properties.Events as object).map((e) => e.Type)).toEqual([
      'Schedule',
    ]);
  });

  it('sets exactly the variables the code reads, as .env.example lists them', async () => {
    // The code: config.ts's schema plus Slack's variables; process.env reads in src/.
    const read = new Set(LAMBDA_ENV_VARS);
    // The console's accounts, read by hostFromEnv (parseConsoleUsers of @fulfil/console).
    for (const name of ['CONSOLE_USERS', 'CONSOLE_PASSWORD']) expect(read).toContain(name);
    for (const file of ['config.ts', 'host.ts', 'index.ts', 'ops-token.ts']) {
      const text = await readFile(join(root, 'src', file), 'utf8');
      for (const m of text.matchAll(/process\.env\.([A-Z0-9_]+)|process\.env\[['"]([A-Z0-9_]+)/g))
        expect(read).toContain(m[1] ?? m[2]);
    }
    const slack = await readFile(
      join(root, '..', '..', 'packages', 'alerts-slack', 'src', 'from-env.ts'),
      'utf8',
    );
    const slackVars = [...slack.matchAll(/value\('([A-Z0-9_]+)'\)/g)].map((m) => m[1]!);
    expect(slackVars.length).toBeGreaterThan(3);
    for (const name of slackVars) expect(read).toContain(name);

    const set = Object.keys(template.Globals.Function.Environment.Variables).filter(
      (name) => name !== 'NODE_OPTIONS',
    );
    expect(set.sort()).toEqual([...read].sort());
    const example = (await readFile(join(root, '.env.example'), 'utf8'))
      .split('\n')
      .filter((line) => /^[A-Z0-9_]+=/.test(line))
      .map((line) => line.slice(0, line.indexOf('=')));
    expect(example.sort()).toEqual([...read].sort());
  });

  it('takes secrets from Secrets Manager and the locations from SSM Parameter Store', () => {
    const vars = template.Globals.Function.Environment.Variables;
    for (const name of [
      'DATABASE_URL',
      'SHOPIFY_SECRETS',
      'SHIPSTATION_API_SECRET',
      'OPS_TOKEN',
      'CONSOLE_USERS',
      'CONSOLE_PASSWORD',
    ])
      expect(JSON.stringify(vars[name])).toContain(
        `{{resolve:secretsmanager:\${SecretName}:SecretString:${name}}}`,
      );
    const raw = template as unknown as { Parameters: Record<string, { Type: string }> };
    expect(vars.FULFIL_LOCATIONS).toEqual({ Ref: 'LocationsParameter' });
    expect(raw.Parameters.LocationsParameter?.Type).toBe('AWS::SSM::Parameter::Value<String>');
  });

  it('routes to the HTTP function only paths the code answers', async () => {
    const http = functions().find(([, r]) => r.Properties.Handler === 'index.http')!;
    const routes = Object.values(
      http[1].Properties.Events as Record<
        string,
        { Type: string; Properties: Record<string, string> }
      >,
    ).map((e) => {
      expect(e.Type).toBe('HttpApi');
      expect(e.Properties.ApiId).toEqual({ Ref: 'HttpApi' });
      return [e.Properties.Method!, e.Properties.Path!] as const;
    });
    expect(routes.length).toBe(10);
    expect(routes).toContainEqual(['ANY', '/ops']);
    expect(routes).toContainEqual(['ANY', '/ops/{proxy+}']);
    // A complete (fake) environment: the engine is built, no database is ever reached except
    // by /readyz. Every route must be answered by its handler, never the catch-all 404.
    const env = {
      ...FAKE_ENV,
      OPS_TOKEN: 'ops_token_0123456789abcdef',
      SLACK_SIGNING_SECRET: 'slack_signing_secret',
      CONSOLE_PASSWORD: 'console password 0123',
    };
    const script = `
      const h = await import(${JSON.stringify(pathToFileURL(bundle).href)});
      const routes = ${JSON.stringify(routes)};
      const out = [];
      for (const [method, path] of [...routes, ['GET', '/not-a-route']]) {
        const rawPath = path
          .replace('{key}', 'shipstation')
          .replace('{id}', '1001')
          .replace('{proxy+}', 'review');
        const r = await h.http({
          rawPath,
          headers: {},
          body: '',
          requestContext: { http: { method: method === 'ANY' ? 'GET' : method } },
        });
        out.push([method, path, r.statusCode, r.headers['www-authenticate'] ?? null]);
      }
      console.log(JSON.stringify(out));
      process.exit(0);`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: root,
      env,
    });
    const answered = JSON.parse(stdout) as [string, string, number, string | null][];
    expect(answered.at(-1)?.slice(0, 3)).toEqual(['GET', '/not-a-route', 404]);
    for (const [method, path, status] of answered.slice(0, -1)) {
      const expected = path === '/healthz' ? 200 : path === '/readyz' ? 503 : 401;
      expect([method, path, status]).toEqual([method, path, expected]);
    }
    // The console's 401 asks the browser for its Basic sign-in.
    for (const [, path, , challenge] of answered.filter(([, p]) => p.startsWith('/ops')))
      expect([path, challenge]).toEqual([path, 'Basic realm="fulfil console", charset="UTF-8"']);
  }, 60_000);

  it('without CONSOLE_USERS / CONSOLE_PASSWORD the bundle has no console (404) and says so once', async () => {
    const env = {
      ...FAKE_ENV,
      CONSOLE_USERS: '',
      CONSOLE_PASSWORD: '',
    };
    const script = `
      const h = await import(${JSON.stringify(pathToFileURL(bundle).href)});
      const out = [];
      for (const rawPath of ['/ops', '/ops/', '/ops/review', '/ops']) {
        const r = await h.http({ rawPath, headers: {}, requestContext: { http: { method: 'GET' } } });
        out.push(r.statusCode);
      }
      console.log(JSON.stringify(out));
      process.exit(0);`;
    const { stdout, stderr } = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: root,
      env,
    });
    expect(JSON.parse(stdout)).toEqual([404, 404, 404, 404]);
    const lines = stderr
      .trim()
      .split('\n')
      .filter((line) => line.includes('console_off'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'warn', event: 'console_off' });
  }, 60_000);
});

const cfnLint = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
const haveCfnLint = cfnLint.status === 0;

describe.skipIf(!haveCfnLint)(
  `cfn-lint (${cfnLint.stdout?.trim() || 'not installed: pip install cfn-lint'})`,
  () => {
    it('validates the template (SAM transform and resource schemas), and catches a broken copy', async () => {
      // Both copies in a temporary folder (dist/ is what gets deployed).
      const dir = await mkdtemp(join(tmpdir(), 'fulfil-template-'));
      try {
        const good = join(dir, 'template.yaml');
        const broken = join(dir, 'template-broken.yaml');
        const text = await readFile(join(root, 'template.yaml'), 'utf8');
        await copyFile(join(root, 'template.yaml'), good);
        // A typo in a resource property and a schedule event without its schedule.
        await writeFile(
          broken,
          text
            .replace('MemorySize: 512', 'MemorySize: lots')
            .replace('Schedule: !Ref ScheduleExpression', 'Enabled: true'),
        );
        const result = spawnSync('cfn-lint', ['--format', 'json', good, broken], {
          encoding: 'utf8',
        });
        const findings = JSON.parse(result.stdout) as { Filename: string; Rule: { Id: string } }[];
        expect(findings.filter((f) => f.Filename === good)).toEqual([]);
        const errors = findings.filter((f) => f.Filename === broken).map((f) => f.Rule.Id);
        // (the SAM transform stops at its first error: one finding at least, an error)
        expect(errors.length).toBeGreaterThanOrEqual(1);
        expect(errors.every((id) => id.startsWith('E'))).toBe(true);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }, 120_000);
  },
);
