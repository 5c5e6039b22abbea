import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { genericFault } from './api-fault.js';
import { SimulatorContext } from './context.js';
import { handleControl } from './control-api.js';
import { writeJson } from './http-io.js';
import { handlePartnerCenter } from './partner-center-api.js';
import { settingsPatchSchema } from './settings.js';
import type { SimulatorSettings } from './settings.js';

export interface SimulatorOptions {
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 0: an ephemeral port, read it back from `url`. */
  port?: number;
  /** InReview decides itself after this many seconds; undefined or 0 = never on its own. */
  vettingDelaySeconds?: number;
  /** Emit the doc typo `vettingCreatedDate` instead of `vettingCreateDate`. */
  emitVettingCreatedDate?: boolean;
  /** Token bucket over /v1 requests; the excess gets 429 + Retry-After. Undefined = unlimited. */
  rateLimitPerSecond?: number;
  /** Injectable clock for the vetting clock, dates and token expiry. */
  now?: () => Date;
}

export interface RunningSimulator {
  /** e.g. http://127.0.0.1:54321 */
  url: string;
  close(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const ctx = new SimulatorContext(options.now ?? (() => new Date()), settingsFrom(options));
  const server = createServer((req, res) => {
    void route(ctx, req, res);
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        ctx.dispose();
        // Ends keep-alive sockets and hanging fault requests, so close() never waits on a client.
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function settingsFrom(options: SimulatorOptions): SimulatorSettings {
  const parsed = settingsPatchSchema.safeParse({
    vettingDelaySeconds: options.vettingDelaySeconds,
    rateLimitPerSecond: options.rateLimitPerSecond,
    emitVettingCreatedDate: options.emitVettingCreatedDate,
  });
  if (!parsed.success) {
    throw new RangeError(`Invalid simulator options: ${parsed.error.message}`);
  }
  return {
    vettingDelaySeconds: parsed.data.vettingDelaySeconds ?? 0,
    rateLimitPerSecond: parsed.data.rateLimitPerSecond ?? null,
    emitVettingCreatedDate: parsed.data.emitVettingCreatedDate ?? false,
  };
}

async function route(ctx: SimulatorContext, req: IncomingMessage, res: ServerResponse) {
  try {
    // Prefixing keeps a path like //x from being read as a host name.
    const url = new URL(`http://simulator${req.url ?? '/'}`);
    if (url.pathname === '/v1' || url.pathname.startsWith('/v1/')) {
      await handlePartnerCenter(ctx, req, res, url);
    } else if (url.pathname === '/_simulator' || url.pathname.startsWith('/_simulator/')) {
      await handleControl(ctx, req, res, url);
    } else {
      const { status, body } = genericFault(404, `Nothing is served at ${url.pathname}.`);
      writeJson(res, status, body);
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    writeJson(res, 500, { message: `Simulator error: ${message}` });
  }
}
