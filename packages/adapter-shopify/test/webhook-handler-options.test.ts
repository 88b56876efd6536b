import { expectConfigInvalid } from '@fulfil/core/testing';
import { describe, expect, it } from 'vitest';
import { createShopifyWebhookHandler, type ShopifyWebhookHandlerOptions } from '../src';

const js = (options: unknown) => () =>
  createShopifyWebhookHandler(options as ShopifyWebhookHandlerOptions);
const engine = { ingest: async () => ({ outcome: 'applied' }) };

describe('createShopifyWebhookHandler options', () => {
  it('valid options give a handler', () => {
    expect(typeof js({ secrets: ['s3cret'], engine })()).toBe('function');
  });

  it('no options, or no secrets: CONFIG_INVALID naming secrets', () => {
    expectConfigInvalid(js(undefined), 'secrets', /called without options; required: secrets/);
    expectConfigInvalid(js({ engine }), 'secrets', /required/);
    expectConfigInvalid(js({ secrets: [], engine }), 'secrets', /at least one webhook secret/);
  });

  it('a misspelt option gets a suggestion', () => {
    expectConfigInvalid(js({ secret: ['s3cret'], engine }), 'secret', /did you mean "secrets"/);
    expectConfigInvalid(
      js({ secrets: ['s3cret'], engine, maxBodyByte: 10 }),
      'maxBodyByte',
      /did you mean "maxBodyBytes"/,
    );
  });

  it('an engine without ingest, or neither engine nor ingest', () => {
    expectConfigInvalid(js({ secrets: ['s3cret'], engine: {} }), 'engine', /missing method ingest/);
    expectConfigInvalid(js({ secrets: ['s3cret'] }), 'engine', /give `engine` or `ingest`/);
  });
});
