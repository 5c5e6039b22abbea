import { DefaultAzureCredential } from '@azure/identity';
import type { Config } from './config.js';
import type { Clock, PartnerCenter, QualificationStore } from './domain/ports.js';
import { createAppOnlyCredential } from './identity/partner-center-credentials.js';
import { CircuitBreaker } from './partner-center/circuit-breaker.js';
import { PartnerCenterClient } from './partner-center/partner-center-client.js';
import { TableQualificationStore } from './storage/table-qualification-store.js';
import { createGatewayTables, type GatewayTables } from './storage/tables.js';

/** Everything the functions need, made once per process. */
export interface Services {
  readonly config: Config;
  readonly clock: Clock;
  readonly partnerCenter: PartnerCenter;
  readonly store: QualificationStore;
  readonly tables: GatewayTables;
}

export function createServices(config: Config): Services {
  const clock: Clock = { now: () => new Date() };
  const tables = createGatewayTables(
    config.storage.kind === 'connection-string'
      ? { kind: 'connection-string', connectionString: config.storage.connectionString }
      : {
          kind: 'endpoint',
          endpoint: config.storage.tableEndpoint,
          credential: new DefaultAzureCredential(),
        },
    config.storage.tablePrefix,
  );
  const pc = config.partnerCenter;
  const partnerCenter = new PartnerCenterClient({
    baseUrl: pc.baseUrl,
    appCredential: createAppOnlyCredential(pc),
    scope: pc.scope,
    timeoutMs: pc.timeoutMs,
    maxRetries: pc.maxRetries,
    retryBaseMs: pc.retryBaseMs,
    maxConcurrentCalls: pc.maxConcurrentCalls,
    circuitBreaker: new CircuitBreaker(pc.circuitFailureThreshold, pc.circuitOpenSeconds),
  });
  const store = new TableQualificationStore(tables.customers, () => tables.ensureCreated());
  return { config, clock, partnerCenter, store, tables };
}
