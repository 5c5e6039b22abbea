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

export async function writeHttpResponse(
  target: ServerResponse,
  response: HttpResponse,
): Promise<void> {
  target.statusCode = response.status;
  for (const [name, value] of response.headers) {
    if (name !== 'set-cookie') target.setHeader(name, value);
  }
  const setCookies = [
    ...response.headers.getSetCookie(),
    ...response.cookies.map(toSetCookieHeader),
  ];
  if (setCookies.length > 0) target.setHeader('set-cookie', setCookies);
  if (response.body === null) {
    target.end();
    return;
  }
  // Read whole, as the Functions worker does without HTTP streaming (app.setup
  // enableHttpStream: false), and written in one go: piping a web stream into the socket cost
  // more than the rest of a cache hit.
  target.end(Buffer.from(await response.arrayBuffer()));
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
