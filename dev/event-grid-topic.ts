import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { readRequestBody } from './http-message.js';

/**
 * A local stand-in for an Event Grid custom topic with the CloudEvents 1.0 input schema and local
 * (key) authentication disabled, on https loopback, so that the real `@azure/eventgrid` client
 * publishes to it. It takes what the service takes: `POST /api/events?api-version=…`, a JSON array
 * of CloudEvents as `application/cloudevents-batch+json`, at most 1 MB, with a bearer token whose
 * audience is `https://eventgrid.azure.net` (of the expected tenant, unexpired); an access key
 * (`aeg-sas-key`, `aeg-sas-token`) is refused. Tokens are read, not verified: the local token
 * endpoint does not sign them. Tests steer it: planned failures (`5xx`, `429` with `Retry-After`),
 * and an outage (`stop()`, then `start()` on the same port).
 */
export const EVENT_GRID_AUDIENCE = 'https://eventgrid.azure.net';
const MAX_REQUEST_BYTES = 1024 * 1024;
const BATCH_CONTENT_TYPE = 'application/cloudevents-batch+json';

export interface TopicRequest {
  readonly status: number;
  /** Events in the request (0 when it was refused before they were read). */
  readonly events: number;
  /** `bearer`, `key` (an access key or SAS token) or `none`; never the credential itself. */
  readonly credential: 'bearer' | 'key' | 'none';
  readonly audience?: string;
}

export interface PlannedFailure {
  readonly status: number;
  readonly times?: number;
  /** Sent as `Retry-After` (seconds, rounded up) and `retry-after-ms`. */
  readonly retryAfterMs?: number;
}

export interface EventGridTopicOptions {
  readonly tls: { readonly cert: string; readonly key: string };
  /** The tenant whose tokens are accepted; any tenant when undefined. */
  readonly tenantId?: string;
  readonly port?: number;
}

