/**
 * Fuzzing of the JSON input readers outside the webhook handlers: Shopify's lossless JSON
 * reader (differential: it must agree with `JSON.parse` except that unsafe integers become
 * their exact digits) and the Express host's `SHOPIFY_LOCATIONS` reader (a typed
 * `CONFIG_INVALID` or a map, for any text). There is no CSV reader in the packages.
 */
import { parseLosslessJson } from '@fulfil/adapter-shopify';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { parseLocations } from '../../examples/express-host/src/env';
import { FUZZ_TIMEOUT, fuzz, hostileJson, hostileText, jsonText, typedOnly } from './fuzz-helpers';

vi.setConfig({ testTimeout: FUZZ_TIMEOUT });

import { trials } from './report';

/**
 * True when `got` (lossless) is what `JSON.parse` read as `want`, except that an unsafe
 * integer is a string of digits that rounds to the same number.
 */
function agrees(got: unknown, want: unknown): boolean {
  if (typeof want === 'number' && Number.isInteger(want) && !Number.isSafeInteger(want)) {
    if (typeof got === 'string') return /^-?\d+$/.test(got) && Number(got) === want;
    return got === want;
  }
  if (Array.isArray(want))
    return (
      Array.isArray(got) && got.length === want.length && want.every((w, i) => agrees(got[i], w))
    );
  if (want !== null && typeof want === 'object') {
    if (got === null || typeof got !== 'object' || Array.isArray(got)) return false;
    const keys = Object.keys(want);
    return (
      keys.length === Object.keys(got).length &&
      keys.every((k) =>
        agrees((got as Record<string, unknown>)[k], (want as Record<string, unknown>)[k]),
      )
    );
  }
  return Object.is(got, want);
}

/** Text that is nearly JSON: valid JSON cut, spliced or with long digit runs inserted. */
const nearlyJson = fc
  .tuple(
    hostileJson.map(jsonText),
    fc.nat(),
    fc.constantFrom('', '1', '12345678901234567890', '"', '\\', '-', 'e', '.'),
  )
  .map(([t, at, ins]) => t.slice(0, at % (t.length + 1)) + ins + t.slice(at % (t.length + 1)));

describe('fuzz: JSON input readers', () => {
  it('parseLosslessJson agrees with JSON.parse (unsafe integers as exact digits)', async () => {
    await fuzz(
      {
        area: 'adapter-shopify',
        fault:
          'parseLosslessJson: any JSON, nearly-JSON and hostile text (differential vs JSON.parse)',
        result:
          'same value as JSON.parse (unsafe integers as digits), SyntaxError exactly when JSON.parse fails',
      },
      fc.property(fc.oneof(hostileJson.map(jsonText), nearlyJson, hostileText), (text) => {
        let want: unknown;
        let wantError = false;
        try {
          want = JSON.parse(text);
        } catch {
          wantError = true;
        }
        let got: unknown;
        try {
          got = parseLosslessJson(text);
        } catch (err) {
          expect(err).toBeInstanceOf(SyntaxError);
          expect(wantError, `lossless failed where JSON.parse did not: ${text}`).toBe(true);
          return;
        }
        expect(wantError, `lossless parsed what JSON.parse refused: ${text}`).toBe(false);
        expect(agrees(got, want), `lossless: ${jsonText(got)} vs ${text}`).toBe(true);
      }),
      trials(1000, 20_000),
    );
  });

  it('parseLocations (Express host SHOPIFY_LOCATIONS): CONFIG_INVALID or a map of strings', async () => {
    const input = fc.oneof(
      hostileText,
      hostileJson.map(jsonText),
      fc
        .dictionary(
          fc.oneof(
            fc.nat().map((n) => `gid://shopify/Location/${n}`),
            hostileText,
          ),
          fc.oneof(hostileText, hostileJson),
        )
        .map(jsonText),
    );
    await fuzz(
      {
        area: 'examples',
        fault:
          'express-host parseLocations: any text, any JSON, location maps with hostile keys/values',
        result: 'CONFIG_INVALID or a map of non-empty strings; no other error',
      },
      fc.property(input, (text) => {
        try {
          const out = parseLocations(text);
          for (const v of Object.values(out ?? {})) expect(typeof v).toBe('string');
        } catch (err) {
          typedOnly(err);
        }
      }),
      trials(500, 10_000),
    );
  });
});
