import type { HttpRequest } from '@azure/functions';
import type { Problem } from './problem.js';
import type { Parsed } from './parsed.js';

export const MAX_BODY_BYTES = 64 * 1024;

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
/** Refuses malformed bytes; without `stream` it keeps no state between calls, so one serves all. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A request body as JSON, refused early: by its declared size before reading, by its media type
 * before parsing, then by its actual size and syntax.
 */
export async function readJsonBody(request: HttpRequest): Promise<Parsed<unknown>> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) return refuse(tooLarge());
  const contentType = request.headers.get('content-type');
  if (contentType === null || !JSON_MEDIA_TYPE.test(contentType)) {
    return refuse({
      status: 415,
      type: 'unsupported-media-type',
      detail: 'The body must be JSON, sent with Content-Type: application/json.',
    });
  }
  const bytes = await request.arrayBuffer();
  if (bytes.byteLength > MAX_BODY_BYTES) return refuse(tooLarge());
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return refuse(invalidJson('The body is not valid UTF-8.'));
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return refuse(invalidJson('The body is not valid JSON.'));
  }
}

function refuse(problem: Problem): Parsed<unknown> {
  return { ok: false, problem };
}

function tooLarge(): Problem {
  return {
    status: 413,
    type: 'payload-too-large',
    detail: `The body must not exceed ${MAX_BODY_BYTES / 1024} KiB.`,
  };
}

function invalidJson(detail: string): Problem {
  return {
    status: 400,
    type: 'invalid-request',
    detail,
    errors: [{ path: 'body', message: detail }],
  };
}
