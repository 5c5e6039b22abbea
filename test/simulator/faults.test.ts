import { describe, expect, it } from 'vitest';
import { SEEDED_CUSTOMERS } from '../../dev/partner-center-simulator/index.js';
import {
  SimClient,
  apiFault,
  containing,
  json,
  qualificationsPath,
  useSimulator,
} from './sim-client.js';

const C = SEEDED_CUSTOMERS;
const READ = qualificationsPath(C.educationApproved);
const EDU = { qualification: 'Education', educationSegment: 'K12' };

const sim = useSimulator();

async function fault(spec: Record<string, unknown>): Promise<void> {
  const res = await sim.control('POST', '/faults', spec);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

describe('status faults', () => {
  it('answers the next `times` matching requests, then behaves normally', async () => {
    await fault({ path: READ, status: 503, times: 2 });
    for (let i = 0; i < 2; i++) {
      const res = await sim.get(READ);
      expect(res.status).toBe(503);
      expect(res.headers.get('ms-requestid')).not.toBeNull();
      expect(await json(res)).toStrictEqual(apiFault(503, 'Service Unavailable'));
    }
    expect((await sim.get(READ)).status).toBe(200);
    expect(await sim.requests()).toHaveLength(3);
  });

  it('matches the method case-insensitively and leaves other methods alone', async () => {
    await fault({ method: 'post', status: 500 });
    expect((await sim.get(READ)).status).toBe(200);
    expect((await sim.post(qualificationsPath(C.noQualifications), EDU)).status).toBe(500);
    expect(await sim.qualificationsOf(C.noQualifications)).toStrictEqual([]);
  });

  it('matches a path prefix ending in *', async () => {
    await fault({ path: '/v1/customers/1111*', status: 502, times: 5 });
    expect((await sim.get(qualificationsPath(C.educationApproved))).status).toBe(200);
    expect((await sim.get(qualificationsPath(C.noQualifications))).status).toBe(502);
    expect((await sim.control<unknown[]>('GET', '/faults')).body).toMatchObject([{ remaining: 4 }]);
  });

  it('is consumed in creation order', async () => {
    await fault({ status: 500 });
    await fault({ status: 502 });
    expect((await sim.get(READ)).status).toBe(500);
    expect((await sim.get(READ)).status).toBe(502);
    expect((await sim.get(READ)).status).toBe(200);
  });

  it('answers 429 with the throttling body and Retry-After', async () => {
    await fault({ status: 429, retryAfterSeconds: 7 });
    await fault({ status: 429 });
    const first = await sim.get(READ);
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('7');
    expect(await json(first)).toStrictEqual({
      statusCode: 429,
      message: 'Rate limit is exceeded. Try again in 7 seconds.',
    });
    expect((await sim.get(READ)).headers.get('retry-after')).toBe('1');
  });

  it('sends a given body, a string one verbatim, and Retry-After on any status', async () => {
    await fault({ status: 500, body: { oops: true } });
    await fault({ status: 502, body: '<html>Bad Gateway</html>', retryAfterSeconds: 3 });
    expect(await json(await sim.get(READ))).toStrictEqual({ oops: true });
    const html = await sim.get(READ);
    expect(html.status).toBe(502);
    expect(html.headers.get('retry-after')).toBe('3');
    expect(await html.text()).toBe('<html>Bad Gateway</html>');
  });

  it('sends the given Content-Type, and an empty body for ""', async () => {
    await fault({ status: 502, body: '<html>Bad Gateway</html>', contentType: 'text/html' });
    await fault({ status: 400, body: '' });
    const html = await sim.get(READ);
    expect(html.headers.get('content-type')).toBe('text/html');
    expect(await html.text()).toBe('<html>Bad Gateway</html>');
    const empty = await sim.get(READ);
    expect(empty.status).toBe(400);
    expect(await empty.text()).toBe('');
  });

  it('applies only to /v1, and DELETE clears the queue', async () => {
    await fault({ status: 500, times: 10 });
    expect((await sim.control('GET', '/customers')).status).toBe(200);
    expect((await sim.control('DELETE', '/faults')).status).toBe(204);
    expect((await sim.get(READ)).status).toBe(200);
  });
});

describe('connection faults', () => {
  it('delays a normal answer with delayMs alone', async () => {
    await fault({ delayMs: 120 });
    const started = performance.now();
    const res = await sim.get(READ);
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('hangs with status 0 until the client gives up', async () => {
    await fault({ status: 0 });
    const started = performance.now();
    await expect(sim.get(READ, { signal: AbortSignal.timeout(100) })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
    expect((await sim.get(READ)).status).toBe(200);
  });

  it('drops the connection with reset', async () => {
    await fault({ reset: true });
    await expect(sim.get(READ)).rejects.toThrow(TypeError);
    expect((await sim.get(READ)).status).toBe(200);
  });

  it('close() ends a hanging request instead of waiting for it', async () => {
    const other = await SimClient.start();
    await other.control('POST', '/faults', { status: 0 });
    const hanging = other.get(READ).then(
      () => 'answered',
      () => 'rejected',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    await other.close();
    expect(await hanging).toBe('rejected');
  });
});

describe('phase "after": the effect happens, the answer is lost', () => {
  it('reset after a POST: the create happened and a replay returns 201', async () => {
    await fault({ method: 'POST', reset: true, phase: 'after' });
    const headers = { 'MS-RequestId': 'lost-1' };
    const path = qualificationsPath(C.noQualifications);
    await expect(sim.post(path, EDU, { headers })).rejects.toThrow(TypeError);
    const stored = await sim.qualificationsOf(C.noQualifications);
    expect(stored).toMatchObject([{ qualification: 'Education', vettingStatus: 'InReview' }]);

    const replay = await sim.post(path, EDU, { headers });
    expect(replay.status).toBe(201);
    expect(await json(replay)).toStrictEqual((stored as unknown[])[0]);
    expect(await sim.qualificationsOf(C.noQualifications)).toStrictEqual(stored);
  });

  it('a replaced status after a POST still leaves the effect', async () => {
    await fault({ method: 'POST', status: 504, phase: 'after' });
    const res = await sim.post(qualificationsPath(C.noQualifications), {
      qualification: 'StateOwnedEntity',
    });
    expect(res.status).toBe(504);
    expect(await sim.qualificationsOf(C.noQualifications)).toStrictEqual([
      { qualification: 'StateOwnedEntity' },
    ]);
  });

  it('a hang after a POST leaves the effect and times the client out', async () => {
    await fault({ method: 'POST', status: 0, phase: 'after' });
    const path = qualificationsPath(C.noQualifications);
    await expect(
      sim.post(path, { qualification: 'StateOwnedEntity' }, { signal: AbortSignal.timeout(100) }),
    ).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(await sim.qualificationsOf(C.noQualifications)).toStrictEqual([
      { qualification: 'StateOwnedEntity' },
    ]);
  });

  it('a delay after processing still delivers the normal answer', async () => {
    await fault({ delayMs: 100, phase: 'after' });
    const started = performance.now();
    const res = await sim.post(qualificationsPath(C.noQualifications), {
      qualification: 'StateOwnedEntity',
    });
    expect(res.status).toBe(201);
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
  });
});

describe('POST /_simulator/faults validation', () => {
  it.each([
    [{}, 'A fault needs at least one of status, delayMs or reset.'],
    [{ status: 700 }, null],
    [
      { status: 500, reset: true },
      'A fault cannot both answer with a status and reset the connection.',
    ],
    [{ status: 500, times: 0 }, null],
    [{ reset: false }, null],
    [{ delayMs: -1 }, null],
    [{ status: 500, phase: 'later' }, null],
    [{ status: 500, path: 'v1/no-slash' }, 'path must start with /'],
    [{ status: 500, colour: 'red' }, null],
  ])('rejects %j with 400', async (spec, message) => {
    const res = await sim.control<{ message: string; issues: { message: string }[] }>(
      'POST',
      '/faults',
      spec,
    );
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('Invalid fault.');
    if (message !== null) expect(res.body.issues.map((issue) => issue.message)).toContain(message);
    expect((await sim.control('GET', '/faults')).body).toStrictEqual([]);
  });

  it('rejects a body that is not JSON', async () => {
    const res = await sim.control('POST', '/faults', '{status:');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      message: containing('The body is not valid JSON'),
    });
  });

  it('answers 201 with the stored fault and its defaults', async () => {
    const res = await sim.control('POST', '/faults', { status: 503, path: READ });
    expect(res).toMatchObject({
      status: 201,
      body: {
        id: expect.any(Number) as unknown,
        status: 503,
        path: READ,
        times: 1,
        remaining: 1,
        phase: 'before',
      },
    });
  });
});
