import { createHash } from 'node:crypto';
import type { CustomerQualifications } from '../domain/customer-qualifications.js';

/**
 * Weak, because it validates what the customer is qualified for, not the bytes: the same
 * qualifications served from the cache or from Partner Center compare equal.
 */
export function qualificationsEtag(snapshot: CustomerQualifications): string {
  const hash = createHash('sha256')
    .update(JSON.stringify([snapshot.customerId, snapshot.qualifications]))
    .digest('base64url')
    .slice(0, 27);
  return `W/"${hash}"`;
}

/** Whether `If-None-Match` names the ETag (or `*`), compared weakly as RFC 9110 asks for it. */
export function noneMatchHits(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const opaque = (tag: string): string => tag.trim().replace(/^W\//, '');
  return ifNoneMatch
    .split(',')
    .some((candidate) => candidate.trim() === '*' || opaque(candidate) === opaque(etag));
}
