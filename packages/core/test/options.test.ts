import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FulfilError } from '../src/errors';
import { functionOption, parseOptions, portOption } from '../src/options';

interface Port {
  send(x: string): void;
}

const Schema = z.object({
  apiKey: z.string().min(1),
  port: portOption<Port>('Port', ['send'], 'createPort()'),
  onEvent: functionOption().optional(),
  retry: z
    .object({ attempts: z.number().int().min(1).default(3) })
    .strict()
    .default({ attempts: 3 }),
  timeoutMs: z.number().positive().default(5000),
});

function fail(input: unknown, settings?: { optional?: boolean }): FulfilError {
  try {
    parseOptions(Schema, input, 'createThing', settings);
  } catch (err) {
    expect(err).toBeInstanceOf(FulfilError);
    expect((err as FulfilError).code).toBe('CONFIG_INVALID');
    return err as FulfilError;
  }
  throw new Error('expected CONFIG_INVALID');
}

describe('parseOptions', () => {
  const port: Port = { send() {} };

  it('returns the parsed options with defaults, and ports as passed', () => {
    const parsed = parseOptions(Schema, { apiKey: 'k', port }, 'createThing');
    expect(parsed).toEqual({ apiKey: 'k', port, retry: { attempts: 3 }, timeoutMs: 5000 });
    expect(parsed.port).toBe(port);
  });

  it('suggests the nearest known key for a misspelt one, first in the message', () => {
    const e = fail({ apiKye: 'k', port });
    expect(e.message).toBe(
      'CONFIG_INVALID: createThing options: apiKye: unknown option (did you mean "apiKey"?); apiKey: required, expected string',
    );
    expect(e.details.path).toBe('apiKye');
  });

  it('suggests in nested objects too, and lists the known keys when nothing is close', () => {
    expect(fail({ apiKey: 'k', port, retry: { atempts: 2 } }).message).toMatch(
      /retry\.atempts: unknown option \(did you mean "attempts"\?\)/,
    );
    expect(fail({ apiKey: 'k', port, zzz: 1 }).message).toMatch(
      /zzz: unknown option \(known: apiKey, port, onEvent, retry, timeoutMs\)/,
    );
  });

  it('no options: names every required option; optional factories accept none', () => {
    const e = fail(undefined);
    expect(e.message).toBe(
      'CONFIG_INVALID: createThing: called without options; required: apiKey, port',
    );
    expect(e.details.issues).toEqual([
      { path: 'apiKey', message: 'required' },
      { path: 'port', message: 'required' },
    ]);
    const Optional = z.object({ name: z.string().default('x') });
    expect(parseOptions(Optional, undefined, 'createOther', { optional: true })).toEqual({
      name: 'x',
    });
  });

  it('a port without its methods, or not an object, names what is missing', () => {
    expect(fail({ apiKey: 'k', port: {} }).message).toMatch(
      /port: expected a Port \(an object with send\), e.g. createPort\(\); missing method send/,
    );
    expect(fail({ apiKey: 'k', port: 42 }).message).toMatch(/port: expected a Port .*got 42/);
    expect(fail({ apiKey: 'k' }).message).toMatch(/port: required, expected a Port/);
  });

  it('never echoes a string value (it may be a secret in the wrong place)', () => {
    const e = fail('sk-secret-value');
    expect(e.message).not.toContain('sk-secret');
    expect(fail({ apiKey: 'k', port: 'sk-secret-value' }).message).not.toContain('sk-secret');
  });

  it("a wrong value gives zod's message at the path", () => {
    const e = fail({ apiKey: 'k', port, timeoutMs: -1, onEvent: 'x' });
    expect(e.details.issues?.map((i) => i.path)).toEqual(['onEvent', 'timeoutMs']);
  });
});
