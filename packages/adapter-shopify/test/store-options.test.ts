import { expectConfigInvalid } from '@fulfil/core/testing';
import { describe, expect, it } from 'vitest';
import {
  createShopifyAdminClient,
  createShopifyStore,
  type ShopifyAdminClientOptions,
  type ShopifyStoreOptions,
} from '../src';

const admin = (options: unknown) => () =>
  createShopifyAdminClient(options as ShopifyAdminClientOptions);
const store = (options: unknown) => () => createShopifyStore(options as ShopifyStoreOptions);
const full = { shop: 'acme.myshopify.com', accessToken: 'shpat_x' };

describe('createShopifyAdminClient options', () => {
  it('valid options give a client', () => {
    expect(typeof admin(full)().request).toBe('function');
  });

  it('no options, and each required option missing in turn', () => {
    expectConfigInvalid(admin(undefined), 'shop', /required: shop, accessToken/);
    for (const key of Object.keys(full) as (keyof typeof full)[]) {
      const { [key]: _dropped, ...rest } = full;
      expectConfigInvalid(admin(rest), key, /required/);
    }
  });

  it('a misspelt key, also under http, gets a suggestion', () => {
    expectConfigInvalid(
      admin({ ...full, acessToken: 'x' }),
      'acessToken',
      /did you mean "accessToken"/,
    );
    expectConfigInvalid(
      admin({ ...full, http: { timeoutMS: 5 } }),
      'http.timeoutMS',
      /did you mean "timeoutMs"/,
    );
  });

  it('a wrong type names the path, never echoing the token', () => {
    const e = expectConfigInvalid(admin({ ...full, accessToken: 42 }), 'accessToken');
    expect(e.message).not.toContain('shpat');
    expectConfigInvalid(
      admin({ ...full, limiter: {} }),
      'limiter',
      /missing methods schedule, report/,
    );
    expectConfigInvalid(admin({ ...full, endpoint: 'not a url' }), 'endpoint');
  });
});

describe('createShopifyStore options', () => {
  it('valid options give a store, with a token or an admin client', () => {
    expect(createShopifyStore(full).name).toBe('shopify');
    expect(
      createShopifyStore({ shop: full.shop, admin: createShopifyAdminClient(full) }).name,
    ).toBe('shopify');
  });

  it('no options, and each required option missing in turn', () => {
    expectConfigInvalid(store(undefined), 'shop', /called without options; required: shop/);
    expectConfigInvalid(store({ accessToken: 'x' }), 'shop', /required/);
    expectConfigInvalid(
      store({ shop: full.shop }),
      'accessToken',
      /`accessToken` \(or an `admin` client\)/,
    );
  });

  it('a misspelt key gets a suggestion', () => {
    expectConfigInvalid(store({ ...full, pagesize: 10 }), 'pagesize', /did you mean "pageSize"/);
    expectConfigInvalid(
      store({ ...full, notes: { namspace: 'x' } }),
      'notes.namspace',
      /did you mean "namespace"/,
    );
  });

  it('a wrong type names the path', () => {
    expectConfigInvalid(store({ ...full, notifyMerchantOnHold: 'yes' }), 'notifyMerchantOnHold');
    expectConfigInvalid(store({ ...full, admin: {} }), 'admin', /missing method request/);
    expectConfigInvalid(store({ ...full, orderId: 'shopify:{id}' }), 'orderId', /function/);
  });
});
