import { FulfilError } from '@fulfil/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createConsole } from '../src/index';
import { formField, session } from './helpers';
import { ALICE_AUTH, basicUser, type SeededWorld, seededWorld } from './world';

let world: SeededWorld;
let orderId: string;

beforeAll(async () => {
  world = await seededWorld({ orders: 20 });
  // The store refuses the next call for good: that command dies at once (no retries).
  const refusal = new FulfilError('ADAPTER_FAILED', 'store said <b>no</b> & gave up', {
    details: { retryable: false },
  });
  world.store.failNext(1, refusal);
  ({ orderId } = await world.addOrder({ note: 'Please change the shipping address to 5 Oak Ave' }));
  await world.engine.idle();
}, 120_000);

describe('failed commands', () => {
  it('lists a dead command with its error (escaped); "retry now" requeues it and runs the dispatcher', async () => {
    const insights = world.storage.insights;
    const dead = (await insights?.orderCommands(orderId))?.find((c) => c.status === 'dead');
    expect(dead?.lastError).toContain('store said <b>no</b>');
    const handler = createConsole({
      engine: world.engine,
      storage: world.storage,
      clock: world.clock,
      authorize: basicUser,
      basePath: '/ops',
    });
    const s = session(handler, 'http://console.test', ALICE_AUTH);
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
    // The row was made claimable and the dispatcher claimed it again (one more attempt).
    // NB: core's dispatcher then finds `command.failed` already raised for this command and
    // marks it dead again without running it ("failed for good earlier"): a retried store or
    // warehouse command does not run until core lets a person's retry through.
    const after = (await insights?.orderCommands(orderId))?.find(
      (c) => c.commandId === dead?.commandId,
    );
    expect(after?.attempts).toBe((dead?.attempts ?? 0) + 1);
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
});
