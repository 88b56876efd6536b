import { isFulfilError } from '@fulfil/core';
import { describe, expect, it } from 'vitest';
import {
  createGeneric3plWarehouse,
  extensivPreset,
  type Generic3plConfig,
  parseGeneric3plConfig,
  shipbobPreset,
} from '../src';

/** A small valid configuration to break one field at a time. */
function base(): Generic3plConfig {
  return {
    name: 'acme-3pl',
    baseUrl: 'https://api.acme-3pl.example/v2',
    auth: { type: 'apiKey', header: 'x-api-key', value: 'k-123' },
    operations: {
      submit: {
        method: 'POST',
        path: '/orders',
        body: [
          { to: 'externalRef', from: 'reference' },
          { to: 'items', each: 'lines', fields: [{ to: 'sku', from: 'sku' }] },
        ],
        response: { warehouseOrderId: 'id' },
      },
    },
  };
}

/** The error `parseGeneric3plConfig` throws for `config`. */
function errorOf(config: unknown) {
  try {
    parseGeneric3plConfig(config);
  } catch (err) {
    if (isFulfilError(err, 'CONFIG_INVALID')) return err;
    throw err;
  }
  throw new Error('expected CONFIG_INVALID');
}

describe('configuration validation', () => {
  it('accepts the base config and both presets, and derives capabilities from operations', () => {
    expect(parseGeneric3plConfig(base()).name).toBe('acme-3pl');
    const minimal = createGeneric3plWarehouse(base());
    expect(minimal.capabilities).toEqual({
      cancel: false,
      holdUntil: false,
      inventory: false,
      shipmentEvents: false,
      webhooks: false,
    });
    expect(minimal.cancel).toBeUndefined();
    expect(minimal.handleWebhook).toBeUndefined();
    const sb = createGeneric3plWarehouse(
      shipbobPreset({ token: 't', webhookSecret: 'whsec_AAAA' }),
    );
    expect(sb.capabilities).toEqual({
      cancel: true,
      holdUntil: false,
      inventory: true,
      shipmentEvents: true,
      webhooks: true,
    });
    const ex = extensivPreset({ clientId: 'c', clientSecret: 's', customerId: 1, facilityId: 2 });
    expect(createGeneric3plWarehouse(ex).capabilities.webhooks).toBe(false);
  });

  // biome-ignore lint/suspicious/noExplicitAny: each case breaks one nested field of a JSON config
  type Config = Record<string, any>;
  const cases: [string, (c: Config) => void, string, RegExp][] = [
    [
      'an unknown path placeholder',
      (c) => {
        c.operations.submit.path = '/orders/{nope}';
      },
      'operations.submit.path',
      /unknown placeholder \{nope\}.*\{reference\}/,
    ],
    [
      'a missing path',
      (c) => {
        delete c.operations.submit.path;
      },
      'operations.submit.path',
      /expected string/i,
    ],
    [
      'an absolute URL as a path',
      (c) => {
        c.operations.submit.path = 'https://evil.example/orders';
      },
      'operations.submit.path',
      /relative to baseUrl/,
    ],
    [
      'an unknown transform',
      (c) => {
        c.operations.submit.body[0].transform = ['upper', { fn: 'eval', code: 'x' }];
      },
      'operations.submit.body[0].transform[1].fn',
      /unknown transform; use one of: .*minorToDecimal/,
    ],
    [
      'a rule with both from and const',
      (c) => {
        c.operations.submit.body[1].fields[0].const = 'X';
      },
      'operations.submit.body[1].fields[0]',
      /exactly one of "from", "const" or "each"/,
    ],
    [
      'a target path with a wildcard',
      (c) => {
        c.operations.submit.body[0].to = 'items[*].ref';
      },
      'operations.submit.body[0].to',
      /only fields and indexes/,
    ],
    [
      'a bad source path',
      (c) => {
        c.operations.submit.body[0].from = 'shipTo..city';
      },
      'operations.submit.body[0].from',
      /empty field name/,
    ],
    [
      'an unknown auth type',
      (c) => {
        c.auth = { type: 'hmac', key: 'x' };
      },
      'auth.type',
      /none, bearer, basic, apiKey, oauth2/,
    ],
    [
      'an OAuth2 token URL that is not a URL',
      (c) => {
        c.auth = { type: 'oauth2', tokenUrl: 'not a url', clientId: 'a', clientSecret: 'b' };
      },
      'auth.tokenUrl',
      /URL/i,
    ],
    [
      'a negative rate limit',
      (c) => {
        c.rateLimit = { kind: 'sliding-window', limit: -1, windowMs: 1000 };
      },
      'rateLimit.limit',
      />0|positive|too small/i,
    ],
    [
      'a webhook scheme without secrets',
      (c) => {
        c.webhook = {
          signature: { header: 'x-sig', secrets: [] },
          shipments: { orderId: 'a', shipmentId: 'b', carrier: 'c', trackingNumber: 'd' },
        };
      },
      'webhook.signature.secrets',
      /at least one secret/,
    ],
    [
      'an unknown field (a typo)',
      (c) => {
        c.operations.submit.respones = {};
      },
      'operations.submit.respones',
      /respones: unknown option \(did you mean "response"\?\)/,
    ],
    [
      'a submit that carries no idempotency reference',
      (c) => {
        c.operations.submit.body = [{ to: 'sku', from: 'lines[0].sku' }];
      },
      'operations.submit.body',
      /idempotency reference/,
    ],
    [
      'a cancel by vendor id without a lookup operation',
      (c) => {
        c.operations.cancel = { method: 'POST', path: '/orders/{warehouseOrderId}/cancel' };
      },
      'operations.cancel.path',
      /needs operations\.getOrder/,
    ],
    [
      'a listing without shippedAt',
      (c) => {
        c.operations.listShipments = {
          method: 'GET',
          path: '/shipments',
          query: { since: '{since}' },
          response: { orderId: 'a', shipmentId: 'b', carrier: 'c', trackingNumber: 'd' },
        };
      },
      'operations.listShipments.response.shippedAt',
      /./,
    ],
  ];

  it.each(cases)('rejects %s, naming the path', (_name, breakIt, path, message) => {
    const config = structuredClone(base()) as Config;
    breakIt(config);
    const err = errorOf(config);
    expect(err.details.path).toBe(path);
    expect(err.message).toContain(path);
    expect(err.message).toMatch(message);
  });

  it('rejects a preset with a bad option through the same validation', () => {
    const err = errorOf(shipbobPreset({ token: '', webhookSecret: 'whsec_AAAA' }));
    expect(err.details.path).toBe('auth.token');
  });

  it('createGeneric3plWarehouse validates too', () => {
    expect(() => createGeneric3plWarehouse({ ...base(), baseUrl: 'nope' })).toThrow(
      /CONFIG_INVALID: createGeneric3plWarehouse options: baseUrl/,
    );
  });
});
