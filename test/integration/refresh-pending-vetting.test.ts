import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

let env: TestGateway;
beforeAll(async () => {
  env = await startTestGateway({
    settings: {
      VETTING_REFRESH_CONCURRENCY: '16',
      VETTING_REFRESH_BUDGET_SECONDS: '60',
      PARTNER_CENTER_MAX_CONCURRENT_CALLS: '64',
    },
  });
});
afterAll(async () => {
  await env.close();
});
beforeEach(async () => {
  await env.simulator.clearFaults();
  await env.simulator.settings({ rateLimitPerSecond: null });
  // Each test starts from an empty work index: earlier tests' customers are settled here.
  await env.refresh();
  await env.events.clear();
});

const IN_REVIEW = {
  qualification: 'Education',
  vettingStatus: 'InReview',
  vettingCreateDate: '2026-11-20T10:00:00Z',
};

/** Customers pending in Partner Center and known to the gateway (read once, so indexed). */
async function pendingCustomers(count: number): Promise<string[]> {
  const ids = await env.simulator.createCustomers([IN_REVIEW], count);
  for (let i = 0; i < ids.length; i += 50) {
    await Promise.all(
      ids.slice(i, i + 50).map(async (id) => {
        const response = await fetch(`${env.api}/customers/${id}/qualifications`);
        expect(response.status).toBe(200);
      }),
    );
  }
  return ids;
}

async function decideAll(ids: readonly string[]): Promise<Map<string, string>> {
  const decisions = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 50) {
    await Promise.all(
      ids.slice(i, i + 50).map(async (id, j) => {
        const status = (i + j) % 3 === 0 ? 'Denied' : 'Approved';
        await env.simulator.decide(
          id,
          'Education',
          status,
          status === 'Denied' ? 'Not an Education Customer' : undefined,
        );
        decisions.set(id, status);
      }),
    );
  }
  return decisions;
}

/** The customers in the work index now. */
async function indexed(): Promise<string[]> {
  const ids: string[] = [];
  for await (const page of env.gateway.services.ledger.workIndex.list()) {
    ids.push(...page.map((item) => item.customerId));
  }
  return ids;
}

async function cachedStatus(id: string): Promise<unknown> {
  const body = (await (await fetch(`${env.api}/customers/${id}/qualifications`)).json()) as {
    qualifications: { vettingStatus?: string }[];
    source: string;
  };
  expect(body.source).toBe('cache');
  return body.qualifications[0]?.vettingStatus;
}

