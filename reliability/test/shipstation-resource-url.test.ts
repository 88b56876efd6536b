/**
 * SSRF fuzzing of ShipStation's SHIP_NOTIFY `resource_url`: generated URLs mixing ShipStation's
 * hosts with look-alikes, userinfo tricks, ports, IP literals, schemes and paths, plus arbitrary
 * URLs and strings. The adapter runs on the production baseUrl with a recording `fetch` that
 * answers every call itself (no network at all). Expected: never a throw, a 200 or a 400, and
 * every request sent goes to `https://<host>.shipstation.com` (default port) with our auth.
 */
import { createShipStationWarehouse } from '@fulfil/adapter-shipstation';
import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import { recordTrial, soak, trials } from './report';

const TOKEN = 'fuzz-token-0123456789';
const sent: URL[] = [];
const stub = (async (input: string | URL | Request) => {
  sent.push(new URL(input instanceof Request ? input.url : String(input)));
  // ShipStation's documented empty list page.
  return new Response('{"shipments":[],"total":0,"page":1,"pages":0}', {
    status: 200,
    headers: { 'content-type': 'application/json' },
  });
}) as typeof fetch;
const adapter = createShipStationWarehouse({
  apiKey: 'fuzz-key',
  apiSecret: 'fuzz-secret',
  warehouseIds: { east: 1 },
  webhookToken: TOKEN,
  fetch: stub,
  retry: { retries: 0 },
  // The limiter is not under test: no waiting for ShipStation's 40 a minute.
  rateLimit: { limit: 1_000_000, windowMs: 1000 },
});
afterAll(() => adapter.close());

const FAMILY = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+shipstation\.com$/;
const tricky = fc
  .tuple(
    fc.constantFrom('https://', 'http://', 'HTTPS://', '//', 'ftp://', 'https:/', 'https:\\\\'),
    fc.constantFrom('', 'a@', 'ssapi.shipstation.com@', 'user:pass@', 'x:@'),
    fc.constantFrom(
      'ssapi.shipstation.com',
      'ssapi6.shipstation.com',
      'SSAPI11.ShipStation.COM',
      'shipstation.com',
      'evilshipstation.com',
      'ssapi.shipstation.com.evil.com',
      'ssapi.shipstation.com%2eevil.com',
      'ssapi.shipstation.com.',
      'evil.com\\@ssapi.shipstation.com',
      '127.0.0.1',
      '[::1]',
      '2130706433',
      '169.254.169.254',
      'localhost',
    ),
    fc.constantFrom('', ':443', ':8443', ':80', ':0'),
    fc.constantFrom(
      '/shipments',
      '/shipments/',
      '/Shipments',
      '/orders/1',
      '/shipments/../orders',
      '',
    ),
    fc.string({ maxLength: 40 }),
  )
  .map(
    ([scheme, user, host, port, path, query]) => `${scheme}${user}${host}${port}${path}?${query}`,
  );
/** What ShipStation really sends: `https://ssapiN.shipstation.com/shipments?...`. */
const genuine = fc
  .tuple(
    fc.constantFrom('ssapi', 'ssapi4', 'ssapi6', 'ssapi11', 'SSAPI6'),
    fc.string({ maxLength: 40 }),
  )
  .map(([host, query]) => `https://${host}.shipstation.com/shipments?${query}`);
const resourceUrl = fc.oneof(
  { arbitrary: tricky, weight: 4 },
  { arbitrary: genuine, weight: 2 },
  { arbitrary: fc.webUrl({ withQueryParameters: true }), weight: 1 },
  { arbitrary: fc.string(), weight: 1 },
);

it(
  'SHIP_NOTIFY resource_url fuzz: only ShipStation hosts are ever called',
  async () => {
    const runs = trials(300, 20_000);
    let accepted = 0;
    let refused = 0;
    let foreign = 0;
    await fc.assert(
      fc.asyncProperty(resourceUrl, async (resource_url) => {
        sent.length = 0;
        const result = await adapter.handleWebhook({
          method: 'POST',
          url: `/webhooks/shipstation?token=${TOKEN}`,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ resource_url, resource_type: 'SHIP_NOTIFY' }),
        });
        if (result.status === 200) accepted++;
        else refused++;
        for (const u of sent) {
          const ok =
            u.protocol === 'https:' && u.port === '' && !u.username && FAMILY.test(u.hostname);
          if (!ok) foreign++;
        }
        expect([200, 400]).toContain(result.status);
        // A request was sent exactly when the URL was accepted, and only to the URL's own host.
        if (result.status === 200) {
          expect(sent.length).toBeGreaterThan(0);
          expect(sent[0]!.hostname).toBe(new URL(resource_url).hostname);
        } else expect(sent).toEqual([]);
        expect(foreign).toBe(0);
      }),
      { numRuns: runs, seed: 11 },
    );
    recordTrial({
      area: 'adapter-shipstation',
      fault:
        'SHIP_NOTIFY resource_url fuzz (look-alike hosts, userinfo, ports, IPs, schemes, paths)',
      trials: runs,
      result: `${accepted} read from a ShipStation host, ${refused} refused (400), ${foreign} requests to any other host`,
      ok: foreign === 0,
    });
  },
  soak ? 900_000 : 30_000,
);
