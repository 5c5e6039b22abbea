import { describe, expect, it } from 'vitest';
import { SEEDED_CUSTOMERS } from '../../dev/partner-center-simulator/index.js';
import { TokenBucket } from '../../dev/partner-center-simulator/rate-limit.js';
import { json, qualificationsPath, useSimulator } from './sim-client.js';

const READ = qualificationsPath(SEEDED_CUSTOMERS.educationApproved);

const sim = useSimulator({ rateLimitPerSecond: 2 });

describe('rateLimitPerSecond', () => {
  it('answers 429 with Retry-After and the throttling body once the bucket is empty', async () => {
    expect((await sim.get(READ)).status).toBe(200);
    expect((await sim.get(READ)).status).toBe(200);
    const res = await sim.get(READ, { headers: { 'MS-RequestId': 'throttled-1' } });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.headers.get('ms-requestid')).toBe('throttled-1');
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await json(res)).toStrictEqual({
      statusCode: 429,
      message: 'Rate limit is exceeded. Try again in 1 seconds.',
    });
    expect(
      (await sim.requests()).map((entry) => entry.headers['ms-requestid'] ?? null),
    ).toStrictEqual([null, null, 'throttled-1']);
  });

  it('throttles before auth, so a POST that is throttled has no effect', async () => {
    await sim.get(READ);
    await sim.get(READ);
    const res = await sim.post(qualificationsPath(SEEDED_CUSTOMERS.noQualifications), {
      qualification: 'StateOwnedEntity',
    });
    expect(res.status).toBe(429);
    expect((await sim.control('GET', '/customers')).body).toContainEqual({
      customerId: SEEDED_CUSTOMERS.noQualifications,
      qualifications: [],
    });
  });

  it('does not throttle the control API', async () => {
    for (let i = 0; i < 5; i++) expect((await sim.control('GET', '/settings')).status).toBe(200);
  });

  it('computes Retry-After from the rate and can be changed or removed at run time', async () => {
    await sim.control('PUT', '/settings', { rateLimitPerSecond: 0.25 });
    expect((await sim.get(READ)).status).toBe(200);
    const res = await sim.get(READ);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('4');
    expect(await json(res)).toMatchObject({
      message: 'Rate limit is exceeded. Try again in 4 seconds.',
    });

    await sim.control('PUT', '/settings', { rateLimitPerSecond: null });
    for (let i = 0; i < 20; i++) expect((await sim.get(READ)).status).toBe(200);
  });
});

describe('TokenBucket', () => {
  it('refills at the rate, caps at the capacity and rounds Retry-After up', () => {
    let t = 0;
    const bucket = new TokenBucket(10, () => t);
    for (let i = 0; i < 10; i++) expect(bucket.take()).toBeUndefined();
    expect(bucket.take()).toBe(1);
    t = 100; // one token back
    expect(bucket.take()).toBeUndefined();
    expect(bucket.take()).toBe(1);
    t = 60_000; // a long pause refills only up to the capacity
    for (let i = 0; i < 10; i++) expect(bucket.take()).toBeUndefined();
    expect(bucket.take()).toBe(1);

    const slow = new TokenBucket(0.1, () => t);
    expect(slow.take()).toBeUndefined();
    expect(slow.take()).toBe(10);
    t += 5_000;
    expect(slow.take()).toBe(5);

    const uneven = new TokenBucket(0.3, () => t);
    expect(uneven.take()).toBeUndefined();
    expect(uneven.take()).toBe(4); // 3.33 s until a whole token: rounded up, never down
  });
});