describe('refresh-pending-vetting', () => {
  it('brings 1,000 decided customers to their final state with one event and one history entry each', async () => {
    const ids = await pendingCustomers(1000);
    expect(await env.events.drain()).toEqual([]); // a first read witnesses no change
    const decisions = await decideAll(ids);
    await env.simulator.clearRequests();

    const report = await env.refresh();
    expect(report).toMatchObject({
      checked: 1000,
      changed: 1000,
      failed: 0,
      throttled: 0,
      stoppedBy: 'done',
    });
    // Each customer asked at most once in the run.
    const asked = (await env.simulator.requests()).map((r) => r.path);
    expect(new Set(asked).size).toBe(asked.length);
    expect(asked).toHaveLength(1000);

    const events = await env.events.drain();
    expect(events).toHaveLength(1000);
    const bySubject = new Map(events.map((e) => [e.subject, e]));
    expect(bySubject.size).toBe(1000);
    for (const [id, status] of decisions) {
      expect(bySubject.get(id)).toMatchObject({
        specversion: '1.0',
        type: 'com.partnercenter.qualification.vetting-status-changed',
        source: `/api/v1/customers/${id}/qualifications`,
        subject: id,
        datacontenttype: 'application/json',
        data: {
          customerId: id,
          qualification: 'Education',
          previousStatus: 'InReview',
          vettingStatus: status,
        },
      });
    }
    // One history entry per customer, all 1,000 of them (and the cache agrees).
    for (let i = 0; i < ids.length; i += 50) {
      await Promise.all(
        ids.slice(i, i + 50).map(async (id) => {
          expect(await cachedStatus(id)).toBe(decisions.get(id));
          const response = await fetch(`${env.api}/customers/${id}/qualifications/history`);
          const history = (await response.json()) as {
            events: { from: string | null; to: string; trigger: string }[];
          };
          expect(history.events).toEqual([
            expect.objectContaining({
              from: 'InReview',
              to: decisions.get(id),
              trigger: 'refresh',
            }),
          ]);
        }),
      );
    }
    // Settled customers leave the index: the next run has nothing to do.
    expect(await env.refresh()).toMatchObject({ indexed: 0, checked: 0 });
    // About 40 s on a quiet 2-core machine and twice that beside the rest of the suite: the
    // limit is for a run that hangs, not a measure of speed (bench/refresh.ts measures that).
  }, 300_000);

  it('honours a 429 burst mid-run: every worker pauses, the run ends in its budget, nothing is left', async () => {
    const ids = await pendingCustomers(120);
    await decideAll(ids);
    await env.simulator.clearRequests();
    // Faults are consumed in order: 40 normal answers, then a burst of eight 429s.
    await env.simulator.fault({ path: '/v1/customers/*', delayMs: 1, times: 40 });
    await env.simulator.fault({
      path: '/v1/customers/*',
      status: 429,
      retryAfterSeconds: 2,
      times: 8,
    });
    const first = await env.refresh();
    expect(first.throttled as number).toBeGreaterThan(0);
    expect(first.durationMs as number).toBeGreaterThanOrEqual(2_000);
    expect(first.durationMs as number).toBeLessThan(60_000);
    expect(first.deferred).toBe(first.throttled);

    const requests = await env.simulator.requests();
    const burstAt = Date.parse(requests[40]?.at ?? '');
    const duringPause = requests.filter((r) => {
      const at = Date.parse(r.at);
      return at > burstAt + 300 && at < burstAt + 1_900;
    });
    expect(duringPause).toEqual([]);

    const second = await env.refresh();
    expect(second).toMatchObject({ throttled: 0, failed: 0 });
    expect(await env.refresh()).toMatchObject({ indexed: 0 });
    for (const id of ids) expect(await cachedStatus(id)).not.toBe('InReview');
    expect((await env.events.drain()).length).toBe(120);
  }, 120_000);

  it('stops at its budget and starts the next run with the customers it did not reach', async () => {
    const budgeted = await startTestGateway({
      settings: { VETTING_REFRESH_MAX_CALLS: '10', VETTING_REFRESH_CONCURRENCY: '2' },
    });
    try {
      const ids = await budgeted.simulator.createCustomers([IN_REVIEW], 25);
      for (const id of ids) await fetch(`${budgeted.api}/customers/${id}/qualifications`);
      await budgeted.simulator.clearRequests();
      const first = await budgeted.refresh();
      expect(first).toMatchObject({
        indexed: 25,
        checked: 10,
        stoppedBy: 'call-cap',
        deferred: 15,
      });
      const firstAsked = new Set((await budgeted.simulator.requests()).map((r) => r.path));
      await budgeted.simulator.clearRequests();
      await budgeted.refresh();
      const secondAsked = new Set((await budgeted.simulator.requests()).map((r) => r.path));
      expect([...secondAsked].filter((p) => firstAsked.has(p))).toEqual([]);
      await budgeted.simulator.clearRequests();
      await budgeted.refresh();
      const thirdAsked = new Set((await budgeted.simulator.requests()).map((r) => r.path));
      // 25 customers, 10 a run: by the third run the first run's customers come round again.
      expect([...thirdAsked].filter((p) => firstAsked.has(p)).length).toBe(5);
    } finally {
      await budgeted.close();
    }
  }, 60_000);

  it('a submission racing the timer loses nothing', async () => {
    const ids = await pendingCustomers(20);
    await decideAll(ids);
    const [report, ...answers] = await Promise.all([
      env.refresh(),
      ...ids.map((id) =>
        fetch(`${env.api}/customers/${id}/qualifications`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ qualification: 'StateOwnedEntity' }),
        }),
      ),
    ]);
    expect(report).toMatchObject({ failed: 0 });
    expect(answers.map((a) => a.status)).toEqual(ids.map(() => 201));
    await env.refresh(); // whatever the race deferred
    for (const id of ids) {
      const body = (await (await fetch(`${env.api}/customers/${id}/qualifications`)).json()) as {
        qualifications: { qualification: string; vettingStatus?: string }[];
      };
      const names = body.qualifications.map((q) => q.qualification).sort();
      expect(names).toEqual(['Education', 'StateOwnedEntity']);
      expect(
        body.qualifications.find((q) => q.qualification === 'Education')?.vettingStatus,
      ).not.toBe('InReview');
    }
    const events = await env.events.drain();
    expect(events.filter((e) => e.data.qualification === 'Education')).toHaveLength(20);
  }, 60_000);

  it('settles a submission whose answer was lost, from the timer', async () => {
    const id = await env.simulator.createCustomer();
    await fetch(`${env.api}/customers/${id}/qualifications`);
    await env.simulator.fault({ method: 'POST', status: 0, phase: 'after', times: 10 });
    const post = await fetch(`${env.api}/customers/${id}/qualifications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ qualification: 'Education', educationSegment: 'K12' }),
    });
    expect(post.status).toBe(504);
    await env.simulator.clearFaults();
    await env.refresh();
    const history = (await (
      await fetch(`${env.api}/customers/${id}/qualifications/history`)
    ).json()) as {
      events: { from: string | null; to: string; trigger: string }[];
    };
    expect(history.events).toEqual([
      expect.objectContaining({ from: null, to: 'InReview', trigger: 'submit' }),
    ]);
    expect(await env.events.drain()).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({
          previousStatus: null,
          vettingStatus: 'InReview',
        }) as unknown,
      }),
    ]);
  }, 30_000);
});

describe('an oversized answer from Partner Center', () => {
  it('is recorded trimmed: a 40,000-character reason still gives its change, its event and the pending list', async () => {
    const [id = ''] = await pendingCustomers(1);
    const reason = `Not an Academic Domain ${'x'.repeat(40_000)}`;
    await env.simulator.decide(id, 'Education', 'Denied', reason);

    const report = await env.refresh();
    expect(report).toMatchObject({ failed: 0, changed: 1 });

    const history = (await (
      await fetch(`${env.api}/customers/${id}/qualifications/history`)
    ).json()) as { events: { from: string; to: string; vettingReason?: string }[] };
    expect(history.events).toMatchObject([{ from: 'InReview', to: 'Denied' }]);
    const kept = history.events[0]?.vettingReason ?? '';
    expect(kept.startsWith('Not an Academic Domain xxx')).toBe(true);
    expect(kept.endsWith('…[trimmed]')).toBe(true);
    expect(kept.length).toBeLessThanOrEqual(1_000);

    const pending = (await (
      await fetch(`${env.api}/qualifications?vettingStatus=InReview&pageSize=200`)
    ).json()) as { items: { customerId: string }[] };
    expect(pending.items.map((item) => item.customerId)).not.toContain(id);
    expect(await cachedStatus(id)).toBe('Denied');
    const events = (await env.events.drain()) as {
      data: { customerId: string; vettingStatus: string };
    }[];
    expect(events.map((e) => [e.data.customerId, e.data.vettingStatus])).toEqual([[id, 'Denied']]);

    // Nothing is left for the timer.
    expect(await indexed()).not.toContain(id);
  });
});

describe('a customer Partner Center refuses for good', () => {
  it.each([
    ['404, tenant not found', 404, { code: 60003, description: 'Tenant not found' }],
    ['403, no commerce relationship', 403, { code: 20002, description: 'No relationship' }],
  ])('stops being polled after three runs (%s)', async (_, status, body) => {
    const [id = ''] = await pendingCustomers(1);
    await env.simulator.fault({
      method: 'GET',
      path: `/v1/customers/${id}/qualifications`,
      status,
      body,
      times: 1000,
    });
    const calls = async () =>
      (await env.simulator.requests()).filter((r) => r.path.includes(id)).length;
    await env.simulator.clearRequests();
    for (let run = 0; run < 3; run++) await env.refresh();
    expect(await calls()).toBe(3);
    expect(await indexed()).not.toContain(id);
    await env.refresh();
    expect(await calls()).toBe(3);
  });

  it("keeps a customer whose refusals may be the gateway's own credentials (403 without 20002)", async () => {
    const [id = ''] = await pendingCustomers(1);
    await env.simulator.fault({
      method: 'GET',
      path: `/v1/customers/${id}/qualifications`,
      status: 403,
      body: { code: 403, description: 'The supplied role does not have the rights' },
      times: 1000,
    });
    for (let run = 0; run < 4; run++) await env.refresh();
    expect(await indexed()).toContain(id);
    // Settled, so that it leaves the index for the tests after this one.
    await env.simulator.clearFaults();
    await env.simulator.decide(id, 'Education', 'Approved');
    await env.refresh();
    expect(await indexed()).not.toContain(id);
  });
});
