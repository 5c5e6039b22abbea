import { randomBytes } from 'node:crypto';
import { startAzurite, type RunningAzurite } from '../dev/azurite.js';
import { startLocalGateway, type LocalGateway } from '../dev/local-gateway.js';
import { startSimulator, type RunningSimulator } from '../dev/partner-center-simulator/index.js';
import type { BenchOptions } from './options.js';
import type { GatewayLog } from './gateway-log.js';

const HOST = '127.0.0.1';

/** Azurite, the Partner Center simulator and the gateway, all in this process, all on loopback. */
export interface BenchEnvironment {
  readonly azurite: RunningAzurite;
  readonly simulator: RunningSimulator;
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
  azurite: RunningAzurite,
  simulator: RunningSimulator,
  prefix: string,
): Record<string, string> {
  return {
    PARTNER_CENTER_BASE_URL: simulator.url,
    PARTNER_CENTER_CREDENTIAL: 'simulator',
    STORAGE_CONNECTION_STRING: azurite.connectionString,
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
  const azurite = await startAzurite({ host: HOST });
  let simulator: RunningSimulator | undefined;
  try {
    // No rate limit and no vetting clock while seeding; both are set right before the refresh.
    simulator = await startSimulator({ host: HOST, port: 0 });
    // Table names allow letters and digits only, starting with a letter.
    const prefix = `bench${randomBytes(4).toString('hex')}`;
    const gateway = await startLocalGateway({
      settings: gatewaySettings(options, azurite, simulator, prefix),
      host: HOST,
      port: 0,
      runTimers: false,
      log: (line) => {
        log.write(line);
      },
    });
    const running = simulator;
    return {
      azurite,
      simulator: running,
      gateway,
      api: `${gateway.url}/api/v1`,
      prefix,
      close: async () => {
        await gateway.close();
        await running.close();
        await azurite.close();
      },
    };
  } catch (error) {
    await simulator?.close();
    await azurite.close();
    throw error;
  }
}
