import { FulfilError } from '@fulfil/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createConsole } from '../src/index';
import { formField, session } from './helpers';
import { ALICE_AUTH, basicUser, type SeededWorld, seededWorld } from './world';

let world: SeededWorld;

beforeAll(async () => {
  world = await seededWorld({ orders: 20 });
}, 120_000);

function consoleSession() {
  const handler = createConsole({
    engine: world.engine,
    storage: world.storage,
    clock: world.clock,
    authorize: basicUser,
    basePath: '/ops',
  });
  return session(handler, 'http://console.test', ALICE_AUTH);
}

const refusal = (message: string) =>
  new FulfilError('ADAPTER_FAILED', message, { details: { retryable: false } });

describe('failed commands', () => {
  it('lists a dead store command with its error (escaped); "retry now" runs it again', async () => {
    const insights = world.storage.insights;
    // The store refuses the next call for good: that command dies at once (no retries).
    world.store.failNext(1, refusal('store said <b>no</b> & gave up'));
    const { orderId } = await world.addOrder({
      note: 'Please change the shipping address to 5 Oak Ave',
    });
    await world.engine.idle();
    const dead = (await insights?.orderCommands(orderId))?.find((c) => c.status === 'dead');
    expect(dead?.lastError).toContain('store said <b>no</b>');
    const s = consoleSession();
    const list = await (await s.get('/ops/commands')).text();
    expect(list).toContain(`data-command="${dead?.commandId}"`);
    expect(list).toContain('store said &lt;b&gt;no&lt;/b&gt; &amp; gave up');
    const orderPage = await (await s.get(`/ops/orders/${orderId}`)).text();
    expect(orderPage).toContain(
      `/ops/commands/${encodeURIComponent(dead?.commandId as string)}/retry`,
    );

    const res = await s.post(
      `/ops/commands/${encodeURIComponent(dead?.commandId as string)}/retry`,
      {
        _csrf: formField(list, '_csrf'),
        returnTo: `/ops/orders/${orderId}`,
      },
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/ops/orders/${orderId}?done=retry&order=${orderId}`);
    // The store answered this time: the command ran again and is done (one more attempt).
    const after = (await insights?.orderCommands(orderId))?.find(
      (c) => c.commandId === dead?.commandId,
    );
    expect(after).toMatchObject({ status: 'done', attempts: (dead?.attempts ?? 0) + 1 });
    // An unknown command is refused, not an error page.
    const unknown = await s.post('/ops/commands/no-such-command/retry', {
      _csrf: formField(list, '_csrf'),
    });
    expect(unknown.headers.get('location')).toBe('/ops/commands?error=retry_refused');
    // Without the token: 403, as every POST.
    const forged = await s.post(
      `/ops/commands/${encodeURIComponent(dead?.commandId as string)}/retry`,
      {},
    );
    expect(forged.status).toBe(403);
  });

  it('a warehouse submit that failed for good is retried: the warehouse takes it and the order leaves review', async () => {
    const insights = world.storage.insights;
    const { east, west } = world.warehouses;
    const before = [...east.orders(), ...(west?.orders() ?? [])].length;
    // Whichever warehouse the order routes to refuses its submit for good.
    east.failAlways(true, refusal('east: account suspended'));
    west?.failAlways(true, refusal('west: account suspended'));
    const { orderId } = await world.addOrder({});
    await world.engine.idle();
    east.failAlways(false);
    west?.failAlways(false);
    const dead = (await insights?.orderCommands(orderId))?.find(
      (c) => c.type === 'warehouse.submit' && c.status === 'dead',
    );
    expect(dead?.lastError).toContain('account suspended');
    const failed = await world.storage.load(orderId);
    expect(failed?.status).toBe('needs_review');
    expect(failed?.review?.reasons.join(' ')).toContain('warehouse.submit failed for good');
    const s = consoleSession();
    const list = await (await s.get('/ops/commands')).text();
    const res = await s.post(
      `/ops/commands/${encodeURIComponent(dead?.commandId as string)}/retry`,
      { _csrf: formField(list, '_csrf'), returnTo: `/ops/orders/${orderId}` },
    );
    expect(res.status).toBe(303);
    await world.engine.idle();

    // It ran again and the (simulated) warehouse holds the order now, under the same key.
    const after = (await insights?.orderCommands(orderId))?.find(
      (c) => c.commandId === dead?.commandId,
    );
    expect(after).toMatchObject({ status: 'done', attempts: (dead?.attempts ?? 0) + 1 });
    const upstream = [...east.orders(), ...(west?.orders() ?? [])];
    expect(upstream.length).toBe(before + 1);
    const record = await world.storage.load(orderId);
    const shipment = record?.shipments[0];
    expect(upstream.some((o) => o.request.shipment.id === shipment?.id)).toBe(true);
    // The review was only for the failed submit: the order follows its shipment again.
    expect(shipment?.status).toBe('accepted');
    expect(record?.status).toBe('submitted');
    expect(record?.review).toBeUndefined();
    const queue = await insights?.reviewQueue({ limit: 500 });
    expect(queue?.items.some((i) => i.orderId === orderId)).toBe(false);
  });
});
