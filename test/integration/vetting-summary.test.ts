import { describe, expect, it } from 'vitest';
import { useTestGateway } from '../support/test-gateway.js';

/**
 * GET /qualifications/summary over real HTTP: the gateway's own tables (the by-status view and
 * the decision log), filled by reads and by the timer seeing decisions in the simulator.
 */
const env = useTestGateway();

interface Summary {
  counts: { qualification: string; vettingStatus: string; count: number }[];
  pending: { qualification: string; count: number; oldestSeconds: number | null }[];
  decisions: {
    days: number;
    times: { qualification: string; outcome: string; count: number; p50Seconds: number }[];
    denialReasons: { reason: string; count: number }[];
  };
  truncated: boolean;
}

async function summary(query = ''): Promise<{ status: number; body: Summary }> {
  const response = await fetch(`${env.api}/qualifications/summary${query}`);
  return { status: response.status, body: (await response.json()) as Summary };
}

const DAY_MS = 24 * 3600 * 1000;

describe('GET /qualifications/summary', () => {
  it('counts, ages and times vettings from what the gateway recorded, without calling Partner Center', async () => {
    const inReview = (daysAgo: number) => ({
      qualification: 'Education',
      vettingStatus: 'InReview',
      vettingCreateDate: new Date(Date.now() - daysAgo * DAY_MS).toISOString(),
    });
    const [approved, denied, pending] = [
      await env.simulator.createCustomer([inReview(3)]),
      await env.simulator.createCustomer([inReview(5)]),
      await env.simulator.createCustomer([inReview(10)]),
    ];
    for (const id of [approved, denied, pending]) {
      expect((await fetch(`${env.api}/customers/${id}/qualifications`)).status).toBe(200);
    }
    await env.simulator.decide(approved, 'Education', 'Approved');
    await env.simulator.decide(denied, 'Education', 'Denied', 'Not an education institution');
    await env.refresh();
    await env.simulator.clearRequests();

    const { status, body } = await summary();
    expect(status).toBe(200);
    expect(await env.simulator.requests()).toEqual([]);
    expect(body.counts).toEqual(
      expect.arrayContaining([
        { qualification: 'Education', vettingStatus: 'Approved', count: 1 },
        { qualification: 'Education', vettingStatus: 'Denied', count: 1 },
        { qualification: 'Education', vettingStatus: 'InReview', count: 1 },
      ]),
    );
    const education = body.pending.find((p) => p.qualification === 'Education');
    expect(education?.count).toBe(1);
    expect(education?.oldestSeconds).toBeGreaterThanOrEqual(10 * 24 * 3600 - 60);
    expect(body.decisions.days).toBe(90);
    const times = Object.fromEntries(body.decisions.times.map((t) => [t.outcome, t]));
    expect(times.Approved).toMatchObject({ qualification: 'Education', count: 1 });
    expect(times.Approved?.p50Seconds).toBeGreaterThanOrEqual(3 * 24 * 3600 - 60);
    expect(times.Approved?.p50Seconds).toBeLessThan(4 * 24 * 3600);
    expect(times.Denied?.p50Seconds).toBeGreaterThanOrEqual(5 * 24 * 3600 - 60);
    expect(body.decisions.denialReasons).toEqual([
      { reason: 'Not an education institution', count: 1 },
    ]);
    expect(body.truncated).toBe(false);
  });

  it('refuses a window that is not 1 to 365 days, and unknown parameters', async () => {
    expect((await summary('?days=0')).status).toBe(400);
    expect((await summary('?days=366')).status).toBe(400);
    expect((await summary('?days=abc')).status).toBe(400);
    expect((await summary('?since=2020')).status).toBe(400);
    expect((await summary('?days=7')).body.decisions.days).toBe(7);
  });

  it('is in the OpenAPI document with the Read role', async () => {
    const document = (await (await fetch(`${env.api}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { 'x-app-role'?: string; responses: object }>>;
    };
    const operation = document.paths['/qualifications/summary']?.get;
    expect(operation).toBeDefined();
    expect(JSON.stringify(operation)).toContain('VettingSummary');
    expect(operation?.['x-app-role']).toBe('Qualifications.Read');
  });
});
