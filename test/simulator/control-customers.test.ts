import { describe, expect, it } from 'vitest';
import { SEEDED_CUSTOMERS } from '../../dev/partner-center-simulator/index.js';
import { containing, qualificationsPath, useSimulator } from './sim-client.js';

const NOW = new Date('2026-11-25T10:00:00.000Z');
const C = SEEDED_CUSTOMERS;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface CustomerEntry {
  customerId: string;
  qualifications: Record<string, string>[];
  commerceRelationship?: false;
}

const sim = useSimulator({ now: () => NOW });

describe('GET /_simulator/customers', () => {
  it('lists every seeded customer with qualifications as the GET returns them', async () => {
    const { status, body } = await sim.control<CustomerEntry[]>('GET', '/customers');
    expect(status).toBe(200);
    expect(body.map((entry) => entry.customerId)).toStrictEqual(Object.values(C));
    expect(body).toContainEqual({ customerId: C.noQualifications, qualifications: [] });
    expect(body).toContainEqual({
      customerId: C.stateOwnedEntity,
      qualifications: [{ qualification: 'StateOwnedEntity' }],
    });
    expect(body).toContainEqual({
      customerId: C.noCommerceRelationship,
      qualifications: [],
      commerceRelationship: false,
    });
    for (const entry of body.filter((e) => e.commerceRelationship === undefined)) {
      expect(entry.qualifications).toStrictEqual(await sim.qualificationsOf(entry.customerId));
    }
  });
});

describe('POST /_simulator/customers', () => {
  it('creates a customer with a generated id', async () => {
    const res = await sim.control<{ customerId: string }>('POST', '/customers', {});
    expect(res.status).toBe(201);
    expect(Object.keys(res.body)).toStrictEqual(['customerId']);
    expect(res.body.customerId).toMatch(GUID);
    expect(await sim.qualificationsOf(res.body.customerId)).toStrictEqual([]);
  });

  it('lower-cases the id and keeps seeded data as given, unknown statuses included', async () => {
    const qualifications = [
      {
        qualification: 'education',
        vettingStatus: 'UnderReview',
        vettingCreateDate: '2021-05-06T19:59:56.6832021+00:00',
      },
      { qualification: 'StateOwnedEntity' },
    ];
    const res = await sim.control('POST', '/customers', {
      customerId: 'ABCDEFAB-0000-4000-8000-000000000001',
      qualifications,
    });
    expect(res).toMatchObject({
      status: 201,
      body: { customerId: 'abcdefab-0000-4000-8000-000000000001' },
    });
    expect(await sim.qualificationsOf('abcdefab-0000-4000-8000-000000000001')).toStrictEqual([
      { ...qualifications[0], qualification: 'Education' },
      { qualification: 'StateOwnedEntity' },
    ]);
  });

  it('accepts the typo vettingCreatedDate and answers with the configured key', async () => {
    const id = 'abcdefab-0000-4000-8000-000000000002';
    await sim.control('POST', '/customers', {
      customerId: id,
      qualifications: [
        {
          qualification: 'Education',
          vettingStatus: 'approved',
          vettingCreatedDate: '2020-12-04T20:54:24Z',
        },
      ],
    });
    expect(await sim.qualificationsOf(id)).toStrictEqual([
      {
        qualification: 'Education',
        vettingStatus: 'Approved',
        vettingCreateDate: '2020-12-04T20:54:24Z',
      },
    ]);
  });

  it('seeds a customer without a commerce relationship', async () => {
    const id = 'abcdefab-0000-4000-8000-000000000003';
    await sim.control('POST', '/customers', { customerId: id, commerceRelationship: false });
    expect((await sim.get(qualificationsPath(id))).status).toBe(403);
  });

  it('answers 409 for an existing id', async () => {
    const res = await sim.control('POST', '/customers', {
      customerId: C.educationApproved.toUpperCase(),
    });
    expect(res).toStrictEqual({
      status: 409,
      headers: res.headers,
      body: { message: `Customer ${C.educationApproved} already exists.` },
    });
  });

  it.each([
    [{ customerId: 'nope' }, 'customerId'],
    [{ customerId: 42 }, 'customerId'],
    [{ colour: 'red' }, ''],
    [{ qualifications: 'Education' }, 'qualifications'],
    [{ qualifications: [{}] }, 'qualifications.0.qualification'],
    [
      { qualifications: [{ qualification: 'Education', vettingCreateDate: 'yesterday' }] },
      'qualifications.0.vettingCreateDate',
    ],
    [
      { qualifications: [{ qualification: 'Education' }, { qualification: 'EDUCATION' }] },
      'qualifications.1.qualification',
    ],
    [null, ''],
    [[], ''],
  ])('answers 400 for %j, naming %s', async (body, path) => {
    const res = await sim.control<{ message: string; issues: { path: string }[] }>(
      'POST',
      '/customers',
      body,
    );
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^Invalid customers?\.$/);
    expect(res.body.issues.map((issue) => issue.path)).toContain(path);
  });

  it('answers 400 with a message for a body that is not JSON', async () => {
    const res = await sim.control('POST', '/customers', '{');
    expect(res).toMatchObject({
      status: 400,
      body: { message: containing('not valid JSON') },
    });
  });

  it('creates 1,000 customers one by one quickly', async () => {
    const started = performance.now();
    const ids: string[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const created = await Promise.all(
        Array.from({ length: 100 }, () =>
          sim.control<{ customerId: string }>('POST', '/customers', {}),
        ),
      );
      for (const res of created) {
        expect(res.status).toBe(201);
        ids.push(res.body.customerId);
      }
    }
    expect(new Set(ids).size).toBe(1000);
    expect(performance.now() - started).toBeLessThan(5000);
    expect((await sim.control<unknown[]>('GET', '/customers')).body).toHaveLength(1008);
  });

  it('bulk-creates from an array, all or none', async () => {
    const seeds = Array.from({ length: 2000 }, (_, i) => ({
      customerId: `bbbbbbbb-0000-4000-8000-${String(i).padStart(12, '0')}`,
      qualifications: [
        {
          qualification: 'Education',
          vettingStatus: 'InReview',
          vettingCreateDate: '2026-11-25T09:00:00Z',
        },
      ],
    }));
    const res = await sim.control<{ customerId: string }[]>('POST', '/customers', [...seeds, {}]);
    expect(res.status).toBe(201);
    expect(res.body).toHaveLength(2001);
    expect(res.body[0]).toStrictEqual({ customerId: seeds[0]?.customerId });
    expect(res.body[2000]?.customerId).toMatch(GUID);
    expect(await sim.qualificationsOf(seeds[1999]?.customerId ?? '')).toStrictEqual(
      seeds[1999]?.qualifications,
    );

    const clash = await sim.control('POST', '/customers', [
      { customerId: 'cccccccc-0000-4000-8000-000000000001' },
      { customerId: 'cccccccc-0000-4000-8000-000000000001' },
    ]);
    expect(clash.status).toBe(409);
    expect((await sim.get(qualificationsPath('cccccccc-0000-4000-8000-000000000001'))).status).toBe(
      404,
    );
  });
});
