import azureFunctions from '@azure/functions';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readRequestBody } from '../http-message.js';
import type { AppSettings } from './app-settings.js';
import type { CollectingRegistrar } from './collecting-registrar.js';
import {
  toHttpRequest,
  toOutgoingResponse,
  writeHttpResponse,
  type OutgoingResponse,
} from './http-exchange.js';
import { HttpRouteTable, type RouteMatch } from './http-routes.js';
import { createLogHandler, describeError, type LogLine } from './invocation-logging.js';
import { stdoutLines } from './stdout-lines.js';
import { TimerRunner } from './timer-runner.js';

export interface LocalHostOptions {
  registrar: CollectingRegistrar;
  /** host.json's extensions.http.routePrefix; see readHostJson. */
  routePrefix: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: an ephemeral port, see `LocalHost.url`. */
  port?: number;
  /** App settings for `%NAME%` references; default process.env. */
  settings?: AppSettings;
  /** Default: stdout, a turn of the event loop's lines at a time (see stdoutLines). */
  log?: LogLine;
  /** Default true; when false timers only run through runTimer or the admin endpoint. */
  runTimers?: boolean;
}

export interface LocalHost {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:7071. */
  url: string;
  close(): Promise<void>;
  /** Runs a timer function now and resolves when it has finished. */
  runTimer(name: string): Promise<void>;
}

// How long close() lets running invocations finish before cutting connections.
const drainTimeoutMs = 10_000;
// The Functions host's endpoint for running a non-HTTP function on demand.
const adminInvokePath = /^\/admin\/functions\/([^/]+)\/?$/i;

/**
 * Serves the registrations collected from the gateway's composition root the way `func start`
 * does: HTTP functions under the route prefix, timers on their schedules. Throws before listening
 * when a route or schedule cannot be served.
 */
