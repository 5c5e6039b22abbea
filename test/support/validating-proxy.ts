import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ObservedResponse, ResponseCheck } from './openapi-response-validator.js';

export interface CheckedResponse extends ResponseCheck {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** The problem type of an error answer, for coverage reports. */
  readonly problemType?: string;
}

export interface ValidatingProxy {
  /** Base URL without a trailing slash: requests go on to the target with the same path. */
  readonly url: string;
  /** Every response that matched an operation of the document, oldest first. */
  readonly checked: readonly CheckedResponse[];
  /** The deviations found since the last call (all of them on the first), then forgotten. */
  takeDeviations(): string[];
  close(): Promise<void>;
}

/** Proxies that are running, for the suite-wide check after each test (test/support/setup.ts). */
export const runningProxies = new Set<ValidatingProxy>();

/** Fails with every response that deviated from the OpenAPI document. */
export function assertConforming(deviations: readonly string[]): void {
  if (deviations.length > 0) {
    throw new Error(`Responses that deviate from the OpenAPI document:\n${deviations.join('\n')}`);
  }
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
  const agent = new Agent({ keepAlive: true });
  const checked: CheckedResponse[] = [];
  let deviations: string[] = [];
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
          const result = check({
            method,
            path,
            status,
            headers: toHeaders(answer.headers),
            body: body.toString('utf8'),
          });
          if (result.operationId !== undefined) {
            checked.push({ ...result, method, path, status, problemType: problemType(body) });
          }
          deviations.push(...result.deviations);
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
    checked,
    takeDeviations: () => {
      const taken = deviations;
      deviations = [];
      return taken;
    },
    close: async () => {
      runningProxies.delete(proxy);
      server.closeAllConnections();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
      agent.destroy();
    },
  };
  runningProxies.add(proxy);
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

function problemType(body: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { type?: unknown };
    return typeof parsed.type === 'string' ? parsed.type : undefined;
  } catch {
    return undefined;
  }
}
