import { describe, expect, it } from 'vitest';
import {
  SEEDED_CUSTOMERS,
  SEEDED_VALIDATION_CODES,
  type ValidationCode,
} from '../../dev/partner-center-simulator/index.js';
import { apiFault, containing, json, qualificationsPath, useSimulator } from './sim-client.js';

const NOW = new Date('2026-11-25T10:00:00.000Z');
const C = SEEDED_CUSTOMERS;
const [MANY_CODE, SINGLE_USE_CODE] = SEEDED_VALIDATION_CODES.map((code) => code.validationId);
const IN_REVIEW_NOW = { vettingStatus: 'InReview', vettingCreateDate: '2026-11-25T10:00:00Z' };

const sim = useSimulator({ now: () => NOW });

async function create(customerId: string, body: unknown, query = '') {
  const res = await sim.post(`${qualificationsPath(customerId)}${query}`, body);
  return { status: res.status, body: await json(res) };
}

async function remainingCreates(validationId: string | undefined): Promise<number | null> {
  const codes = (await json(await sim.get('/v1/customers/all/validations'))) as ValidationCode[];
  const code = codes.find((item) => item.validationId === validationId);
  if (code === undefined) throw new Error(`no code ${String(validationId)}`);
  return code.remainingCreates;
}

const denyEducation = (customerId: string) =>
  sim.control('POST', `/customers/${customerId}/qualifications/Education/decision`, {
    vettingStatus: 'Denied',
  });

describe('Education', () => {
  it('creates an InReview qualification and answers 201 with it', async () => {
    const body = {
      qualification: 'Education',
      educationSegment: 'K12',
      website: 'https://school.example',
    };
    expect(await create(C.noQualifications, body)).toStrictEqual({
      status: 201,
      body: { qualification: 'Education', ...IN_REVIEW_NOW },
    });
    expect(await sim.qualificationsOf(C.noQualifications)).toStrictEqual([
      { qualification: 'Education', ...IN_REVIEW_NOW },
    ]);
  });

  it('reads property names and enum values case-insensitively and answers canonically', async () => {
    const result = await create(C.noQualifications, {
      QUALIFICATION: 'education',
      EducationSegment: 'higheREDUCATION',
    });
    expect(result).toStrictEqual({
      status: 201,
      body: { qualification: 'Education', ...IN_REVIEW_NOW },
    });
  });

  it('accepts the SDK enum integer for the qualification', async () => {
    const result = await create(C.noQualifications, { qualification: 1, educationSegment: 'K12' });
    expect(result.status).toBe(201);
  });

  it.each([
    [{ qualification: 'Education' }, 'The educationSegment property is required'],
    [
      { qualification: 'Education', educationSegment: '' },
      'The educationSegment property is required',
    ],
    [
      { qualification: 'Education', educationSegment: 'Kindergarten' },
      '"Kindergarten" is not a valid educationSegment',
    ],
    [{ qualification: 'Education', educationSegment: 3 }, '3 is not a valid educationSegment'],
    [
      { qualification: 'Education', educationSegment: 'K12', website: 42 },
      'The website property must be a string.',
    ],
  ])('rejects %j with 400 / 3000', async (body, text) => {
    expect(await create(C.noQualifications, body)).toStrictEqual({
      status: 400,
      body: apiFault(3000, containing(text)),
    });
    expect(await sim.qualificationsOf(C.noQualifications)).toStrictEqual([]);
  });
});

describe('the body and the qualification name', () => {
  it.each([
    ['not JSON', '{"qualification":'],
    ['an array', '[]'],
    ['a string', '"Education"'],
    ['empty', ''],
  ])('rejects a body that is %s', async (_name, raw) => {
    expect(await create(C.noQualifications, raw)).toStrictEqual({
      status: 400,
      body: apiFault(3000, 'The request body must be a JSON object.'),
    });
  });

  it.each([
    [{}, 'The qualification property is required.'],
    [{ qualification: null }, 'The qualification property is required.'],
    [{ qualification: 'None' }, "Qualification 'None' cannot be set on a customer."],
    [{ qualification: 'nonprofit' }, "Qualification 'Nonprofit' cannot be set on a customer."],
    [{ qualification: 0 }, "Qualification 'None' cannot be set on a customer."],
    [{ qualification: 2 }, "Qualification 'Nonprofit' cannot be set on a customer."],
    [
      { qualification: 'Charity' },
      '"Charity" is not a valid qualification. Valid values: Education, GovernmentCommunityCloud, StateOwnedEntity.',
    ],
    [{ qualification: 9 }, '9 is not a valid qualification.'],
  ])('rejects %j with 400 / 3000', async (body, text) => {
    expect(await create(C.noQualifications, body)).toStrictEqual({
      status: 400,
      body: apiFault(3000, containing(text)),
    });
  });

  it('checks the customer before the body', async () => {
    expect((await create('nope', {})).body).toStrictEqual(
      apiFault(2000, 'Tenant Id must be a GUID.'),
    );
    expect((await create('abcdefab-cdef-4abc-8def-abcdefabcdef', {})).body).toStrictEqual(
      apiFault(60003, 'Tenant not found'),
    );
  });
});

