import { randomBytes } from 'node:crypto';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, inject } from 'vitest';
import { startLocalGateway, type LocalGateway } from '../../dev/local-gateway.js';
import {
  startSimulator,
  type RunningSimulator,
  type SimulatorOptions,
} from '../../dev/partner-center-simulator/index.js';
import { REFRESH_PENDING_VETTING } from '../../functions/register-functions.js';
import { createOpenApiDocument } from '../../shared/api/openapi-document.js';
import { EventQueue } from './event-queue.js';
import { createResponseValidator, type OpenApiDocument } from './openapi-response-validator.js';
import { assertConforming, type ConformanceRecord } from './conformance.js';
import { watchResponses } from './validating-fetch.js';
import { SimulatorControl } from '../../dev/partner-center-simulator/control-client.js';

export interface TestGateway {
  /** Base URL of the gateway's API, e.g. http://127.0.0.1:41234/api/v1 */
  readonly api: string;
  /**
   * Every response `fetch` got from this gateway, checked against the OpenAPI document; a
   * deviation fails the test it happened in (test/support/conformance-setup.ts).
   */
  readonly conformance: ConformanceRecord;
  readonly gateway: LocalGateway;
  readonly simulator: SimulatorControl;
  /** Every line the gateway logged, for assertions on logging and redaction. */
  readonly logs: string[];
  /** The change events the gateway published. */
  readonly events: EventQueue;
  /** Runs the refresh timer now and returns what its run reported. */
  refresh(): Promise<Record<string, unknown>>;
  /** Secrets a test used (tokens, keys): `close()` fails if any reached a log line. */
  readonly secrets: Set<string>;
  /** Stops everything, then checks that no secret was logged. */
  close(): Promise<void>;
}

export interface TestGatewayOptions {
  readonly settings?: Readonly<Record<string, string>>;
  readonly simulator?: SimulatorOptions;
}

/**
 * Every span of the process's test gateways (telemetry is set up once per process, by the first
 * gateway, with this collector): checked for secrets like the log lines.
 */
const spanCheck = createSpanSecretCheck();

/** Every response of every test gateway is checked against the document the gateway serves. */
const checkResponse = createResponseValidator(
  createOpenApiDocument() as unknown as OpenApiDocument,
);

/** For a gateway started without this helper: checks what `fetch` gets from it until `stop()`. */
export function checkResponsesOf(gatewayUrl: string): ReturnType<typeof watchResponses> {
  return watchResponses(gatewayUrl, checkResponse);
}

/**
 * The real gateway over real HTTP: the local host serving the production registrations, the
 * Partner Center simulator, and the suite's Azurite, with tables of its own for each gateway.
 */
export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const simulator: RunningSimulator = await startSimulator({ port: 0, ...options.simulator });
  const logs: string[] = [];
  const settings = {
    PARTNER_CENTER_BASE_URL: simulator.url,
    PARTNER_CENTER_CREDENTIAL: 'simulator',
    PARTNER_CENTER_TIMEOUT_MS: '3000',
    PARTNER_CENTER_RETRY_BASE_MS: '20',
    STORAGE_CONNECTION_STRING: inject('azuriteConnectionString'),
    STORAGE_TABLE_PREFIX: `t${randomBytes(6).toString('hex')}`,
    ...options.settings,
  };
  const secrets = secretsIn(settings);
  spanCheck.watch(secrets);
  const gateway = await startLocalGateway({
    settings,
    port: 0,
    runTimers: false,
    log: (line) => logs.push(line),
    spanProcessors: [spanCheck.processor],
  });
  const watch = watchResponses(gateway.url, checkResponse);
  return {
    api: `${gateway.url}/api/v1`,
    conformance: watch.record,
    gateway,
    simulator: new SimulatorControl(simulator.url),
    logs,
    events: new EventQueue(settings.STORAGE_TABLE_PREFIX),
    refresh: async () => {
      const before = logs.length;
      await gateway.runTimer(REFRESH_PENDING_VETTING);
      const line = logs.slice(before).find((l) => l.includes('Refresh run finished'));
      if (line === undefined) throw new Error('the refresh run logged no report');
      return JSON.parse(line.slice(line.indexOf('{'))) as Record<string, unknown>;
    },
    secrets,
    close: async () => {
      watch.stop();
      await gateway.close();
      await simulator.close();
      assertNoSecretLogged(logs, secrets);
      spanCheck.assertNoSecretIn(secrets);
      assertConforming(watch.record.takeDeviations());
    },
  };
}

