import { randomUUID } from 'node:crypto';
import type { TokenCredential } from '@azure/identity';
import { checkHealth } from './application/check-health.js';
import type { LedgerDeps } from './application/customer-ledger.js';
import {
  createLiveReads,
  getCustomerQualifications,
} from './application/get-customer-qualifications.js';
import {
  createValidationCodeReads,
  listValidationCodes,
} from './application/list-validation-codes.js';
import { RecentRecords, rememberingStore } from './application/recent-records.js';
import { recordingDecisions } from './application/record-decisions.js';
import { refreshPendingVetting } from './application/refresh-pending-vetting.js';
import { submitQualification } from './application/submit-qualification.js';
import { SUMMARY_MAX_ROWS, summarizeVetting } from './application/summarize-vetting.js';
import {
  bind,
  type CheckHealth,
  type ListValidationCodes,
  type ReadQualifications,
  type RefreshTimer,
  type SubmitQualification,
  type SummarizeVetting,
} from './application/use-cases.js';
import type { Config } from './config.js';
import { systemClock } from './domain/clock.js';
import type { IdempotencyStore } from './domain/idempotency.js';
import type { Clock, CustomerStore, PartnerCenter, StatusView } from './domain/ports.js';
import { createCallerAccess, type CallerAccess } from './http/caller-access.js';
import {
  createAppOnlyCredential,
  createUserCredentialSource,
} from './identity/partner-center-credentials.js';
import { lazyCredential } from './identity/lazy-credential.js';
import { createCorrelatedLogger } from './logging/correlated-logger.js';
import { CircuitBreaker } from './partner-center/circuit-breaker.js';
import { nodeHttpTransport } from './partner-center/node-http-transport.js';
import { PartnerCenterClient } from './partner-center/partner-center-client.js';
import { DEFAULT_GUARD, FanOutDelivery } from './events/fan-out-delivery.js';
import { lazySink } from './events/lazy-sink.js';
import { queueSink } from './events/queue-sink.js';
import { QueueEventPublisher, eventsQueueName } from './storage/queue-event-publisher.js';
import { TableCustomerStore } from './storage/table-customer-store.js';
import { TableIdempotencyStore } from './storage/table-idempotency-store.js';
import { TableStatusIndex } from './storage/table-status-index.js';
import { TableWorkIndex } from './storage/table-work-index.js';
import { TableDecisionLog } from './storage/table-decision-log.js';
import { TableStatusScan } from './storage/table-status-scan.js';
import { pendingAges } from './domain/vetting-summary.js';
import {
  observeCircuitBreaker,
  observeEventSinkCircuit,
  observePendingVettings,
  recordVettingDecision,
} from './telemetry/gateway-signals.js';
import { measuredPartnerCenter, tracedTransport } from './telemetry/partner-center-telemetry.js';
import {
  createGatewayTables,
  createsStorageOnFirstUse,
  type StorageConnection,
} from './storage/tables.js';
import { once } from './on-first-use.js';

/**
 * What the functions call, made once per process: each use case bound to its ports and
 * settings, and the few ports a function uses directly.
 */
export interface Services {
  readonly callerAccess: CallerAccess;
  readonly readQualifications: ReadQualifications;
  readonly submitQualification: SubmitQualification;
  readonly idempotency: IdempotencyStore;
  readonly listValidationCodes: ListValidationCodes;
  readonly history: Pick<CustomerStore, 'history'>;
  readonly statusView: StatusView;
  readonly summarizeVetting: SummarizeVetting;
  readonly checkHealth: CheckHealth;
  readonly refreshTimer: RefreshTimer;
  /** The customer ledger's ports, for what sets up or inspects state (local host, tests, benchmarks). */
  readonly ledger: LedgerDeps;
  /** Creates the tables and queue where the gateway may (the emulator); Azure's come from the template. */
  readonly ensureStorage: () => Promise<void>;
}

