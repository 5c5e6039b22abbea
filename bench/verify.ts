import { QueueClient } from '@azure/storage-queue';
import { eventsQueueName } from '../shared/storage/queue-event-publisher.js';
import type { BenchEnvironment } from './environment.js';
import type { RefreshOutcome } from './refresh-runs.js';
import type { SimulatorControl } from '../dev/partner-center-simulator/control-client.js';

export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** The by-status endpoint's largest page. */
const PAGE_SIZE = 200;
/** Pages followed per status; 10,000 records at 200 a page need 50. */
const MAX_PAGES = 1_000;

interface StatusPage {
  readonly items: readonly { customerId: string; qualification: string }[];
  readonly continuationToken: string | null;
}

/**
 * Whether the refresh did its job, judged from outside: the gateway's by-status view against the
 * simulator's own state, the events queue, and the work index.
 */
export async function verify(
  env: BenchEnvironment,
  simulator: SimulatorControl,
  ids: readonly string[],
  refresh: RefreshOutcome,
): Promise<Check[]> {
  const expected = await simulatorStatuses(simulator, ids);
  const inReview = await countByStatus(env.api, 'InReview', ids, 1);
  const approved = await countByStatus(env.api, 'Approved', ids);
  const denied = await countByStatus(env.api, 'Denied', ids);
  const events = await queuedEvents(env);
  const changed = refresh.reports.reduce((sum, r) => sum + r.changed, 0);
  return [
    {
      name: 'simulator decided every record',
      ok: (expected.get('InReview') ?? 0) === 0,
      detail: `Approved ${expected.get('Approved') ?? 0}, Denied ${expected.get('Denied') ?? 0}`,
    },
    {
      name: 'work index empty',
      ok: refresh.drained,
      detail: refresh.drained ? 'last run indexed 0' : 'run cap reached with records left',
    },
    {
      name: 'by-status view: no InReview left',
      ok: inReview === 0,
      detail: `${inReview} InReview`,
    },
    {
      name: 'by-status view matches the simulator',
      ok: approved === expected.get('Approved') && denied === expected.get('Denied'),
      detail: `Approved ${approved}, Denied ${denied}`,
    },
    {
      name: 'one change per record',
      ok: changed === ids.length,
      detail: `${changed} changes reported for ${ids.length} records`,
    },
    {
      name: 'one event per record on the queue',
      ok: events === ids.length,
      detail: `${events} messages`,
    },
  ];
}

/** The Education status of each benchmark customer, as the simulator now holds it. */
async function simulatorStatuses(
  simulator: SimulatorControl,
  ids: readonly string[],
): Promise<Map<string, number>> {
  const wanted = new Set(ids);
  const counts = new Map<string, number>();
  for (const customer of await simulator.customers()) {
    if (!wanted.has(customer.customerId)) continue;
    for (const q of customer.qualifications) {
      const status = (q as { vettingStatus?: unknown }).vettingStatus;
      const key = typeof status === 'string' ? status : '(none)';
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

/**
 * Rows of the benchmark's customers under one status in `GET /qualifications`,
 * following continuation tokens (an empty page may still carry one). `stopAfter` ends the count
 * early once that many are found, e.g. 1 to ask "any at all?".
 */
async function countByStatus(
  api: string,
  vettingStatus: string,
  ids: readonly string[],
  stopAfter = Number.POSITIVE_INFINITY,
): Promise<number> {
  const wanted = new Set(ids);
  let count = 0;
  let token: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const url = new URL(`${api}/qualifications`);
    url.searchParams.set('vettingStatus', vettingStatus);
    url.searchParams.set('pageSize', String(stopAfter === 1 ? 1 : PAGE_SIZE));
    if (token !== null) url.searchParams.set('continuationToken', token);
    const response = await fetch(url);
    if (!response.ok) throw new Error(`GET ${url.pathname} → ${response.status}`);
    const body = (await response.json()) as StatusPage;
    count += body.items.filter((item) => wanted.has(item.customerId)).length;
    token = body.continuationToken;
    if (token === null || count >= stopAfter) return count;
  }
  throw new Error(`GET /qualifications?vettingStatus=${vettingStatus}: over ${MAX_PAGES} pages`);
}

/** Messages on the gateway's events queue (Azurite's count is exact: nothing consumes them). */
async function queuedEvents(env: BenchEnvironment): Promise<number> {
  const queue = new QueueClient(env.emulators.connectionString, eventsQueueName(env.prefix));
  if (!(await queue.exists())) return 0;
  const properties = await queue.getProperties();
  return properties.approximateMessagesCount ?? 0;
}
