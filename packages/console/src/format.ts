import type { Address } from '@fulfil/core';

/** `0.0123` → `1.23 %`. */
export function percent(share: number, digits = 2): string {
  return `${(share * 100).toFixed(digits)} %`;
}

/** A duration in ms as `850 ms`, `12.4 s`, `5.2 min`, `3.1 h`, `2.0 d`. */
export function duration(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  const abs = Math.abs(ms);
  if (abs < 1000) return `${Math.round(ms)} ms`;
  if (abs < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (abs < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  if (abs < 86_400_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${(ms / 86_400_000).toFixed(1)} d`;
}

/** ISO time shortened to `2026-11-27 09:00:00Z`. */
export function when(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

/** `ada@example.com` → `a•••@example.com` (the domain stays: it tells a business from a person). */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '•••';
  return `${email.slice(0, 1)}•••${email.slice(at)}`;
}

/** Every email address in `text` masked as {@link maskEmail} does (rule facts, risk reasons). */
export function maskEmails(text: string): string {
  return text.replace(/[^\s"'<>@,;:()]+@[^\s"'<>@,;:()]+\.[A-Za-z]{2,}/g, maskEmail);
}

/** An address as one line; masked: only city, province and country. */
export function addressLine(address: Address | undefined, mask: boolean): string {
  if (!address) return '–';
  const parts = mask
    ? [address.city, address.province, address.country]
    : [
        address.name,
        address.company,
        address.line1,
        address.line2,
        address.postalCode,
        address.city,
        address.province,
        address.country,
      ];
  return parts.filter((p) => typeof p === 'string' && p.trim() !== '').join(', ') || '–';
}
