import { randomUUID } from 'node:crypto';
import azureFunctions from '@azure/functions';
import type { Timer } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { refreshPendingVettingFunction } from '../../../functions/refresh-pending-vetting.js';
import { refreshPendingVetting } from '../../../shared/application/refresh-pending-vetting.js';
import type { CustomerId } from '../../../shared/domain/customer-id.js';
import { emptyRecord } from '../../../shared/domain/customer-record.js';
import { InMemoryCustomerStore } from '../fakes/customer-store.js';
import { RecordingPublisher } from '../fakes/event-publisher.js';
import { FakePartnerCenter } from '../fakes/partner-center.js';
import { InMemoryWorkIndex } from '../fakes/work-index.js';

const { InvocationContext } = azureFunctions;

// The timer function as the Functions host invokes it: a real InvocationContext and Timer.
function invoke(isPastDue: boolean, purge: (limit: number) => Promise<number>) {
  const store = new InMemoryCustomerStore(0);
  const workQueue = new InMemoryWorkIndex();
  const customerId = randomUUID() as CustomerId;
  const pending = {
    qualification: 'Education',
    vettingStatus: 'InReview',
    vettingCreateDate: '2025-01-01T00:00:00Z',
  };
  store.seed({ ...emptyRecord(customerId), qualifications: [pending], lastSyncedAt: new Date(0) });
  workQueue.add(customerId);
  const partnerCenter = new FakePartnerCenter({
    answer: () => ({ ok: true, value: [{ ...pending, vettingStatus: 'Approved' }] }),
    delayMs: 0,
  });
  const deps = {
    store,
    workIndex: workQueue,
    publisher: new RecordingPublisher(),
    partnerCenter,
    clock: { now: () => new Date() },
    newId: randomUUID,
  };
  const limits = { budgetMs: 5_000, maxCalls: 10, concurrency: 2 };
  const options = refreshPendingVettingFunction({
    schedule: '0 */15 * * * *',
    run: (call) => refreshPendingVetting(deps, limits, call),
    purgeExpiredIdempotencyRecords: purge,
  });
  const lines: string[] = [];
  const context = new InvocationContext({
    invocationId: randomUUID(),
    functionName: 'refresh-pending-vetting',
    logHandler: (level, ...args) => lines.push(`${level} ${args.map(String).join(' ')}`),
  });
  const timer: Timer = {
    isPastDue,
    schedule: { adjustForDST: true },
    scheduleStatus: { last: '', next: '', lastUpdated: '' },
  };
  return { run: options.handler(timer, context), lines, store, customerId, options };
}

describe('refresh-pending-vetting function', () => {
  it('takes its schedule from the configuration', () => {
    expect(invoke(false, () => Promise.resolve(0)).options.schedule).toBe('0 */15 * * * *');
  });

  it('runs when past due, says so, and logs one report with the run id on every line', async () => {
    const { run, lines, store, customerId } = invoke(true, () => Promise.resolve(3));
    await run;
    expect(lines.some((l) => l.startsWith('warning') && l.includes('past due'))).toBe(true);
    const report = lines.find((l) => l.includes('Refresh run finished'));
    expect(report).toContain('"checked":1');
    expect(report).toContain('"changed":1');
    expect(lines.some((l) => l.includes('"purged":3'))).toBe(true);
    const runId = /"correlationId":"([^"]+)"/.exec(report ?? '')?.[1];
    expect(runId).toBeDefined();
    expect(lines.every((l) => l.includes(runId ?? '-'))).toBe(true);
    expect((await store.get(customerId))?.value.qualifications?.[0]?.vettingStatus).toBe(
      'Approved',
    );
  });

  it('a failing purge is logged, not thrown', async () => {
    const { run, lines } = invoke(false, () => Promise.reject(new Error('storage down')));
    await expect(run).resolves.toBeUndefined();
    expect(lines.some((l) => l.includes('Purging expired idempotency records failed'))).toBe(true);
  });
});
