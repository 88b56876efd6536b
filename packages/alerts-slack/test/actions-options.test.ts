import { expectConfigInvalid } from '@fulfil/core/testing';
import { describe, expect, it } from 'vitest';
import { createSlackActionsHandler, type SlackActionsHandlerOptions } from '../src';

const create = (o: unknown) => () => createSlackActionsHandler(o as SlackActionsHandlerOptions);
const full = {
  signingSecret: '8f742231b10e8888abcd99yyyzzz85a5',
  engine: { ingest: async () => ({ outcome: 'applied' }) },
  authorizeUser: () => true,
};

describe('createSlackActionsHandler options', () => {
  it('valid options give a handler', () => {
    expect(typeof create(full)()).toBe('function');
  });

  it('no options, and each required option missing in turn', () => {
    expectConfigInvalid(
      create(undefined),
      'signingSecret',
      /required: signingSecret, engine, authorizeUser/,
    );
    for (const key of Object.keys(full) as (keyof typeof full)[]) {
      const { [key]: _dropped, ...rest } = full;
      expectConfigInvalid(create(rest), key, /required/);
    }
  });

  it('a misspelt key gets "did you mean"', () => {
    const { signingSecret, ...rest } = full;
    expectConfigInvalid(
      create({ ...rest, signingSecrets: signingSecret }),
      'signingSecrets',
      /did you mean "signingSecret"/,
    );
  });

  it('a wrong type names the path, never echoing the secret', () => {
    expectConfigInvalid(create({ ...full, engine: {} }), 'engine', /missing method ingest/);
    expectConfigInvalid(create({ ...full, authorizeUser: true }), 'authorizeUser', /function/);
    expectConfigInvalid(create({ ...full, dispatch: 'later' }), 'dispatch');
    const e = expectConfigInvalid(create({ ...full, signingSecret: '' }), 'signingSecret');
    expect(e.message).toContain('signing secret');
  });
});
