import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { BodyTooLargeError } from '../bounded-body.js';
import type { TransportAnswer, TransportRequest, UpstreamTransport } from './upstream-transport.js';

export interface NodeHttpTransportOptions {
  /** Connections open at once to one host; further requests wait for one to be free. */
  readonly maxSockets?: number;
}

/**
 * How long an idle kept-alive connection is kept: shorter than the 5 s after which Node's and
 * many servers close theirs (and undici's own 4 s), so that a request is seldom written to a
 * connection the server is closing. A server's shorter `Keep-Alive: timeout=` hint wins.
 */
const IDLE_CONNECTION_MS = 4_000;

/**
 * The Partner Center transport on node:http and node:https: kept-alive connections (one pool
 * per scheme, per transport), the answer read into memory within `maxBytes`, redirects never
 * followed (node:http does not). Built-in modules, not fetch: fetch's web streams, `Response`
 * and `Headers` cost about twice the CPU of node:http for Partner Center's small answers.
 * https verifies the server's certificate against Node's store (NODE_EXTRA_CA_CERTS included).
 */
export function nodeHttpTransport(options: NodeHttpTransportOptions = {}): UpstreamTransport {
  const agentOptions = {
    keepAlive: true,
    maxSockets: options.maxSockets ?? 32,
    timeout: IDLE_CONNECTION_MS,
  };
  const plain = new http.Agent(agentOptions);
  const secure = new https.Agent(agentOptions);
  return (request) =>
    request.url.protocol === 'https:'
      ? exchange(request, (url, init) => https.request(url, { ...init, agent: secure }))
      : exchange(request, (url, init) => http.request(url, { ...init, agent: plain }));
}

type Send = (url: URL, init: http.RequestOptions) => http.ClientRequest;

/** One request and its whole answer; settles once, and ends the connection when it fails. */
function exchange(request: TransportRequest, send: Send): Promise<TransportAnswer> {
  const { signal, maxBytes } = request;
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(abortReason(signal));
      return;
    }
    const outgoing = send(request.url, { method: request.method, headers: request.headers });
    let settled = false;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      return true;
    };
    const fail = (error: unknown): void => {
      if (!settle()) return;
      // The connection is not reused: what is left of the answer is never read.
      outgoing.destroy();
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    const onAbort = (): void => {
      fail(abortReason(signal));
    };
    signal.addEventListener('abort', onAbort);
    outgoing.on('error', fail);
    outgoing.on('response', (incoming: IncomingMessage) => {
      const declared = Number(incoming.headers['content-length'] ?? '0');
      if (declared > maxBytes) {
        fail(new BodyTooLargeError(maxBytes));
        return;
      }
      const chunks: Buffer[] = [];
      let received = 0;
      incoming.on('data', (chunk: Buffer) => {
        received += chunk.byteLength;
        if (received > maxBytes) fail(new BodyTooLargeError(maxBytes));
        else chunks.push(chunk);
      });
      // Also a connection closed before the answer ended ('aborted', ECONNRESET).
      incoming.on('error', fail);
      incoming.on('end', () => {
        if (!settle()) return;
        // One decoding of the whole body: a character split across chunks stays whole.
        const text = utf8.decode(Buffer.concat(chunks, received));
        resolve(answer(incoming.statusCode ?? 0, incoming.headers, text));
      });
    });
    // Written with the headers, and its Content-Length computed, in one go.
    outgoing.end(request.body);
  });
}

/** Like TextDecoder in fetch's `text()`: a byte order mark is dropped, bad bytes become U+FFFD. */
const utf8 = new TextDecoder('utf-8');

function answer(status: number, headers: IncomingHttpHeaders, text: string): TransportAnswer {
  return {
    status,
    text,
    header: (name) => {
      const value = headers[name.toLowerCase()];
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

/** What fetch rejects with when its signal aborts: the signal's reason. */
function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error('aborted', { cause: reason });
}
