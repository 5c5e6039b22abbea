import azureFunctions from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { operations } from '../../../shared/api/operations.js';
import { parseRequest } from '../../../shared/http/request-validation.js';

const { HttpRequest } = azureFunctions;

const CUSTOMER = '6F1E8D2C-6B5A-4C1E-9A32-1F0E7D6C5B4A';

function request(
  url: string,
  init: { params?: Record<string, string>; headers?: Record<string, string>; body?: string } = {},
) {
  return new HttpRequest({
    method: init.body === undefined ? 'GET' : 'POST',
    url: `http://localhost/api/v1/${url}`,
    params: init.params ?? {},
    headers: init.headers ?? {},
    ...(init.body !== undefined && { body: { string: init.body } }),
  });
}

const json = { 'content-type': 'application/json' };

describe('parseRequest: the request as its operation declares it', () => {
  it('hands every declared part over parsed: path, query and headers of a GET', async () => {
    const parsed = await parseRequest(
      operations.getCustomerQualifications,
      request(`customers/${CUSTOMER}/qualifications?refresh=true&code=function-key`, {
        params: { customerId: CUSTOMER },
        headers: { 'If-None-Match': 'W/"abc"' },
      }),
    );
    expect(parsed).toEqual({
      ok: true,
      value: {
        path: { customerId: CUSTOMER.toLowerCase() },
        query: { refresh: 'true' },
        headers: { 'if-none-match': 'W/"abc"' },
        body: undefined,
      },
    });
  });

  it('matches the qualification name in any case and answers the canonical one', async () => {
    const parsed = await parseRequest(
      operations.createQualification,
      request(`customers/${CUSTOMER}/qualifications`, {
        params: { customerId: CUSTOMER },
        headers: { ...json, 'Idempotency-Key': 'key-1' },
        body: JSON.stringify({ qualification: 'stateownedENTITY' }),
      }),
    );
    expect(parsed.ok && parsed.value.body).toEqual({ qualification: 'StateOwnedEntity' });
    expect(parsed.ok && parsed.value.headers).toEqual({ 'idempotency-key': 'key-1' });
  });

  it('names every bad field of every part in one 400', async () => {
    const parsed = await parseRequest(
      operations.createQualification,
      request('customers/nope/qualifications', {
        params: { customerId: 'nope' },
        headers: { ...json, 'Idempotency-Key': 'x'.repeat(300) },
        body: JSON.stringify({ qualification: 'Education', extra: 1 }),
      }),
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problem.status).toBe(400);
    expect(parsed.problem.type).toBe('invalid-request');
    expect(parsed.problem.errors?.map((e) => e.path).sort()).toEqual([
      'body.educationSegment',
      'body.extra',
      'headers.idempotency-key',
      'path.customerId',
    ]);
  });

  it('explains a qualification that cannot be set, and one that does not exist', async () => {
    const post = (qualification: string) =>
      parseRequest(
        operations.createQualification,
        request(`customers/${CUSTOMER}/qualifications`, {
          params: { customerId: CUSTOMER },
          headers: json,
          body: JSON.stringify({ qualification }),
        }),
      );
    const unsettable = await post('nonprofit');
    expect(!unsettable.ok && unsettable.problem.errors).toEqual([
      {
        path: 'body.qualification',
        message: expect.stringMatching(
          /^nonprofit cannot be set: Partner Center assigns/,
        ) as unknown,
      },
    ]);
    const unknown = await post('Healthcare');
    expect(!unknown.ok && unknown.problem.detail).toMatch(
      /^body\.qualification: "Healthcare" is not a qualification\. Expected one of Education/,
    );
  });

  it('refuses a repeated query parameter instead of picking one', async () => {
    const parsed = await parseRequest(
      operations.listQualifications,
      request('qualifications?vettingStatus=InReview&vettingStatus=Approved'),
    );
    expect(!parsed.ok && parsed.problem.errors?.map((e) => e.path)).toEqual([
      'query.vettingStatus',
    ]);
  });

  it('applies the declared defaults and coercions', async () => {
    const parsed = await parseRequest(
      operations.listQualifications,
      request('qualifications?vettingStatus=InReview'),
    );
    expect(parsed.ok && parsed.value.query).toEqual({ vettingStatus: 'InReview', pageSize: 50 });
  });

  it('reads no body the operation does not declare, and a declared one before validating', async () => {
    const ignored = await parseRequest(
      operations.health,
      request('health', { headers: json, body: '{not json' }),
    );
    expect(ignored.ok).toBe(true);
    const notJson = await parseRequest(
      operations.createQualification,
      request(`customers/nope/qualifications`, {
        params: { customerId: 'nope' },
        headers: { 'content-type': 'text/plain' },
        body: '{}',
      }),
    );
    expect(!notJson.ok && notJson.problem.status).toBe(415);
  });
});
