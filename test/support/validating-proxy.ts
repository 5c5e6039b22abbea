import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConformanceRecord, activeRecords } from './conformance.js';
import type { ObservedResponse, ResponseCheck } from './openapi-response-validator.js';

export interface ValidatingProxy {
  /** Base URL without a trailing slash: requests go on to the target with the same path. */
  readonly url: string;
  /** What it checked and what deviated. */
  readonly record: ConformanceRecord;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length']);

/**
 * A reverse proxy in front of a gateway that checks every response against the OpenAPI
 * document on its way to the caller, and passes it on unchanged (headers and body). Bodies are
 * small, so each is read whole before it is checked and sent.
 */
export async function startValidatingProxy(
  target: string,
  check: (response: ObservedResponse) => ResponseCheck,
): Promise<ValidatingProxy> {
  // A connection per request: a kept-alive one can be closed by the gateway's idle timeout just
  // as the proxy reuses it, which would fail a request the gateway never saw.
  const agent = new Agent({ keepAlive: false });
  const record = new ConformanceRecord();
  const server = createServer((incoming, outgoing) => {
    const forward = httpRequest(
      new URL(incoming.url ?? '/', target),
      { method: incoming.method, headers: incoming.headers, agent },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('error', () => outgoing.destroy());
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          const status = answer.statusCode ?? 0;
          const path = (incoming.url ?? '/').split('?')[0] ?? '/';
          const method = incoming.method ?? 'GET';
          const observed = { method, path, status, body: body.toString('utf8') };
          record.add(check({ ...observed, headers: toHeaders(answer.headers) }), observed);
          outgoing.writeHead(status, passOn(answer.headers, body.length, status));
          outgoing.end(body);
        });
      },
    );
    forward.on('error', () => outgoing.destroy());
    // A caller that gives up makes the gateway see it give up too.
    outgoing.on('close', () => {
      if (!outgoing.writableFinished) forward.destroy();
    });
    incoming.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const proxy: ValidatingProxy = {
    url: `http://127.0.0.1:${String(port)}`,
    record,
    close: async () => {
      activeRecords.delete(record);
      server.closeAllConnections();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
      agent.destroy();
    },
  };
  activeRecords.add(record);
  return proxy;
}

function toHeaders(headers: IncomingHttpHeaders): Headers {
  const result = new Headers();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) result.append(name, one);
  }
  return result;
}

function passOn(headers: IncomingHttpHeaders, length: number, status: number): OutgoingHttpHeaders {
  const result: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) result[name] = value;
  }
  if (status !== 304 && status !== 204) result['content-length'] = length;
  return result;
}