/** The secret values among the settings: credentials, and the storage account key. */
function secretsIn(settings: Readonly<Record<string, string>>): Set<string> {
  const secrets = new Set<string>();
  for (const [name, value] of Object.entries(settings)) {
    if (/SECRET|TOKEN|PASSWORD/.test(name) && value !== '') secrets.add(value);
  }
  const accountKey = /AccountKey=([^;]+)/.exec(settings.STORAGE_CONNECTION_STRING ?? '')?.[1];
  if (accountKey !== undefined) secrets.add(accountKey);
  return secrets;
}

/**
 * Every test gateway checks its own log when it closes, so that the whole suite — every request
 * every test makes — proves that no secret reaches a log line.
 */
function assertNoSecretLogged(logs: readonly string[], secrets: ReadonlySet<string>): void {
  for (const secret of secrets) {
    const line = logs.findIndex((l) => l.includes(secret));
    if (line !== -1) {
      throw new Error(`A secret (${secret.slice(0, 4)}…) reached log line ${String(line)}`);
    }
  }
}

/**
 * The same check over what spans would export (names, attributes, events, status), as each span
 * ends: against the secrets of every test gateway running in the process, keeping only the leaks.
 */
function createSpanSecretCheck() {
  const watched = new Set<ReadonlySet<string>>();
  const leaks: { secret: string; span: string }[] = [];
  let seen = 0;
  const processor: SpanProcessor = {
    onStart: () => undefined,
    onEnd: (span: ReadableSpan) => {
      seen++;
      const exported = JSON.stringify({
        name: span.name,
        attributes: span.attributes,
        events: span.events,
        status: span.status,
        links: span.links,
      });
      for (const secrets of watched) {
        for (const secret of secrets) {
          if (exported.includes(secret)) leaks.push({ secret, span: span.name });
        }
      }
    },
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
  return {
    processor,
    watch: (secrets: ReadonlySet<string>) => watched.add(secrets),
    assertNoSecretIn(secrets: ReadonlySet<string>): void {
      watched.delete(secrets);
      if (seen === 0) throw new Error('no span ended: the span check saw nothing');
      const leak = leaks.find((l) => secrets.has(l.secret));
      if (leak !== undefined) {
        throw new Error(`A secret (${leak.secret.slice(0, 4)}…) reached span ${leak.span}`);
      }
    },
  };
}

/**
 * One test gateway for a whole test file: started before its tests, closed after them, and the
 * simulator's faults and request log cleared before each test. Use it as `const env = …` at the
 * top of a file; its fields are read from the gateway once started.
 */
export function useTestGateway(options: TestGatewayOptions = {}): TestGateway {
  let started: TestGateway | undefined;
  const current = (): TestGateway => {
    if (started === undefined) throw new Error('the test gateway is used before beforeAll ran');
    return started;
  };
  beforeAll(async () => {
    started = await startTestGateway(options);
  });
  afterAll(async () => {
    await started?.close();
  });
  beforeEach(async () => {
    await current().simulator.clearFaults();
    await current().simulator.clearRequests();
  });
  return {
    get api() {
      return current().api;
    },
    get conformance() {
      return current().conformance;
    },
    get gateway() {
      return current().gateway;
    },
    get simulator() {
      return current().simulator;
    },
    get logs() {
      return current().logs;
    },
    get events() {
      return current().events;
    },
    get secrets() {
      return current().secrets;
    },
    refresh: () => current().refresh(),
    close: () => current().close(),
  };
}
