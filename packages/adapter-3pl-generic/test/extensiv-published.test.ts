import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createGeneric3plWarehouse,
  EXTENSIV_ORDERS_REL,
  EXTENSIV_SAVED_ELEMENTS,
  encodeLineMap,
  extensivPreset,
} from '../src';
import { startFakeHttp } from './fakes/fake-http';

// biome-ignore lint/suspicious/noExplicitAny: the vendor's JSON, edited field by field
type VendorJson = any;

const PACKAGE_REL = 'http://api.3plCentral.com/rels/orders/package';
const CONTENT_REL = 'http://api.3plCentral.com/rels/orders/packagecontent';

/** The published package sample (fixtures/extensiv/order-packages.json names its source). */
const samplePackage = (): VendorJson =>
  JSON.parse(
    readFileSync(new URL('./fixtures/extensiv/order-packages.json', import.meta.url), 'utf8'),
  ).example._embedded[PACKAGE_REL][0];

/**
 * An order as the listing returns it with detail: our saved elements, one order
 * item (documented `readOnly.orderItemId` 3, the id the sample's package content
 * names) and the sample package with its contents as `packageContents`.
 */
function order(): VendorJson {
  const pkg = samplePackage();
  const { _embedded, ...rest } = pkg;
  return {
    readOnly: { orderId: 77, processDate: '2016-12-25T23:00:00' },
    referenceNum: 'ref-77',
    routingInfo: { carrier: 'UPS' },
    orderItems: [{ readOnly: { orderItemId: 3 }, itemIdentifier: { sku: 'TEE-M' }, qty: 5 }],
    savedElements: [
      { name: EXTENSIV_SAVED_ELEMENTS.orderId, value: 'eo-1' },
      { name: EXTENSIV_SAVED_ELEMENTS.shipmentId, value: 'eo-1-s1' },
      {
        name: EXTENSIV_SAVED_ELEMENTS.lines,
        value: encodeLineMap([{ lineId: 'line-1', sku: 'TEE-M', quantity: 5 }]),
      },
    ],
    packages: [{ ...rest, packageContents: _embedded[CONTENT_REL] }],
  };
}

let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers) await c();
  closers = [];
});

describe('Extensiv: the published package shape (contents name the order item, not the SKU)', () => {
  it('polling reads the package: SKU joined through orderItemId, quantity from qty', async () => {
    const server = await startFakeHttp({
      fault: () => ({ status: 500 }),
      route: (req) =>
        req.path === '/AuthServer/api/Token'
          ? { status: 200, body: { access_token: 'tok', expires_in: 3600 } }
          : {
              status: 200,
              body: { totalResults: 1, _embedded: { [EXTENSIV_ORDERS_REL]: [order()] } },
            },
    });
    const adapter = createGeneric3plWarehouse(
      extensivPreset({
        clientId: 'c',
        clientSecret: 's',
        tokenUrl: `${server.url}/AuthServer/api/Token`,
        baseUrl: server.url,
        customerId: 1,
        facilityId: 1,
        retry: { retries: 0 },
      }),
    );
    closers.push(server.close, adapter.close);
    const events = await adapter.pollEvents!(0);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'warehouse.shipped',
        orderId: 'eo-1',
        shipmentId: 'eo-1-s1',
        tracking: expect.objectContaining({ carrier: 'UPS', number: 'str' }),
        lines: [{ lineId: 'line-1', quantity: 5 }],
      }),
    ]);
  });
});
