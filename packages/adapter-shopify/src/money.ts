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
 * Converts a decimal money string (`"359.97"`) to integer minor units of
 * `currency` without floating point: `toMinorUnits('359.97', 'USD')` is `35997`,
 * `toMinorUnits('1000', 'JPY')` is `1000`. Extra fraction digits round half away
 * from zero. Throws `INVALID_INPUT` naming `path` on anything but a decimal number.
 */
export function toMinorUnits(amount: string | number, currency: string, path = 'amount'): number {
  const text = typeof amount === 'number' ? String(amount) : amount.trim();
  const m = /^(-?)(\d+)(?:\.(\d*))?$/.exec(text);
  if (!m) {
    throw new FulfilError('INVALID_INPUT', `${path}: not a decimal amount: "${text}"`, {
      details: { path },
    });
  }
  const [, sign, whole = '0', fraction = ''] = m;
  const digits = currencyDigits(currency);
  const kept = fraction.slice(0, digits).padEnd(digits, '0');
  let minor = Number(whole) * 10 ** digits + Number(kept || '0');
  if ((fraction[digits] ?? '0') >= '5') minor += 1;
  if (!Number.isSafeInteger(minor)) {
    throw new FulfilError('INVALID_INPUT', `${path}: amount out of range: "${text}"`, {
      details: { path },
    });
  }
  return sign === '-' ? -minor : minor;
}
