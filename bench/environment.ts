import { randomBytes } from 'node:crypto';
import { startLocalGateway, type LocalGateway } from '../dev/local-gateway.js';
import { HOST, startEmulators, type Emulators } from './emulators.js';
import type { GatewayLog } from './gateway-log.js';
import type { BenchOptions } from './options.js';

/** The emulators and the gateway, all in this process, all on loopback. */
export interface BenchEnvironment {
  readonly emulators: Emulators;
  readonly gateway: LocalGateway;
  /** Base URL of the gateway's API, e.g. http://127.0.0.1:41234/api/v1 */
  readonly api: string;
  /** The gateway's table prefix, which also names its events queue. */
  readonly prefix: string;
  close(): Promise<void>;
}

/** The settings the issue asks for: a budget and call cap that never cut a 10,000-record run. */
function gatewaySettings(
  options: BenchOptions,
  emulators: Emulators,
  prefix: string,
): Record<string, string> {
  return {
    PARTNER_CENTER_BASE_URL: emulators.simulatorUrl,
    PARTNER_CENTER_CREDENTIAL: 'simulator',
    STORAGE_CONNECTION_STRING: emulators.connectionString,
    STORAGE_TABLE_PREFIX: prefix,
    VETTING_REFRESH_CONCURRENCY: String(options.concurrency),
    VETTING_REFRESH_BUDGET_SECONDS: '240',
    VETTING_REFRESH_MAX_CALLS: '100000',
    PARTNER_CENTER_MAX_CONCURRENT_CALLS: '64',
  };
}

export async function startEnvironment(
  options: BenchOptions,
  log: GatewayLog,
): Promise<BenchEnvironment> {
  const emulators = await startEmulators(options.emulators);
  try {
    // Table names allow letters and digits only, starting with a letter.
    const prefix = `bench${randomBytes(4).toString('hex')}`;
    const gateway = await startLocalGateway({
      settings: gatewaySettings(options, emulators, prefix),
      host: HOST,
      port: 0,
      runTimers: false,
      log: (line) => {
        log.write(line);
      },
    });
    return {
      emulators,
      gateway,
      api: `${gateway.url}/api/v1`,
      prefix,
      close: async () => {
        await gateway.close();
        await emulators.close();
      },
    };
  } catch (error) {
    await emulators.close();
    throw error;
  }
}
