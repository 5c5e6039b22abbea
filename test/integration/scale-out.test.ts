import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startLocalGateway, type LocalGateway } from '../../dev/local-gateway.js';
import { REFRESH_PENDING_VETTING } from '../../functions/register-functions.js';
import { checkResponsesOf, startTestGateway, type TestGateway } from '../support/test-gateway.js';

// Scale-out: two instances of the gateway, as Flex Consumption runs them, sharing one storage
// account (Azurite) and one Partner Center (the simulator). What holds for one holds for both.

const prefix = `s${randomBytes(6).toString('hex')}`;
let first: TestGateway;
let second: LocalGateway;
let secondApi: string;
let secondChecks: ReturnType<typeof checkResponsesOf>;

beforeAll(async () => {
  first = await startTestGateway({ settings: { STORAGE_TABLE_PREFIX: prefix } });
  second = await startLocalGateway({
    settings: {
      PARTNER_CENTER_BASE_URL: first.simulator.url,
      PARTNER_CENTER_CREDENTIAL: 'simulator',
      PARTNER_CENTER_TIMEOUT_MS: '3000',
      PARTNER_CENTER_RETRY_BASE_MS: '20',
      STORAGE_CONNECTION_STRING: inject('azuriteConnectionString'),
      STORAGE_TABLE_PREFIX: prefix,
    },
    port: 0,
    runTimers: false,
    log: () => undefined,
  });
  secondApi = `${second.url}/api/v1`;
  secondChecks = checkResponsesOf(second.url);
});
afterAll(async () => {
  secondChecks.stop();
  await second.close();
  await first.close();
});

describe('two instances sharing storage and Partner Center', () => {
  it('one Idempotency-Key sent to both at once makes one upstream POST', async () => {
    const customerId = await first.simulator.createCustomer();
    await first.simulator.clearRequests();
    // Partner Center is slow, so both requests are in flight together.
    await first.simulator.fault({
      method: 'POST',
      path: `/v1/customers/${customerId}/qualifications`,
      delayMs: 500,
    });
    const post = (api: string) =>
      fetch(`${api}/customers/${customerId}/qualifications`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'one-order' },
        body: JSON.stringify({ qualification: 'Education', educationSegment: 'K12' }),
      });
    const answers = await Promise.all([post(first.api), post(secondApi)]);
    const statuses = answers.map((a) => a.status).sort();
    // One did it; the other was told it is in flight (or, if it came second, got the replay).
    expect(statuses.filter((s) => s === 201)).not.toHaveLength(0);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const posts = (await first.simulator.requests()).filter((r) => r.method === 'POST');
    expect(new Set(posts.map((p) => p.headers['ms-requestid'])).size).toBe(1);

    // A repeat to either instance now replays the one answer.
    for (const api of [first.api, secondApi]) {
      const repeat = await post(api);
      expect(repeat.status).toBe(201);
      expect(repeat.headers.get('idempotent-replayed')).toBe('true');
    }
    expect((await first.simulator.requests()).filter((r) => r.method === 'POST')).toHaveLength(
      posts.length,
    );
  });

  it('timer runs on both at once record and publish each change exactly once', async () => {
    await first.events.clear();
    const ids = await first.simulator.createCustomers(
      [{ qualification: 'Education', vettingStatus: 'InReview' }],
      40,
    );
    // Known to the gateway (and so indexed), half through each instance.
    await Promise.all(
      ids.map((id, i) =>
        fetch(`${i % 2 === 0 ? first.api : secondApi}/customers/${id}/qualifications`),
      ),
    );
    for (const id of ids) await first.simulator.decide(id, 'Education', 'Approved');

    await Promise.all([
      first.gateway.runTimer(REFRESH_PENDING_VETTING),
      second.runTimer(REFRESH_PENDING_VETTING),
    ]);
    // A run that lost every race leaves its customers to the next: one more on each settles all.
    await Promise.all([
      first.gateway.runTimer(REFRESH_PENDING_VETTING),
      second.runTimer(REFRESH_PENDING_VETTING),
    ]);

    for (const id of ids) {
      const history = (await (
        await fetch(`${first.api}/customers/${id}/qualifications/history`)
      ).json()) as { events: { from: string; to: string }[] };
      expect(history.events, id).toMatchObject([{ from: 'InReview', to: 'Approved' }]);
    }
    // Delivery is at least once; after deduplication by id, exactly one event per change.
    const events = await first.events.drain();
    const unique = new Map(events.map((e) => [e.id, e]));
    const changed = [...unique.values()].map((e) => e.data.customerId).sort();
    expect(changed).toEqual([...ids].sort());
  });

  it("each instance remembers records for a bounded time: its own writes show at once, the other's once the copy is older than CACHE_MEMORY_MAX_AGE_MS", async () => {
    const customerId = await first.simulator.createCustomer();
    const url = (api: string) => `${api}/customers/${customerId}/qualifications`;
    const qualificationsSeenBy = async (api: string) =>
      ((await (await fetch(url(api))).json()) as { qualifications: { vettingStatus?: string }[] })
        .qualifications;
    // Both instances know the customer, with no qualifications, and remember the record.
    expect(await qualificationsSeenBy(first.api)).toEqual([]);
    expect(await qualificationsSeenBy(secondApi)).toEqual([]);

    const created = await fetch(url(secondApi), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ qualification: 'Education', educationSegment: 'K12' }),
    });
    expect(created.status).toBe(201);
    // The writer's own memory follows its write.
    expect(await qualificationsSeenBy(secondApi)).toMatchObject([{ vettingStatus: 'InReview' }]);

    // The other instance sees it once its copy has aged out (1 s by default), not never.
    let seen: { vettingStatus?: string }[] = [];
    for (let attempt = 0; attempt < 50 && seen.length === 0; attempt++) {
      seen = await qualificationsSeenBy(first.api);
      if (seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(seen).toMatchObject([{ vettingStatus: 'InReview' }]);
  });
});