export async function startLocalHost(options: LocalHostOptions): Promise<LocalHost> {
  const log = options.log ?? stdoutLines;
  const routes = new HttpRouteTable(options.registrar.httpRegistrations, options.routePrefix);
  const settings = options.settings ?? process.env;
  const timers = new Map(
    options.registrar.timerRegistrations.map(({ name, options: timerOptions }) => [
      name.toLowerCase(),
      new TimerRunner(name, timerOptions, settings, log),
    ]),
  );

  const inFlight = new Set<Promise<void>>();
  const server = createServer((request, response) => {
    const handling = handleRequest(request, response)
      .catch((error: unknown) => {
        log(
          `[error] host: ${request.method ?? ''} ${request.url ?? ''} failed. ${describeError(error)}`,
        );
        if (response.headersSent) response.destroy();
        else response.writeHead(500).end();
      })
      .finally(() => inFlight.delete(handling));
    inFlight.add(handling);
  });

  async function handleRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const pathname = (request.url ?? '/').split('?')[0] ?? '/';
    const admin = adminInvokePath.exec(pathname);
    if (admin !== null && request.method === 'POST') {
      response.writeHead(runOnDemand(request, decodeURIComponent(admin[1] ?? ''))).end();
      return;
    }
    const match = routes.match(request.method ?? 'GET', pathname);
    if (match === undefined) {
      response.writeHead(404).end();
      return;
    }
    const body = await readRequestBody(request);
    await invokeHttpFunction(match, request, response, body);
  }

  async function invokeHttpFunction(
    { route, params }: RouteMatch,
    request: IncomingMessage,
    response: ServerResponse,
    body: Buffer,
  ): Promise<void> {
    const invocationId = randomUUID();
    const startedAt = Date.now();
    const context = new azureFunctions.InvocationContext({
      invocationId,
      functionName: route.name,
      logHandler: createLogHandler(route.name, log),
      options: {
        trigger: {
          type: 'httpTrigger',
          name: 'request',
          methods: route.methods,
          route: route.template.template,
          authLevel: route.options.authLevel ?? 'anonymous',
        },
        return: { type: 'http', name: '$return' },
      },
    });
    let result: OutgoingResponse;
    try {
      const httpRequest = toHttpRequest(request, requestUrl(request, address), body, params);
      result = await toOutgoingResponse(await route.options.handler(httpRequest, context));
    } catch (error) {
      // Like the Functions host: the client gets a bare 500, the developer gets the details.
      log(
        `[error] ${route.name}: Executed 'Functions.${route.name}' (Failed, Id=${invocationId}, ` +
          `Duration=${Date.now() - startedAt}ms) ${describeError(error)}`,
      );
      response.writeHead(500).end();
      return;
    }
    writeHttpResponse(response, result);
  }

  /**
   * The admin endpoint (the host guards it with its master key): from this machine only, and one
   * run of a timer at a time, so that no caller can queue runs against Partner Center.
   */
  function runOnDemand(request: IncomingMessage, name: string): number {
    if (!isLoopback(request.socket.remoteAddress)) return 403;
    const timer = timers.get(name.toLowerCase());
    if (timer === undefined) return 404;
    if (timer.isRunning) return 409;
    void runTimerLogged(timer);
    return 202;
  }

  async function runTimerLogged(timer: TimerRunner): Promise<void> {
    try {
      await timer.runNow();
    } catch (error) {
      log(`[error] ${timer.name}: could not be run. ${describeError(error)}`);
    }
  }

  const address = await listen(server, options.host ?? '127.0.0.1', options.port ?? 0);
  const url = `http://${address}`;
  for (const route of routes.routes) {
    log(
      `[information] host: ${route.name}: [${route.methods.join(',')}] ${url}${routes.displayPath(route)}`,
    );
  }
  for (const timer of timers.values()) {
    log(`[information] host: ${timer.name}: timerTrigger (${timer.schedule})`);
    if (options.runTimers ?? true) timer.start();
  }

  let closing: Promise<void> | undefined;
  return {
    url,
    close: () => (closing ??= closeHost(server, [...timers.values()], inFlight, log)),
    runTimer: async (name) => {
      const timer = timers.get(name.toLowerCase());
      if (timer === undefined) throw new Error(`No timer function named '${name}' is registered.`);
      await timer.runNow();
    },
  };
}

async function closeHost(
  server: Server,
  timers: readonly TimerRunner[],
  inFlight: ReadonlySet<Promise<void>>,
  log: LogLine,
): Promise<void> {
  const closed = new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  server.closeIdleConnections();
  const drained = await settlesWithin(
    Promise.all([...timers.map((timer) => timer.stop()), ...inFlight]),
    drainTimeoutMs,
  );
  if (!drained)
    log(`[warning] host: invocations still running after ${drainTimeoutMs} ms; closing anyway.`);
  server.closeAllConnections();
  await closed;
}

async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timeout: NodeJS.Timeout | undefined;
  const expired = new Promise<false>((resolve) => {
    timeout = setTimeout(() => {
      resolve(false);
    }, ms);
  });
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      expired,
    ]);
  } finally {
    clearTimeout(timeout);
  }
}

/** Resolves to `host:port` as it appears in a URL. */
async function listen(server: Server, host: string, port: number): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, family, port: actualPort } = server.address() as AddressInfo;
  return `${family === 'IPv6' ? `[${address}]` : address}:${actualPort}`;
}

// The URL the client asked for, as the Functions host passes it; Host is only trusted if it parses.
function requestUrl(request: IncomingMessage, listenAddress: string): string {
  const path = request.url ?? '/';
  const host = request.headers.host;
  if (host !== undefined) {
    try {
      return new URL(`http://${host}${path}`).href;
    } catch {
      // fall through to the address the host listens on
    }
  }
  return new URL(`http://${listenAddress}${path}`).href;
}

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 addresses. */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return v4.startsWith('127.') || address === '::1';
}
