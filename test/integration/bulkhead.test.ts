import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

// A slow Partner Center and a burst of requests. The gateway keeps at most K calls
// in flight and answers the rest at once with 503 + Retry-After instead of queueing them.

const MAX_CONCURRENT = 8;
// Long enough to tell "refused at once" from "queued behind a slow call" on a busy 2-core
// machine: there, merely serving a burst of 200 requests takes the local host about a second,
// and over three seconds while the rest of the suite runs beside it (seen failing at 3 s).
const UPSTREAM_DELAY_MS = 6000;
const REQUESTS = 200;

let env: TestGateway;
beforeAll(async () => {
  env = await startTestGateway({
    settings: {
      PARTNER_CENTER_MAX_CONCURRENT_CALLS: String(MAX_CONCURRENT),
      // Room for the slow answers: an attempt timeout would retry and count as a failure.
      PARTNER_CENTER_TIMEOUT_MS: '20000',
    },
  });
});
afterAll(async () => {
  await env.close();
});

interface Outcome {
  readonly status: number;
  readonly ms: number;
  readonly retryAfter: string | null;
  readonly contentType: string | null;
}

async function timedGet(url: string): Promise<Outcome> {
  const started = performance.now();
  const response = await fetch(url);
  await response.arrayBuffer();
  return {
    status: response.status,
    ms: performance.now() - started,
    retryAfter: response.headers.get('retry-after'),
    contentType: response.headers.get('content-type'),
  };
}

/** The most requests that arrived within any window shorter than `windowMs`. */
function mostArrivalsWithin(arrivals: readonly number[], windowMs: number): number {
  const sorted = [...arrivals].sort((a, b) => a - b);
  let most = 0;
  let first = 0;
  sorted.forEach((at, last) => {
    while (at - (sorted[first] ?? at) >= windowMs) first++;
    most = Math.max(most, last - first + 1);
  });
  return most;
}

describe('bulkhead over real HTTP', () => {
  it(`lets at most ${MAX_CONCURRENT} of ${REQUESTS} requests reach a slow Partner Center`, async () => {
    const customers = await env.simulator.createCustomers(
      [{ qualification: 'Education', vettingStatus: 'Approved' }],
      REQUESTS,
    );
    await env.simulator.clearRequests();
    await env.simulator.fault({ delayMs: UPSTREAM_DELAY_MS, times: 1000 });

    let answered = 0;
    const burst = Promise.all(
      customers.map(async (id) => {
        const outcome = await timedGet(`${env.api}/customers/${id}/qualifications`);
        answered++;
        return outcome;
      }),
    );
    // While the slow calls are still out, the refusals have not made the gateway unhealthy:
    // saturation is not an upstream failure and does not open the circuit breaker.
    await expect
      .poll(() => answered, { timeout: UPSTREAM_DELAY_MS, interval: 20 })
      .toBeGreaterThanOrEqual(REQUESTS - MAX_CONCURRENT);
    const healthDuringBurst = await fetch(`${env.api}/health`);
    expect(answered).toBeLessThan(REQUESTS);
    expect(healthDuringBurst.status).toBe(200);

    const outcomes = await burst;
    const upstream = (await env.simulator.requests()).filter((r) =>
      r.path.endsWith('/qualifications'),
    );

    const ok = outcomes.filter((o) => o.status === 200);
    const refused = outcomes.filter((o) => o.status === 503);
    // Every request ends in a real answer or a fast refusal: nothing else.
    expect(ok.length + refused.length).toBe(REQUESTS);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(refused.length).toBeGreaterThanOrEqual(REQUESTS - 4 * MAX_CONCURRENT);
    for (const o of refused) {
      expect(o.retryAfter).toMatch(/^[1-9]\d*$/);
      expect(o.contentType).toMatch(/^application\/problem\+json/);
    }
    // Refused at once, not queued behind the slow calls: every refusal came back before the
    // first slow answer did. (An order, not a time bound: a loaded machine may take seconds to
    // serve a burst of 200, but a queued request could only be answered after a slow call.)
    const slowest503 = Math.max(...refused.map((o) => o.ms));
    const fastest200 = Math.min(...ok.map((o) => o.ms));
    expect(fastest200).toBeGreaterThanOrEqual(UPSTREAM_DELAY_MS - 50);
    expect(slowest503).toBeLessThan(fastest200);

    // Each answered request made exactly one upstream call (a GET retries only on 5xx and
    // network errors), and no refused one made any.
    expect(upstream).toHaveLength(ok.length);
    // Every upstream call takes at least the delay, so calls that arrived within one delay of
    // each other were all in flight at once: never more than K.
    const arrivals = upstream.map((r) => Date.parse(r.at));
    expect(mostArrivalsWithin(arrivals, UPSTREAM_DELAY_MS)).toBeLessThanOrEqual(MAX_CONCURRENT);
  });

  it('stays healthy and serves again once the slow calls are over', async () => {
    await env.simulator.clearFaults();
    const health = await fetch(`${env.api}/health`);
    // Refusals are not failures: the circuit breaker stayed closed.
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });

    const [customerId] = await env.simulator.createCustomers([], 1);
    const again = await fetch(`${env.api}/customers/${customerId ?? ''}/qualifications`);
    expect(again.status).toBe(200);
  });
});
