/**
 * `npm start`: the gateway on this machine with nothing to configure. Without Partner Center or
 * storage settings it also starts Azurite and the Partner Center simulator; with them it uses
 * those instead. Settings come from the environment, then local.settings.json (as `func start`
 * reads them). Ctrl-C stops everything.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { startAzurite, type RunningAzurite } from './azurite.js';
import type { EventsConfig } from '../shared/events/event-settings.js';
import { startLocalGateway } from './local-gateway.js';
import { SEEDED_CUSTOMERS, startSimulator } from './partner-center-simulator/index.js';
import type { RunningSimulator } from './partner-center-simulator/index.js';

const LOCAL_REFRESH_SCHEDULE = '*/30 * * * * *';

const localRunSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65_535).default(7071),
  SIMULATOR_PORT: z.coerce.number().int().min(1).max(65_535).default(7072),
  SIMULATOR_VETTING_DELAY_SECONDS: z.coerce.number().int().min(0).default(120),
});

function localSettings(): Record<string, string | undefined> {
  const path = join(process.cwd(), 'local.settings.json');
  if (!existsSync(path)) return {};
  const parsed = z
    .object({ Values: z.record(z.string(), z.string()).default({}) })
    .safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`local.settings.json: ${z.prettifyError(parsed.error)}`);
  return parsed.data.Values;
}

async function main(): Promise<void> {
  const settings: Record<string, string | undefined> = { ...localSettings(), ...process.env };
  // The OpenTelemetry SDK reads its own OTEL_* variables from the environment, where `func start`
  // puts local.settings.json's values too.
  for (const [name, value] of Object.entries(settings)) {
    if (name.startsWith('OTEL_') && value !== undefined) process.env[name] ??= value;
  }
  const local = localRunSchema.safeParse(settings);
  if (!local.success)
    throw new Error(`Invalid local run settings:\n${z.prettifyError(local.error)}`);
  const { PORT, SIMULATOR_PORT, SIMULATOR_VETTING_DELAY_SECONDS } = local.data;
  const stops: (() => Promise<void>)[] = [];

  let simulator: RunningSimulator | undefined;
  if (!settings.PARTNER_CENTER_BASE_URL) {
    const started = await startSimulator({
      port: SIMULATOR_PORT,
      vettingDelaySeconds: SIMULATOR_VETTING_DELAY_SECONDS,
    });
    simulator = started;
    stops.push(() => started.close());
    settings.PARTNER_CENTER_BASE_URL = started.url;
    settings.PARTNER_CENTER_CREDENTIAL = 'simulator';
    // The simulator decides vetting within minutes, not days: check every 30 s so that a
    // newcomer sees InReview turn into Approved or Denied.
    settings.VETTING_REFRESH_SCHEDULE ??= LOCAL_REFRESH_SCHEDULE;
  }

  let azurite: RunningAzurite | undefined;
  const storageConfigured = [
    'STORAGE_CONNECTION_STRING',
    'AzureWebJobsStorage',
    'STORAGE_TABLE_ENDPOINT',
  ].some((name) => settings[name] && settings[name] !== 'UseDevelopmentStorage=true');
  if (!storageConfigured) {
    const started = await startAzurite({
      tablePort: 10002,
      queuePort: 10001,
      location: join(process.cwd(), '.data', 'azurite'),
    });
    azurite = started;
    stops.unshift(() => started.close());
    settings.STORAGE_CONNECTION_STRING = started.connectionString;
  }

  const gateway = await startLocalGateway({ settings, port: PORT });
  stops.unshift(
    () => gateway.close(),
    () => gateway.telemetry.shutdown(),
  );

  printBanner(gateway.url, simulator, azurite, SIMULATOR_VETTING_DELAY_SECONDS);
  console.log(eventsBanner(gateway.config.events).join('\n'));

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    void stops
      .reduce((chain, next) => chain.then(next), Promise.resolve())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** Where change events go, and how to add Event Grid when it is not on. */
function eventsBanner(events: EventsConfig): string[] {
  const queue = events.sinks.includes('queue') ? 'the qualification-events queue' : undefined;
  const topic = events.eventGridTopicEndpoint;
  const to = [queue, topic === undefined ? undefined : `the Event Grid topic ${topic}`];
  const lines = [`Change events go to ${to.filter((t) => t !== undefined).join(' and ')}.`];
  if (topic === undefined) {
    lines.push(
      'To publish them to an Event Grid topic too (CloudEvents 1.0 schema; see docs/events.md), sign in',
      'with `az login` as someone holding "EventGrid Data Sender" on the topic, then:',
      '  EVENT_GRID_TOPIC_ENDPOINT=https://<topic>.<region>-1.eventgrid.azure.net/api/events npm start',
    );
  }
  lines.push('');
  return lines;
}

function printBanner(
  gatewayUrl: string,
  simulator: RunningSimulator | undefined,
  azurite: RunningAzurite | undefined,
  vettingDelaySeconds: number,
): void {
  const api = `${gatewayUrl}/api/v1`;
  const lines = [
    '',
    'Partner Qualifications Gateway is running.',
    `  API          ${api}`,
    `  OpenAPI      ${api}/openapi.json`,
    `  Health       ${api}/health`,
  ];
  if (simulator)
    lines.push(
      `  Simulator    ${simulator.url}  (Partner Center stand-in; control API under /_simulator)`,
    );
  else lines.push('  Partner Center: as configured by PARTNER_CENTER_BASE_URL');
  if (azurite)
    lines.push(
      `  Azurite      tables ${azurite.tableEndpoint}, queues ${azurite.queueEndpoint} (data in .data/azurite)`,
    );
  if (simulator) {
    lines.push('', 'Seeded customers:');
    for (const [name, id] of Object.entries(SEEDED_CUSTOMERS))
      lines.push(`  ${name.padEnd(28)} ${id}`);
    lines.push(
      '',
      'Try:',
      `  curl -s ${api}/health`,
      `  curl -s ${api}/customers/${SEEDED_CUSTOMERS.educationApproved}/qualifications`,
      `  curl -s '${api}/customers/${SEEDED_CUSTOMERS.educationInReview}/qualifications?refresh=true'`,
      `  curl -s ${api}/validation-codes`,
      `  curl -s -X POST -H 'content-type: application/json' -d '{"qualification":"Education","educationSegment":"K12"}' ${api}/customers/${SEEDED_CUSTOMERS.noQualifications}/qualifications`,
      `  curl -s ${api}/customers/${SEEDED_CUSTOMERS.noQualifications}/qualifications/history   # InReview, then decided within ~${String(vettingDelaySeconds)} s + the next timer run`,
      `  curl -s '${api}/qualifications?vettingStatus=InReview'`,
      `  curl -s '${api}/qualifications/summary?days=30'`,
      `  curl -s ${simulator.url}/_simulator/requests`,
    );
  }
  lines.push('', 'Ctrl-C stops everything.', '');
  console.log(lines.join('\n'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
