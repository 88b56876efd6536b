import { FulfilError } from '@fulfil/core';

const digitsCache = new Map<string, number>();

/** Minor-unit digits of an ISO 4217 currency, from `Intl` (USD 2, JPY 0, KWD 3). */
export function currencyDigits(currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    try {
      digits =
        new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
          .maximumFractionDigits ?? 2;
    } catch (cause) {
      throw new FulfilError('INVALID_INPUT', `currency: unknown currency code "${currency}"`, {
        cause,
        details: { path: 'currency' },
      });
    }
    digitsCache.set(currency, digits);
  }
  return digits;
}

/**
 * Converts a money amount in major units to integer minor units of `currency`
 * without floating point. Strings and numbers alike are decimal major units, as
 * Shopify writes them (`"359.97"`, or `10` in a `price_set`): `toMinorUnits('359.97',
 * 'USD')` is `35997`, `toMinorUnits(10, 'USD')` is `1000`, `toMinorUnits('1000', 'JPY')`
 * is `1000`, `toMinorUnits(1.234, 'KWD')` is `1234`. Extra fraction digits round half
 * away from zero. Throws `INVALID_INPUT` naming `path` on a string that is not a plain
 * decimal (`"1e3"`, `"10,00"`, `""`), a number that is not finite, or an amount
 * beyond 2^53 minor units.
 */
export function toMinorUnits(amount: string | number, currency: string, path = 'amount'): number {
  const text = typeof amount === 'number' ? numberText(amount) : amount.trim();
  const m = /^([-+]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || !/\d/.test(text)) {
    throw new FulfilError('INVALID_INPUT', `${path}: not a decimal amount: "${text}"`, {
      details: { path },
    });
  }
  const [, sign, whole = '', fraction = ''] = m;
  const digits = currencyDigits(currency);
  const kept = fraction.slice(0, digits).padEnd(digits, '0');
  let minor = Number(whole || '0') * 10 ** digits + Number(kept || '0');
  if ((fraction[digits] ?? '0') >= '5') minor += 1;
  if (!Number.isSafeInteger(minor)) {
    throw new FulfilError('INVALID_INPUT', `${path}: amount out of range: "${text}"`, {
      details: { path },
    });
  }
  return sign === '-' && minor !== 0 ? -minor : minor;
}

/**
 * A finite number as a plain decimal (no exponent): `1e-7` → `"0.0000001"`,
 * `1.5e21` → `"1500000000000000000000"`. Non-finite numbers come back as is (rejected).
 */
function numberText(n: number): string {
  const s = String(n);
  const m = /^(-?)(\d+)(?:\.(\d+))?e([-+]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign, int = '', frac = '', exp = '0'] = m;
  const digits = int + frac;
  const point = int.length + Number(exp);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}
