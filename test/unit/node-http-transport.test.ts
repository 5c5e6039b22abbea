import { createServer, type RequestListener } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { TokenCredential } from '@azure/identity';
import { afterEach, describe, expect, it } from 'vitest';
import { BodyTooLargeError } from '../../shared/bounded-body.js';
import type { CustomerId } from '../../shared/domain/customer-id.js';
import { silentLogger } from '../../shared/logging/logger.js';
import { CircuitBreaker } from '../../shared/partner-center/circuit-breaker.js';
import { nodeHttpTransport } from '../../shared/partner-center/node-http-transport.js';
import { PartnerCenterClient } from '../../shared/partner-center/partner-center-client.js';
import { MAX_ANSWER_BYTES } from '../../shared/partner-center/resilient-exchange.js';
import type {
  TransportRequest,
  UpstreamTransport,
} from '../../shared/partner-center/upstream-transport.js';
import { loadTestTls, type TestTls } from '../support/test-certificate.js';

interface LocalServer {
  url(path: string): URL;
  /** TCP connections accepted, and those since closed. */
  readonly connections: { opened: number; closed: number };
}

const running: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((close) => close()));
});

/** A loopback server answering with `handler`, over TLS when given a certificate. */
async function serve(handler: RequestListener, tls?: TestTls): Promise<LocalServer> {
  const server = tls === undefined ? createServer(handler) : createTlsServer(tls, handler);
  const connections = { opened: 0, closed: 0 };
  server.on('connection', (socket: NodeJS.EventEmitter) => {
    connections.opened++;
    socket.on('close', () => connections.closed++);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  running.push(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const origin = `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`;
  return { url: (path) => new URL(path, origin), connections };
}

const get = (
  transport: UpstreamTransport,
  url: URL,
  request: Partial<TransportRequest> = {},
): ReturnType<UpstreamTransport> =>
  transport({
    method: 'GET',
    url,
    headers: { accept: 'application/json' },
    signal: AbortSignal.timeout(5_000),
    maxBytes: 1024,
    ...request,
  });

describe('nodeHttpTransport', () => {
  it('sends the request and answers its status, headers and body, a character split across chunks whole', async () => {
    const received: { method?: string; headers?: object; body?: string } = {};
    const euro = Buffer.from('€'); // three bytes, sent in two writes below
    const local = await serve((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        Object.assign(received, { method: req.method, headers: req.headers, body });
        res.writeHead(201, { 'x-one': 'first', 'set-cookie': ['a=1', 'b=2'] });
        res.write(Buffer.concat([Buffer.from('price: 5'), euro.subarray(0, 1)]));
        void delay(20).then(() => res.end(euro.subarray(1)));
      });
    });
    const answer = await get(nodeHttpTransport(), local.url('/v1/things?x=1'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'ms-requestid': 'r-1' },
      body: '{"name":"Zoë"}',
    });
    expect(answer.status).toBe(201);
    expect(answer.text).toBe('price: 5€');
    expect(answer.header('X-One')).toBe('first');
    expect(answer.header('set-cookie')).toBe('a=1, b=2');
    expect(answer.header('retry-after')).toBeUndefined();
    expect(received).toMatchObject({
      method: 'POST',
      body: '{"name":"Zoë"}',
      headers: { 'ms-requestid': 'r-1', 'content-length': '15' },
    });
  });

  it('refuses a declared Content-Length past the bound without waiting for the body', async () => {
    const local = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('x'.repeat(10)); // and never the rest
    });
    const started = performance.now();
    await expect(get(nodeHttpTransport(), local.url('/'), { maxBytes: 999 })).rejects.toEqual(
      new BodyTooLargeError(999),
    );
    expect(performance.now() - started).toBeLessThan(1_000);
    // The connection is closed, not kept for another request.
    await expect.poll(() => local.connections.closed).toBe(1);
  });

  it('ends the request once more bytes arrive than the bound', async () => {
    let written = 0;
    const local = await serve((_req, res) => {
      const next = (): void => {
        if (res.destroyed || written === 50) {
          res.end();
          return;
        }
        written++;
        res.write('x'.repeat(100), () => void delay(5).then(next));
      };
      next();
    });
    await expect(get(nodeHttpTransport(), local.url('/'), { maxBytes: 250 })).rejects.toThrow(
      'larger than 250 bytes',
    );
    await expect.poll(() => local.connections.closed).toBe(1);
    expect(written).toBeLessThan(20);
  });

  it('accepts a body of exactly the bound, and an empty one', async () => {
    const local = await serve((req, res) => {
      res.end(req.url === '/empty' ? undefined : 'y'.repeat(64));
    });
    const transport = nodeHttpTransport();
    expect((await get(transport, local.url('/full'), { maxBytes: 64 })).text).toBe('y'.repeat(64));
    expect((await get(transport, local.url('/empty'), { maxBytes: 64 })).text).toBe('');
  });

  it.each([
    ['while waiting for the answer', false],
    ['in the middle of the body', true],
  ])(
    'rejects with the signal’s reason when it aborts %s, and drops the connection',
    async (_, partly) => {
      const local = await serve((_req, res) => {
        if (partly) res.writeHead(200, { 'content-length': '100' }).write('{"par');
      });
      const started = performance.now();
      const answer = get(nodeHttpTransport(), local.url('/'), { signal: AbortSignal.timeout(100) });
      await expect(answer).rejects.toMatchObject({ name: 'TimeoutError' });
      expect(performance.now() - started).toBeLessThan(1_000);
      await expect.poll(() => local.connections.closed).toBe(1);
    },
  );

  it('rejects when the connection closes in the middle of the answer', async () => {
    const local = await serve((req, res) => {
      res.writeHead(200, { 'content-length': '100' }).write('{"par', () => req.socket.destroy());
    });
    const started = performance.now();
    await expect(get(nodeHttpTransport(), local.url('/'))).rejects.toMatchObject({
      code: 'ECONNRESET',
    });
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('sends nothing when the signal has already aborted', async () => {
    const local = await serve((_req, res) => res.end());
    const controller = new AbortController();
    controller.abort();
    await expect(
      get(nodeHttpTransport(), local.url('/'), { signal: controller.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    await delay(20);
    expect(local.connections.opened).toBe(0);
  });

  it('answers a redirect as it is, without following it', async () => {
    let followed = 0;
    const local = await serve((req, res) => {
      if (req.url === '/elsewhere') followed++;
      res.writeHead(req.url === '/start' ? 302 : 200, { location: '/elsewhere' }).end();
    });
    const answer = await get(nodeHttpTransport(), local.url('/start'));
    expect(answer.status).toBe(302);
    expect(answer.header('location')).toBe('/elsewhere');
    expect(followed).toBe(0);
  });

  it('keeps one connection alive across requests', async () => {
    const local = await serve((_req, res) => res.end('{}'));
    const transport = nodeHttpTransport();
    for (let i = 0; i < 3; i++) expect((await get(transport, local.url('/'))).status).toBe(200);
    expect(local.connections).toEqual({ opened: 1, closed: 0 });
  });

  it('speaks TLS to an https URL, trusting the certificates Node trusts', async () => {
    const local = await serve((_req, res) => res.end('"secure"'), await loadTestTls());
    const answer = await get(nodeHttpTransport(), local.url('/'));
    expect(answer.text).toBe('"secure"');
  });
});

describe('the Partner Center client over node:http', () => {
  const customerId = '6f1e8d2c-6b5a-4c1e-9a32-1f0e7d6c5b4a' as CustomerId;
  const call = { correlationId: 'c0ffee00-0000-4000-8000-000000000001', logger: silentLogger };
  const credential: TokenCredential = {
    getToken: () => Promise.resolve({ token: 'app-token', expiresOnTimestamp: Date.now() + 3.6e6 }),
  };
  const client = (local: LocalServer) =>
    new PartnerCenterClient({
      baseUrl: local.url('/'),
      appCredential: credential,
      userCredential: () => credential,
      scope: 'https://api.partnercenter.microsoft.com/.default',
      timeoutMs: 2_000,
      attemptTimeoutMs: 1_000,
      maxRetries: 2,
      retryBaseMs: 5,
      circuitBreaker: new CircuitBreaker(100, 30),
      maxConcurrentCalls: 4,
    });
  const LIST = [{ qualification: 'Education', vettingStatus: 'InReview' }];

  it('retries, as a network error, a request on a kept-alive connection the server dropped', async () => {
    let requests = 0;
    const served = new WeakMap<object, number>();
    const local = await serve((req, res) => {
      requests++;
      const onThisConnection = (served.get(req.socket) ?? 0) + 1;
      served.set(req.socket, onThisConnection);
      // The second request on a connection finds it closed, as when a server ends an idle one.
      if (onThisConnection === 2) req.socket.destroy();
      else res.setHeader('content-type', 'application/json').end(JSON.stringify(LIST));
    });
    const pc = client(local);
    expect(await pc.getQualifications(customerId, call)).toEqual({ ok: true, value: LIST });
    expect(await pc.getQualifications(customerId, call)).toEqual({ ok: true, value: LIST });
    expect(requests).toBe(3);
    expect(local.connections.opened).toBe(2);
  });

  it('does not read an answer larger than any Partner Center documents: invalid, not retried', async () => {
    let requests = 0;
    const local = await serve((_req, res) => {
      requests++;
      res.end(JSON.stringify([{ qualification: 'x'.repeat(MAX_ANSWER_BYTES) }]));
    });
    expect(await client(local).getQualifications(customerId, call)).toMatchObject({
      ok: false,
      failure: { kind: 'unavailable', reason: 'invalid response' },
    });
    expect(requests).toBe(1);
  });
});
