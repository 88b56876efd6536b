import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMemoryStorage, type OrderEventInput, type OrderInput } from '@fulfil/core';
import { applyRestock, generateScenario } from '../../../examples/quickstart/src/scenario';
import { createDemoWorld } from '../../../examples/quickstart/src/world';
import { type ConsoleOptions, createConsole, toNodeHandler } from '../src/index';

const HOUR = 3_600_000;

/**
 * Notes that must render as text: the issue's examples and an attribute breakout. The
 * project's hostile-note corpus (core's test/notes/data/hostile.json) is added by the tests.
 */
export const HOSTILE_NOTES = [
  'Please change the address to 12 Elm St <img src=x onerror=alert(1)>',
  'change the address </script><script>window.__pwned=1;alert(2)</script>',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template placeholder is the payload
  'wrong address "><svg onload=alert(3)> `${alert(4)}` javascript:alert(5)',
] as const;

/**
 * A real engine on the in-memory storage (with its `insights` read model), the quickstart's
 * two simulated warehouses, its rules and a seeded scenario replayed through `engine.ingest`
 * hour by hour (timers, polling) — without an operator, so the review queue stays full.
 */
export async function seededWorld(options: { orders?: number; seed?: number; days?: number } = {}) {
  const scenario = generateScenario({
    orders: options.orders ?? 80,
    seed: options.seed ?? 7,
    start: '2026-11-23T05:00:00Z',
    days: options.days ?? 2,
  });
  // The read model's defaults and finish times follow the simulated clock.
  const world = createDemoWorld(scenario.start, scenario.stock, scenario.locations, (clock) =>
    createMemoryStorage({ clock }),
  );
  const { clock, engine, storage } = world;
  const tickTo = async (t: number) => {
    while (clock.now() + HOUR <= t) {
      clock.advance(HOUR);
      await engine.runDue();
      await engine.pollWarehouses();
    }
    if (t > clock.now()) clock.set(t);
  };
  for (const timed of scenario.events) {
    await tickTo(timed.at);
    await engine.ingest(applyRestock(scenario.stock, timed));
  }
  await tickTo(clock.now() + 12 * HOUR);
  const template = scenario.events.find((e) => e.event.type === 'order.received')?.event as
    | Extract<OrderEventInput, { type: 'order.received' }>
    | undefined;
  if (!template) throw new Error('the scenario has no order');
  // A restock of everything everywhere (kits count their components): orders the tests add
  // route when released.
  const skus = new Set(scenario.catalog.products.map((p) => p.sku));
  for (const line of template.order.lines) if (line.sku) skus.add(line.sku);
  for (const location of scenario.locations) {
    const row = scenario.stock[location.id] ?? {};
    for (const sku of skus) row[sku] = (row[sku] ?? 0) + 10_000;
    scenario.stock[location.id] = row;
  }

  let n = 0;
  /** Ingests one more paid order, a copy of the scenario's first with `overrides`. */
  const addOrder = async (overrides: Partial<OrderInput>) => {
    n++;
    const at = new Date(clock.now()).toISOString();
    const order = {
      ...(template.order as OrderInput),
      id: `console-test-${n}`,
      source: {
        ...(template.order as OrderInput).source,
        externalId: `990000000000${n}`,
        name: `#T${n}`,
      },
      paymentStatus: 'paid' as const,
      createdAt: at,
      updatedAt: at,
      ...overrides,
    };
    const result = await engine.ingest({
      type: 'order.received',
      idempotencyKey: `test:${order.id}`,
      occurredAt: at,
      order,
    });
    return { orderId: order.id, result };
  };
  return { ...world, scenario, storage, addOrder };
}

export type SeededWorld = Awaited<ReturnType<typeof seededWorld>>;

/** The console on a real 127.0.0.1 HTTP server (node:http + toNodeHandler). */
export async function serveConsole(
  world: SeededWorld,
  overrides: Partial<ConsoleOptions> = {},
): Promise<{ url: string; server: Server; close: () => Promise<void> }> {
  const handler = createConsole({
    engine: world.engine,
    storage: world.storage,
    clock: world.clock,
    basePath: '/ops',
    adminLinks: 'https://admin.shopify.com/store/{shop}/orders/{externalId}',
    authorize: basicUser,
    wwwAuthenticate: 'Basic realm="test"',
    ...overrides,
  });
  const server = createServer(toNodeHandler(handler));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/ops`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Test credentials: `Authorization: Basic` of `ops-alice:correct horse battery`. */
export const ALICE = { user: 'ops-alice', password: 'correct horse battery' };
export const ALICE_AUTH = `Basic ${Buffer.from(`${ALICE.user}:${ALICE.password}`).toString('base64')}`;

/** The test authorizer: Alice by Basic auth, anyone else refused. */
export function basicUser(request: Request) {
  return request.headers.get('authorization') === ALICE_AUTH
    ? { id: ALICE.user, name: 'Alice (ops)' }
    : null;
}