export interface EventGridTopic {
  /** `https://127.0.0.1:<port>/api/events`, the topic endpoint. */
  readonly endpoint: string;
  /** Every event accepted, oldest first, as received (JSON). */
  readonly received: readonly Record<string, unknown>[];
  readonly requests: readonly TopicRequest[];
  /** The next `times` requests (with a good token) get this answer. */
  fail(failure: PlannedFailure): void;
  /** Forgets what was received, the requests and the planned failures. */
  reset(): void;
  /** The outage: the port refuses connections until `start()`. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startEventGridTopic(options: EventGridTopicOptions): Promise<EventGridTopic> {
  const received: Record<string, unknown>[] = [];
  const requests: TopicRequest[] = [];
  const planned: { status: number; left: number; retryAfterMs?: number }[] = [];
  let port = options.port ?? 0;
  let server: Server | undefined;

  const handle = async (
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<TopicRequest> => {
    const send = (status: number, message?: string, headers: Record<string, string> = {}) => {
      response.writeHead(status, {
        ...(message !== undefined && { 'content-type': 'application/json; charset=utf-8' }),
        ...headers,
      });
      response.end(
        message === undefined
          ? undefined
          : JSON.stringify({ error: { code: codeOf(status), message } }),
      );
    };
    const credential = credentialOf(request);
    const body = await readRequestBody(request);
    const url = new URL(request.url ?? '/', 'https://localhost');
    if (request.method !== 'POST' || url.pathname !== '/api/events') {
      send(404, 'Not found');
      return { status: 404, events: 0, credential };
    }
    if (credential === 'key') {
      send(401, 'Local authentication is disabled for this topic; use Microsoft Entra ID.');
      return { status: 401, events: 0, credential };
    }
    const claims = credential === 'bearer' ? claimsOf(request) : undefined;
    const audience = typeof claims?.aud === 'string' ? claims.aud : undefined;
    if (!tokenIsGood(claims, options.tenantId)) {
      send(
        401,
        'The request authorization is invalid: expected a token for https://eventgrid.azure.net.',
        {
          'www-authenticate': 'Bearer',
        },
      );
      return { status: 401, events: 0, credential, ...(audience !== undefined && { audience }) };
    }
    const seen = { credential, ...(audience !== undefined && { audience }) };
    const failure = planned[0];
    if (failure !== undefined) {
      if (--failure.left <= 0) planned.shift();
      const after = failure.retryAfterMs;
      send(failure.status, 'Planned failure', {
        ...(after !== undefined && {
          'retry-after': String(Math.ceil(after / 1000)),
          'retry-after-ms': String(after),
        }),
      });
      return { status: failure.status, events: 0, ...seen };
    }
    if (!url.searchParams.has('api-version')) {
      send(400, 'The api-version query parameter is required.');
      return { status: 400, events: 0, ...seen };
    }
    if (body.length > MAX_REQUEST_BYTES) {
      send(413, 'The maximum size (1536000) has been exceeded.');
      return { status: 413, events: 0, ...seen };
    }
    const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim();
    if (contentType !== BATCH_CONTENT_TYPE) {
      send(400, `Expected ${BATCH_CONTENT_TYPE}; this topic takes CloudEvents 1.0.`);
      return { status: 400, events: 0, ...seen };
    }
    const events = parseBatch(body);
    if (typeof events === 'string') {
      send(400, events);
      return { status: 400, events: 0, ...seen };
    }
    received.push(...events);
    send(200);
    return { status: 200, events: events.length, ...seen };
  };

  const listen = async (): Promise<void> => {
    const next = createServer({ cert: options.tls.cert, key: options.tls.key }, (req, res) => {
      handle(req, res).then(
        (seen) => requests.push(seen),
        (error: unknown) => {
          res.writeHead(500).end(String(error));
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => {
        next.off('error', reject);
        resolve();
      });
    });
    port = (next.address() as AddressInfo).port;
    server = next;
  };

  const stop = async (): Promise<void> => {
    const running = server;
    server = undefined;
    if (running === undefined) return;
    await new Promise<void>((resolve) => {
      running.close(() => {
        resolve();
      });
      running.closeAllConnections();
    });
  };

  await listen();
  return {
    endpoint: `https://127.0.0.1:${String(port)}/api/events`,
    received,
    requests,
    fail: ({ status, times = 1, retryAfterMs }) => {
      planned.push({ status, left: times, ...(retryAfterMs !== undefined && { retryAfterMs }) });
    },
    reset: () => {
      received.length = 0;
      requests.length = 0;
      planned.length = 0;
    },
    stop,
    start: async () => {
      if (server === undefined) await listen();
    },
    close: stop,
  };
}

function credentialOf(request: IncomingMessage): TopicRequest['credential'] {
  if (
    request.headers['aeg-sas-key'] !== undefined ||
    request.headers['aeg-sas-token'] !== undefined
  ) {
    return 'key';
  }
  if (/^SharedAccessSignature /i.test(request.headers.authorization ?? '')) return 'key';
  return /^Bearer \S+$/.test(request.headers.authorization ?? '') ? 'bearer' : 'none';
}

function claimsOf(request: IncomingMessage): Record<string, unknown> | undefined {
  const payload = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1]?.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null
      ? (claims as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function tokenIsGood(
  claims: Record<string, unknown> | undefined,
  tenantId: string | undefined,
): boolean {
  return (
    claims !== undefined &&
    claims.aud === EVENT_GRID_AUDIENCE &&
    (tenantId === undefined || claims.tid === tenantId) &&
    typeof claims.exp === 'number' &&
    claims.exp * 1000 > Date.now()
  );
}

/** The events, or what is wrong with them (Event Grid refuses the whole batch). */
function parseBatch(body: Buffer): Record<string, unknown>[] | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return 'The request body is not JSON.';
  }
  if (!Array.isArray(parsed) || parsed.length === 0) return 'Expected a non-empty array of events.';
  for (const [index, event] of parsed.entries()) {
    if (typeof event !== 'object' || event === null)
      return `Event ${String(index)} is not an object.`;
    const attributes = event as Record<string, unknown>;
    if (attributes.specversion !== '1.0') return `Event ${String(index)}: specversion must be 1.0.`;
    for (const name of ['id', 'source', 'type']) {
      const value = attributes[name];
      if (typeof value !== 'string' || value === '') {
        return `Event ${String(index)}: required attribute ${name} is missing.`;
      }
    }
  }
  return parsed as Record<string, unknown>[];
}

function codeOf(status: number): string {
  if (status === 401) return 'Unauthorized';
  if (status === 404) return 'NotFound';
  if (status === 413) return 'RequestEntityTooLarge';
  if (status === 429) return 'TooManyRequests';
  if (status >= 500) return 'InternalServerError';
  return 'BadRequest';
}