describe('GovernmentCommunityCloud and validation codes', () => {
  const GCC = 'GovernmentCommunityCloud';

  it('creates with a body validationCode and consumes one create', async () => {
    expect(
      await create(C.noQualifications, { qualification: GCC, validationCode: MANY_CODE }),
    ).toStrictEqual({
      status: 201,
      body: { qualification: GCC, ...IN_REVIEW_NOW },
    });
    expect(await remainingCreates(MANY_CODE)).toBe(99);
  });

  it('accepts the legacy ?code= query parameter', async () => {
    const result = await create(
      C.noQualifications,
      { qualification: GCC },
      `?Code=${String(MANY_CODE)}`,
    );
    expect(result.status).toBe(201);
    expect(await remainingCreates(MANY_CODE)).toBe(99);
  });

  it('rejects a missing or unknown code', async () => {
    expect(await create(C.noQualifications, { qualification: GCC })).toStrictEqual({
      status: 400,
      body: apiFault(
        3000,
        'The validationCode property is required for the GovernmentCommunityCloud qualification.',
      ),
    });
    expect(
      await create(C.noQualifications, { qualification: GCC, validationCode: 'nope' }),
    ).toStrictEqual({
      status: 400,
      body: apiFault(3000, "Validation code 'nope' was not found for this partner."),
    });
  });

  it('rejects a code with no remaining creates', async () => {
    const body = { qualification: GCC, validationCode: SINGLE_USE_CODE };
    expect((await create(C.noQualifications, body)).status).toBe(201);
    expect(await remainingCreates(SINGLE_USE_CODE)).toBe(0);
    expect(await create(C.educationDenied, body)).toStrictEqual({
      status: 400,
      body: apiFault(3000, containing('has no remaining creates')),
    });
    expect(await remainingCreates(SINGLE_USE_CODE)).toBe(0);
  });

  it('does not consume a code when the create is rejected', async () => {
    const result = await create(C.educationApproved, {
      qualification: GCC,
      validationCode: SINGLE_USE_CODE,
    });
    expect(result.status).toBe(409);
    expect(await remainingCreates(SINGLE_USE_CODE)).toBe(1);
  });
});

describe('conflicts (409)', () => {
  const GCC_BODY = { qualification: 'GovernmentCommunityCloud', validationCode: MANY_CODE };
  const EDU_BODY = { qualification: 'Education', educationSegment: 'K12' };

  it('keeps Education and GCC apart, in both directions', async () => {
    for (const [customerId, body] of [
      [C.educationApproved, GCC_BODY],
      [C.educationInReview, GCC_BODY],
      [C.gccApproved, EDU_BODY],
    ] as const) {
      expect(await create(customerId, body)).toStrictEqual({
        status: 409,
        body: apiFault(
          409,
          containing('Education and GovernmentCommunityCloud cannot both be set'),
        ),
      });
    }
  });

  it('lets GCC follow a Denied Education, which is not in effect', async () => {
    expect((await create(C.educationDenied, GCC_BODY)).status).toBe(201);
  });

  it('rejects resubmitting while InReview or Approved', async () => {
    expect(await create(C.educationInReview, EDU_BODY)).toStrictEqual({
      status: 409,
      body: apiFault(
        409,
        "The customer already has qualification 'Education' with vetting status InReview.",
      ),
    });
    expect(await create(C.educationApproved, EDU_BODY)).toStrictEqual({
      status: 409,
      body: apiFault(
        409,
        "The customer already has qualification 'Education' with vetting status Approved.",
      ),
    });
  });

  it('allows resubmission after Denied, three submissions in total', async () => {
    // The seeded Denied customer already used one submission.
    expect((await create(C.educationDenied, EDU_BODY)).status).toBe(201);
    expect(await sim.qualificationsOf(C.educationDenied)).toStrictEqual([
      { qualification: 'Education', ...IN_REVIEW_NOW },
    ]);
    expect((await denyEducation(C.educationDenied)).status).toBe(200);
    expect((await create(C.educationDenied, EDU_BODY)).status).toBe(201);
    expect((await denyEducation(C.educationDenied)).status).toBe(200);
    expect(await create(C.educationDenied, EDU_BODY)).toStrictEqual({
      status: 409,
      body: apiFault(409, containing('already submitted 3 times')),
    });
  });
});

describe('StateOwnedEntity', () => {
  it('is created without vetting fields, effective immediately, and only once', async () => {
    const first = await sim.post(qualificationsPath(C.educationApproved), {
      qualification: 'stateownedentity',
    });
    expect(first.status).toBe(201);
    expect(await first.text()).toBe('{"qualification":"StateOwnedEntity"}');
    expect(await sim.qualificationsOf(C.educationApproved)).toStrictEqual([
      {
        qualification: 'Education',
        vettingStatus: 'Approved',
        vettingCreateDate: '2020-12-04T20:54:24Z',
      },
      { qualification: 'StateOwnedEntity' },
    ]);
    expect(await create(C.educationApproved, { qualification: 'StateOwnedEntity' })).toStrictEqual({
      status: 409,
      body: apiFault(409, "The customer already has qualification 'StateOwnedEntity'."),
    });
    expect(await create(C.stateOwnedEntity, { qualification: 4 })).toMatchObject({ status: 409 });
  });
});
