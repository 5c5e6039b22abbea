import type * as z from 'zod/mini';
import type { PartnerCenterIdentity, UpstreamFailure } from '../domain/upstream.js';
import type { Logger } from '../logging/logger.js';
import { parseRetryAfter } from './backoff.js';
import { apiFaultSchema } from './response-schemas.js';
import type { TransportAnswer } from './upstream-transport.js';

/** How one attempt ended, and whether another attempt could end otherwise. */
export type AttemptOutcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly failure: UpstreamFailure; readonly retryable: boolean };

/**
 * Partner Center's answer to one attempt, judged: a 2xx must match its schema; a redirect is
 * never followed; 429 waits for Retry-After; 5xx may be retried; any other 4xx is a refusal
 * that keeps Partner Center's code and words.
 */
export function interpretAnswer<T>(
  answer: TransportAnswer,
  schema: z.ZodMiniType<T>,
  context: {
    readonly logger: Logger;
    readonly path: string;
    readonly identity: PartnerCenterIdentity;
    readonly now: Date;
  },
): AttemptOutcome<T> {
  const { status, text } = answer;
  const { logger, path } = context;
  const fail = (failure: UpstreamFailure, retryable: boolean): AttemptOutcome<T> => ({
    ok: false,
    failure,
    retryable,
  });
  if (status >= 200 && status < 300) {
    const parsed = schema.safeParse(parseJson(text));
    if (parsed.success) return { ok: true, value: parsed.data };
    logger.error('Partner Center answer does not match its documented shape', {
      path,
      status,
      issues: parsed.error.issues
        .slice(0, 5)
        .map((i) => clean(`${i.path.join('.')}: ${i.message}`, 200)),
      body: clean(text.slice(0, 1_000), 200),
    });
    return fail({ kind: 'unavailable', status, reason: 'invalid response' }, false);
  }
  if (status >= 300 && status < 400) {
    // Following a redirect could hand the bearer token to another host.
    logger.error('Partner Center redirected; not followed', { path, status });
    return fail({ kind: 'unavailable', status, reason: 'redirect not followed' }, false);
  }
  if (status === 429) {
    const retryAfterSeconds = parseRetryAfter(answer.header('retry-after'), context.now) ?? 1;
    return fail({ kind: 'throttled', retryAfterSeconds }, true);
  }
  const { code, description } = readRefusal(text, answer.header('content-type'));
  if (status >= 500) {
    const failure: UpstreamFailure = {
      kind: 'unavailable',
      status,
      reason: `status ${status}`,
      ...(description !== undefined && { description }),
    };
    return fail(failure, true);
  }
  const failure: UpstreamFailure = {
    kind: 'rejected',
    status,
    identity: context.identity,
    ...(code !== undefined && { code }),
    ...(description !== undefined && { description }),
  };
  return fail(failure, false);
}

/** Partner Center's words as the gateway passes them on: long enough to act on, no longer. */
export const MAX_DESCRIPTION_LENGTH = 500;
const MAX_CODE_LENGTH = 64;

export interface UpstreamRefusal {
  readonly code?: string | number;
  readonly description?: string;
}

/**
 * What an error answer says, whatever its shape: an ApiFault (`code`, `description` or
 * `message`), a bare JSON string (Partner Center answers some refusals so), plain text, or an
 * HTML page from a proxy or front door in between (its title, or else its text). An empty or
 * unreadable body says nothing.
 */
export function readRefusal(body: string, contentType: string | undefined): UpstreamRefusal {
  // Only the start of a huge page is read: the words that matter come first.
  const text = body.slice(0, 64 * 1024);
  const json = parseJson(text);
  if (typeof json === 'string') return withDescription({}, json);
  if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
    const fault = apiFaultSchema.safeParse(json);
    if (!fault.success) return {};
    const { code, description, message } = fault.data;
    const cleanCode = typeof code === 'string' ? clean(code, MAX_CODE_LENGTH) : code;
    return withDescription(
      cleanCode === undefined || cleanCode === '' ? {} : { code: cleanCode },
      description ?? message,
    );
  }
  if (json !== undefined) return {};
  const isHtml = /html/i.test(contentType ?? '') || /^\s*<(!doctype|html|head|body)\b/i.test(text);
  return withDescription({}, isHtml ? htmlText(text) : text);
}

/** Partner Center's text made safe to show and log: no control characters, one line, bounded. */
export function clean(text: string, maxLength = MAX_DESCRIPTION_LENGTH): string {
  const oneLine = text
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return oneLine.length <= maxLength ? oneLine : `${oneLine.slice(0, maxLength - 1).trimEnd()}…`;
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function withDescription(
  refusal: UpstreamRefusal,
  description: string | undefined,
): UpstreamRefusal {
  const cleaned = description === undefined ? '' : clean(description);
  return cleaned === '' ? refusal : { ...refusal, description: cleaned };
}

/** An HTML page's title, or its text without tags, scripts and styles. */
function htmlText(html: string): string {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1];
  const text =
    title !== undefined && title.trim() !== ''
      ? title
      : html.replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ').replace(/<[^>]*>/g, ' ');
  return decodeEntities(text);
}

function decodeEntities(text: string): string {
  const named: Readonly<Record<string, string>> = {
    amp: '&',
    lt: '<',
    gt: '>',
    quot: '"',
    apos: "'",
    nbsp: ' ',
  };
  return text.replace(/&(#\d{1,6}|#x[0-9a-f]{1,6}|[a-z]{2,6});/gi, (entity, name: string) => {
    if (name.startsWith('#')) {
      const point =
        name[1]?.toLowerCase() === 'x' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
      return point > 0 && point <= 0x10ffff ? String.fromCodePoint(point) : ' ';
    }
    return named[name.toLowerCase()] ?? entity;
  });
}
