import azureFunctions from '@azure/functions';
import type { Cookie, HttpRequest, HttpResponse } from '@azure/functions';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { toHeaderRecord } from '../http-message.js';
import type { RouteParams } from './route-template.js';

/**
 * The query is left to the library, which reads it from the URL; its `query` init option is a
 * plain record and would drop repeated keys.
 */
export function toHttpRequest(
  request: IncomingMessage,
  url: string,
  body: Buffer,
  params: RouteParams,
): HttpRequest {
  return new azureFunctions.HttpRequest({
    method: request.method ?? 'GET',
    url,
    headers: toHeaderRecord(request.headers),
    params,
    body: body.length > 0 ? { bytes: body } : undefined,
  });
}

/** A handler's response as it goes on the wire: the body read whole. */
export interface OutgoingResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly cookies: readonly Cookie[];
  readonly body: Buffer | null;
}

/**
 * What a handler returned, as the library makes a response of it: through `HttpResponse` (a web
 * `Response`), read whole, as the Functions worker does without HTTP streaming (app.setup
 * enableHttpStream: false). The common case, a plain `{ status, headers, body }` with a string
 * body or none, is built directly to the same result (http-exchange.test.ts compares the two):
 * a web Response and its body stream cost more than the rest of a cache hit.
 */
export async function toOutgoingResponse(result: unknown): Promise<OutgoingResponse> {
  const plain = plainResponse(result);
  if (plain !== undefined) return plain;
  const response = toHttpResponse(result);
  return {
    status: response.status,
    headers: response.headers,
    cookies: response.cookies,
    body: response.body === null ? null : Buffer.from(await response.arrayBuffer()),
  };
}

// Statuses whose response has no body (the library drops one), and the type a string body gets.
const NULL_BODY_STATUSES = new Set([204, 205, 304]);
const TEXT_BODY_TYPE = 'text/plain;charset=UTF-8';
const PLAIN_KEYS = new Set(['status', 'headers', 'body']);

/** A plain object of status, a record of string headers and a string body (each optional). */
export function plainResponse(result: unknown): OutgoingResponse | undefined {
  if (!isRecord(result)) return undefined;
  const init = result;
  if (!Object.keys(init).every((key) => PLAIN_KEYS.has(key))) return undefined;
  const { status = 200, headers = {}, body } = init;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599) {
    return undefined;
  }
  if (body !== undefined && typeof body !== 'string') return undefined;
  if (!isRecord(headers)) return undefined;
  if (!Object.values(headers).every((value) => typeof value === 'string')) return undefined;
  const outgoing = new Headers(headers as Record<string, string>);
  const hasBody = body !== undefined && !NULL_BODY_STATUSES.has(status);
  if (hasBody && !outgoing.has('content-type')) outgoing.set('content-type', TEXT_BODY_TYPE);
  return {
    status,
    headers: outgoing,
    cookies: [],
    body: hasBody ? Buffer.from(body, 'utf8') : null,
  };
}

/** An object literal (or one without a prototype), not an instance of some class. */
function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * What a handler may return, normalised as the library does before handing it to the host.
 * `undefined` is the host's 204 No Content; anything that is not an object is the library's error.
 */
export function toHttpResponse(result: unknown): HttpResponse {
  if (result instanceof azureFunctions.HttpResponse) return result;
  if (result === undefined || result === null)
    return new azureFunctions.HttpResponse({ status: 204 });
  if (typeof result !== 'object') {
    throw new TypeError(
      'The HTTP response must be an object with optional properties "body", "status", "headers", and "cookies".',
    );
  }
  return new azureFunctions.HttpResponse(result);
}

/** Written in one go: piping a web stream into the socket cost more than the rest of a hit. */
export function writeHttpResponse(target: ServerResponse, response: OutgoingResponse): void {
  target.statusCode = response.status;
  for (const [name, value] of response.headers) {
    if (name !== 'set-cookie') target.setHeader(name, value);
  }
  const setCookies = [
    ...response.headers.getSetCookie(),
    ...response.cookies.map(toSetCookieHeader),
  ];
  if (setCookies.length > 0) target.setHeader('set-cookie', setCookies);
  if (response.body === null) target.end();
  else target.end(response.body);
}

// The host appends cookies through ASP.NET Core, which escapes the value.
function toSetCookieHeader(cookie: Cookie): string {
  const parts = [`${cookie.name}=${encodeURIComponent(cookie.value)}`];
  if (cookie.domain !== undefined) parts.push(`Domain=${cookie.domain}`);
  if (cookie.path !== undefined) parts.push(`Path=${cookie.path}`);
  if (cookie.expires !== undefined) parts.push(`Expires=${new Date(cookie.expires).toUTCString()}`);
  if (cookie.maxAge !== undefined) parts.push(`Max-Age=${cookie.maxAge}`);
  if (cookie.secure === true) parts.push('Secure');
  if (cookie.httpOnly === true) parts.push('HttpOnly');
  if (cookie.sameSite !== undefined) parts.push(`SameSite=${cookie.sameSite}`);
  return parts.join('; ');
}