/** `clock` tells every part of the gateway the time: the system's, unless a test sets one. */
export function createServices(config: Config, clock: Clock = systemClock): Services {
  // The gateway's own identity in Azure (its managed identity), for storage and Key Vault;
  // @azure/identity is loaded at its first token request.
  const azureCredential = once(() =>
    lazyCredential(async () => new (await import('@azure/identity')).DefaultAzureCredential()),
  );
  const connection = storageConnection(config, azureCredential);
  const tables = createGatewayTables(connection, config.storage.tablePrefix);
  const ensureTables = (): Promise<void> => tables.ensureCreated();
  const partnerCenter = createPartnerCenter(config, azureCredential, clock);
  const statusIndex = new TableStatusIndex(tables.statusIndex, ensureTables);
  const decisions = new TableDecisionLog(tables.decisions, ensureTables);
  const statusScan = new TableStatusScan(tables.statusIndex, ensureTables);
  observePendingVettings(async () =>
    pendingAges((await statusScan.scan(SUMMARY_MAX_ROWS, 'InReview')).rows, clock.now()),
  );
  const recentRecords = new RecentRecords(config.recentRecords, clock);
  const store = rememberingStore(
    new TableCustomerStore(tables.customers, ensureTables),
    recentRecords,
  );
  const idempotency = new TableIdempotencyStore(tables.idempotency, ensureTables, clock);
  const ledger: LedgerDeps = {
    store,
    workIndex: new TableWorkIndex(tables.workIndex, ensureTables, clock),
    projection: recordingDecisions(statusIndex, {
      log: decisions,
      clock,
      logger: createCorrelatedLogger(console, 'vetting-decisions'),
      onDecision: recordVettingDecision,
    }),
    publisher: eventDelivery(config, connection, azureCredential, clock),
    clock,
    newId: randomUUID,
  };
  const upstream = { ...ledger, partnerCenter };
  return {
    callerAccess: createCallerAccess(config.inboundAuth, clock),
    readQualifications: bind(getCustomerQualifications, {
      ...upstream,
      cacheMaxAgeSeconds: config.cacheMaxAgeSeconds,
      syncWriteIntervalMs: config.syncWriteIntervalMs,
      liveReads: createLiveReads(),
      recentRecords,
    }),
    submitQualification: bind(submitQualification, upstream),
    idempotency,
    listValidationCodes: bind(listValidationCodes, {
      partnerCenter,
      validationCodeReads: createValidationCodeReads(),
    }),
    history: store,
    statusView: statusIndex,
    summarizeVetting: bind(summarizeVetting, { statusView: statusScan, decisions, clock }),
    checkHealth: (logger) => checkHealth(store, partnerCenter, ledger.publisher, logger),
    refreshTimer: {
      schedule: config.vettingRefresh.schedule,
      run: (call) => refreshPendingVetting(upstream, config.vettingRefresh, call),
      purgeExpiredIdempotencyRecords: (limit, signal) => idempotency.purgeExpired(limit, signal),
    },
    ledger,
    ensureStorage: ensureTables,
  };
}

/** Partner Center's client, measured, with its breakers observed. */
function createPartnerCenter(
  config: Config,
  azureCredential: () => TokenCredential,
  clock: Clock,
): PartnerCenter {
  const { breaker, ...upstream } = config.partnerCenter;
  const identity = config.partnerCenterIdentity;
  const client = new PartnerCenterClient({
    ...upstream,
    appCredential: createAppOnlyCredential(identity, clock),
    userCredential: createUserCredentialSource(
      identity,
      createCorrelatedLogger(console, 'identity'),
      azureCredential,
      clock,
    ),
    userIdentity: userIdentityOf(identity.userCredential),
    circuitBreaker: new CircuitBreaker(breaker.failureThreshold, breaker.openSeconds, clock),
    clock,
    credentialBreaker: breaker,
    transport: tracedTransport(nodeHttpTransport({ maxSockets: upstream.maxConcurrentCalls })),
  });
  // Partner Center's breaker, and each identity's own for its token requests.
  observeCircuitBreaker('partner-center', () => client.health().partnerCenter === 'fail');
  observeCircuitBreaker('app-only', () => client.health().appOnlyCredential === 'fail');
  observeCircuitBreaker('app-user', () => client.health().appUserCredential === 'fail');
  return measuredPartnerCenter(client);
}

/**
 * The configured sinks, each event delivered to all of them. Each sink's client library is loaded
 * with its first event (`lazySink`): an instance that starts to answer reads never loads them.
 */
function eventDelivery(
  config: Config,
  connection: StorageConnection,
  azureCredential: () => TokenCredential,
  clock: Clock,
): FanOutDelivery {
  const delivery = new FanOutDelivery(
    config.events.sinks.map((name) =>
      name === 'event-grid'
        ? {
            sink: lazySink(name, async () => {
              const { EventGridSink } = await import('./events/event-grid-sink.js');
              return new EventGridSink({
                endpoint: config.events.eventGridTopicEndpoint ?? '',
                credential: azureCredential(),
              });
            }),
            guard: DEFAULT_GUARD,
          }
        : {
            sink: lazySink(name, async () => {
              const { createQueueClient } = await import('./storage/queues.js');
              return queueSink(
                new QueueEventPublisher(
                  createQueueClient(connection, eventsQueueName(config.storage.tablePrefix)),
                  createsStorageOnFirstUse(connection),
                ),
              );
            }),
          },
    ),
    clock,
  );
  for (const sink of delivery.guardedSinks()) {
    observeEventSinkCircuit(sink, () => delivery.circuitOpen(sink));
  }
  return delivery;
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
