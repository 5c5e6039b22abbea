import { existsSync } from 'node:fs';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { registerFunctions } from '../functions/register-functions.js';
import { createServices, type Services } from '../shared/composition-root.js';
import { loadConfig, type Config } from '../shared/config.js';
import { startTelemetry, type Telemetry } from '../shared/telemetry/start-telemetry.js';
import { CollectingRegistrar } from './local-host/collecting-registrar.js';
import { readHostJson } from './local-host/host-json.js';
import { startLocalHost, type LocalHost } from './local-host/http-server.js';

export interface LocalGatewayOptions {
  /** The app settings, as the Functions host would expose them in process.env. */
  readonly settings: Readonly<Record<string, string | undefined>>;
  readonly host?: string;
  readonly port?: number;
  readonly log?: (line: string) => void;
  readonly runTimers?: boolean;
  /** Span processors beside the configured exporters (tests collect spans with one). */
  readonly spanProcessors?: readonly SpanProcessor[];
}

export interface LocalGateway extends LocalHost {
  readonly config: Config;
  readonly services: Services;
  /** The process's telemetry (set up by the first gateway of the process; shared by the others). */
  readonly telemetry: Telemetry;
}

/**
 * The gateway as `func start` would run it: the same configuration parsing, telemetry set-up,
 * composition root and registrations as `functions/index.ts`, served by the local host.
 */
export async function startLocalGateway(options: LocalGatewayOptions): Promise<LocalGateway> {
  const config = loadConfig(options.settings);
  const telemetry = await startTelemetry(config.telemetry, {
    ...(options.spanProcessors && { spanProcessors: options.spanProcessors }),
  });
  const services = createServices(config);
  const registrar = new CollectingRegistrar();
  registerFunctions(registrar, services);
  const { routePrefix } = await readHostJson(hostJsonPath());
  await services.ensureStorage();
  const host = await startLocalHost({
    registrar,
    routePrefix,
    settings: options.settings,
    host: options.host,
    port: options.port,
    log: options.log,
    runTimers: options.runTimers,
  });
  return Object.assign(host, { config, services, telemetry });
}

/** host.json sits beside package.json, whether this runs from dist/dev or from dev/ (tests). */
function hostJsonPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'host.json');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error('host.json not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}
