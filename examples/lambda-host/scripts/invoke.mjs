// Runs the bundled handler locally with an API Gateway HTTP API (payload 2.0) event and prints
// the response, or runs the scheduled handler:
//
//   pnpm build
//   node scripts/invoke.mjs GET /healthz
//   node --env-file=.env scripts/invoke.mjs GET /readyz
//   node --env-file=.env scripts/invoke.mjs GET /orders/%231001 --header "authorization: Bearer $OPS_TOKEN"
//   node --env-file=.env scripts/invoke.mjs POST /webhooks/shopify --body order.json --shopify-topic orders/create
//   node --env-file=.env scripts/invoke.mjs --scheduled
//
// `--shopify-topic` signs the body with the first of SHOPIFY_SECRETS, as Shopify would, and
// adds Shopify's headers (shop: SHOPIFY_SHOP or acme.myshopify.com). `sam local invoke` does
// the same inside a container when Docker is available.
import { createHmac, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    body: { type: 'string' },
    header: { type: 'string', multiple: true },
    'shopify-topic': { type: 'string' },
    scheduled: { type: 'boolean' },
    bundle: { type: 'string' },
  },
});
const bundle =
  values.bundle ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'index.mjs');
const handlers = await import(pathToFileURL(bundle).href).catch((err) => {
  console.error(`cannot load ${bundle} (run \`pnpm build\` first): ${err.message}`);
  process.exit(2);
});

if (values.scheduled) {
  console.log(JSON.stringify(await handlers.scheduled({ source: 'aws.events' }), null, 2));
  process.exit(0);
}
const [method = 'GET', target = '/healthz'] = positionals;
const [rawPath, rawQueryString = ''] = target.split('?');
const body = values.body === undefined ? undefined : await readFile(values.body, 'utf8');
const headers = { 'user-agent': 'fulfil-invoke' };
for (const line of values.header ?? []) {
  const at = line.indexOf(':');
  headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
}
if (body !== undefined) headers['content-type'] ??= 'application/json';
if (values['shopify-topic']) {
  const secret = (process.env.SHOPIFY_SECRETS ?? '').split(',')[0]?.trim();
  if (!secret) {
    console.error('--shopify-topic needs SHOPIFY_SECRETS to sign the body');
    process.exit(2);
  }
  headers['x-shopify-topic'] = values['shopify-topic'];
  headers['x-shopify-shop-domain'] = process.env.SHOPIFY_SHOP ?? 'acme.myshopify.com';
  headers['x-shopify-webhook-id'] = randomUUID();
  headers['x-shopify-hmac-sha256'] = createHmac('sha256', secret)
    .update(body ?? '')
    .digest('base64');
}
const now = new Date();
// The shape API Gateway sends (HTTP API, payload format 2.0).
const event = {
  version: '2.0',
  routeKey: '$default',
  rawPath,
  rawQueryString,
  headers,
  requestContext: {
    accountId: '123456789012',
    apiId: 'local',
    domainName: 'localhost',
    domainPrefix: 'localhost',
    http: {
      method,
      path: rawPath,
      protocol: 'HTTP/1.1',
      sourceIp: '127.0.0.1',
      userAgent: 'fulfil-invoke',
    },
    requestId: randomUUID(),
    routeKey: '$default',
    stage: '$default',
    time: now.toUTCString(),
    timeEpoch: now.getTime(),
  },
  ...(body === undefined ? {} : { body, isBase64Encoded: false }),
};
const response = await handlers.http(event);
console.log(JSON.stringify(response, null, 2));
// The pool (if any) would keep the process alive; a Lambda container is frozen instead.
process.exit(response.statusCode >= 500 ? 1 : 0);
