import { isUpstreamError, type UpstreamError } from '@fulfil/http';
import { path, rootScope } from './mapping';
import { readPath } from './paths';

/** The vendor's reason in an error body: the first of `reasonPaths` that holds one, else the excerpt. */
export function rejectionReason(err: UpstreamError, reasonPaths: string[]): string {
  let body: unknown;
  try {
    body = JSON.parse(err.bodyExcerpt ?? '');
  } catch {
    body = undefined;
  }
  for (const p of reasonPaths) {
    const v = readPath(path(p), rootScope(body));
    if (typeof v === 'string' && v.trim() !== '') return v;
    if (v !== undefined && v !== null && typeof v === 'object')
      return JSON.stringify(v).slice(0, 300);
  }
  return err.bodyExcerpt?.trim() || `HTTP ${err.status}`;
}

/** True when `err` is an HTTP error with one of `rule.statuses` (and, if set, `contains` in its body). */
export function matches(
  err: unknown,
  rule: { statuses: number[]; contains?: string } | undefined,
): boolean {
  return (
    rule !== undefined &&
    isUpstreamError(err) &&
    err.status !== undefined &&
    rule.statuses.includes(err.status) &&
    (rule.contains === undefined ||
      (err.bodyExcerpt ?? '').toLowerCase().includes(rule.contains.toLowerCase()))
  );
}
