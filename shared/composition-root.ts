import { randomUUID } from 'node:crypto';
import type { TokenCredential } from '@azure/identity';
import type { LedgerDeps } from './application/customer-ledger.js';
import { createLiveReads, type LiveRead } from './application/get-customer-qualifications.js';
import {
  createValidationCodeReads,
  type ValidationCodesResult,
} from './application/list-validation-codes.js';
import type { SingleFlight } from './application/single-flight.js';
import { recordingDecisions } from './application/record-decisions.js';
import { SUMMARY_MAX_ROWS, type VettingSummaryDeps } from './application/summarize-vetting.js';
import type { Config } from './config.js';
import { systemClock } from './domain/clock.js';
import type { Clock, CustomerStore, PartnerCenter } from './domain/ports.js';
import { createCallerAccess, type CallerAccess } from './http/caller-access.js';
import {
  createAppOnlyCredential,
  createUserCredentialSource,
} from './identity/partner-center-credentials.js';
import { lazyCredential } from './identity/lazy-credential.js';
import { createCorrelatedLogger } from './logging/correlated-logger.js';
import { CircuitBreaker } from './partner-center/circuit-breaker.js';
import { PartnerCenterClient } from './partner-center/partner-center-client.js';
import { EventGridSink } from './events/event-grid-sink.js';
import { DEFAULT_GUARD, FanOutDelivery } from './events/fan-out-delivery.js';
import { queueSink } from './events/queue-sink.js';
import { QueueEventPublisher, eventsQueueName } from './storage/queue-event-publisher.js';
import { createQueueClient } from './storage/queues.js';
import { TableCustomerStore } from './storage/table-customer-store.js';
import { RecentRecords, rememberingStore } from './application/recent-records.js';
import { TableIdempotencyStore } from './storage/table-idempotency-store.js';
import { TableStatusIndex } from './storage/table-status-index.js';
import { TableWorkIndex } from './storage/table-work-index.js';
import { TableDecisionLog } from './storage/table-decision-log.js';
import { TableStatusScan } from './storage/table-status-scan.js';
import { pendingAges } from './domain/vetting-summary.js';
import {
  observeCircuitBreaker,
  observePendingVettings,
  recordVettingDecision,
} from './telemetry/gateway-signals.js';
import { measuredPartnerCenter, tracedFetch } from './telemetry/partner-center-telemetry.js';
import {
  createGatewayTables,
  createsStorageOnFirstUse,
  type GatewayTables,
  type StorageConnection,
} from './storage/tables.js';

/** Everything the functions need, made once per process. */
export interface Services extends LedgerDeps {
  readonly config: Config;
  readonly clock: Clock;
  readonly partnerCenter: PartnerCenter;
  readonly store: CustomerStore;
  readonly workIndex: TableWorkIndex;
  readonly idempotency: TableIdempotencyStore;
  readonly statusIndex: TableStatusIndex;
  readonly callerAccess: CallerAccess;
  readonly tables: GatewayTables;
  readonly liveReads: SingleFlight<LiveRead>;
  readonly recentRecords: RecentRecords;
  readonly validationCodeReads: SingleFlight<ValidationCodesResult>;
  readonly vettingSummary: VettingSummaryDeps;
}

export function createServices(config: Config): Services {
  const clock: Clock = systemClock;
  // The gateway's own identity in Azure (its managed identity), for storage and Key Vault;
  // @azure/identity is loaded at its first token request.
  const azureCredential = once(() =>
    lazyCredential(async () => new (await import('@azure/identity')).DefaultAzureCredential()),
  );
  const connection = storageConnection(config, azureCredential);
  const tables = createGatewayTables(connection, config.storage.tablePrefix);
  const ensureTables = (): Promise<void> => tables.ensureCreated();
  const { breaker, ...upstream } = config.partnerCenter;
  const identity = config.partnerCenterIdentity;
  const client = new PartnerCenterClient({
    ...upstream,
    appCredential: createAppOnlyCredential(identity),
    userCredential: createUserCredentialSource(
      identity,
      createCorrelatedLogger(console, 'identity'),
      azureCredential,
    ),
    userIdentity: userIdentityOf(identity.userCredential),
    circuitBreaker: new CircuitBreaker(breaker.failureThreshold, breaker.openSeconds),
    credentialBreaker: breaker,
    fetch: tracedFetch(),
  });
  const partnerCenter = measuredPartnerCenter(client);
  // Partner Center's breaker, and each identity's own for its token requests.
  observeCircuitBreaker('partner-center', () => client.health().partnerCenter === 'fail');
  observeCircuitBreaker('app-only', () => client.health().appOnlyCredential === 'fail');
  observeCircuitBreaker('app-user', () => client.health().appUserCredential === 'fail');
  const statusIndex = new TableStatusIndex(tables.statusIndex, ensureTables);
  const decisions = new TableDecisionLog(tables.decisions, ensureTables);
  const statusView = new TableStatusScan(tables.statusIndex, ensureTables);
  observePendingVettings(async () =>
    pendingAges((await statusView.scan(SUMMARY_MAX_ROWS, 'InReview')).rows, clock.now()),
  );
  const recentRecords = new RecentRecords(config.recentRecords, clock);
  return {
    config,
    clock,
    statusIndex,
    projection: recordingDecisions(statusIndex, {
      log: decisions,
      clock,
      logger: createCorrelatedLogger(console, 'vetting-decisions'),
      onDecision: recordVettingDecision,
    }),
    vettingSummary: { statusView, decisions, clock },
    callerAccess: createCallerAccess(config.inboundAuth),
    partnerCenter,
    store: rememberingStore(new TableCustomerStore(tables.customers, ensureTables), recentRecords),
    recentRecords,
    workIndex: new TableWorkIndex(tables.workIndex, ensureTables, clock),
    idempotency: new TableIdempotencyStore(tables.idempotency, ensureTables, clock),
    publisher: new FanOutDelivery(
      config.events.sinks.map((name) =>
        name === 'event-grid'
          ? {
              sink: new EventGridSink({
                endpoint: config.events.eventGridTopicEndpoint ?? '',
                credential: azureCredential(),
              }),
              guard: DEFAULT_GUARD,
            }
          : {
              sink: queueSink(
                new QueueEventPublisher(
                  createQueueClient(connection, eventsQueueName(config.storage.tablePrefix)),
                  createsStorageOnFirstUse(connection),
                ),
              ),
            },
      ),
    ),
    newId: randomUUID,
    tables,
    liveReads: createLiveReads(),
    validationCodeReads: createValidationCodeReads(),
  };
}

function storageConnection(
  config: Config,
  azureCredential: () => TokenCredential,
): StorageConnection {
  if (config.storage.kind === 'connection-string') {
    return { kind: 'connection-string', connectionString: config.storage.connectionString };
  }
  return {
    kind: 'endpoint',
    tableEndpoint: config.storage.tableEndpoint,
    queueEndpoint: config.storage.queueEndpoint,
    credential: azureCredential(),
  };
}

/** Whose user the App+User calls act as: the gateway's own, the caller's, or nobody's. */
function userIdentityOf(
  mode: Config['partnerCenterIdentity']['userCredential'],
): 'app+user' | 'on-behalf-of' | 'none' {
  if (mode === 'none' || mode === 'on-behalf-of') return mode;
  return 'app+user';
}

/** Made on first use, then shared. */
function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}
