/**
 * Example response bodies for the OpenAPI document, imported by it alone (a cold start does not
 * build them). The document's linters check each against its schema, so they stay true to the
 * shapes the gateway sends.
 */

export const EXAMPLE_CUSTOMER_ID = '6f1e8d2c-6b5a-4c1e-9a32-1f0e7d6c5b4a';
export const EXAMPLE_CORRELATION_ID = '0b6f2a3e-8c1d-4e5f-9a7b-2c3d4e5f6a7b';

const example = (summary: string, value: unknown) => ({ summary, value });

export const customerQualificationsExamples = {
  cached: example('From the cache', {
    customerId: EXAMPLE_CUSTOMER_ID,
    qualifications: [
      {
        qualification: 'Education',
        vettingStatus: 'InReview',
        vettingCreateDate: '2026-11-20T09:30:00Z',
      },
    ],
    source: 'cache',
    lastSyncedAt: '2026-11-25T10:00:00.000Z',
    stale: false,
  }),
  stale: example('Partner Center unavailable: the last known copy', {
    customerId: EXAMPLE_CUSTOMER_ID,
    qualifications: [{ qualification: 'StateOwnedEntity', vettingStatus: 'Approved' }],
    source: 'cache',
    lastSyncedAt: '2026-11-24T08:00:00.000Z',
    stale: true,
  }),
};

export const createdQualificationExamples = {
  inReview: example('Submitted; vetting has started', {
    qualification: 'Education',
    vettingStatus: 'InReview',
    vettingCreateDate: '2026-11-25T10:00:00Z',
  }),
};

export const qualificationListExamples = {
  page: example('One page, with more to come', {
    items: [
      {
        customerId: EXAMPLE_CUSTOMER_ID,
        qualification: 'Education',
        vettingStatus: 'InReview',
        vettingCreateDate: '2026-11-20T09:30:00Z',
        lastSyncedAt: '2026-11-25T10:00:00.000Z',
      },
    ],
    continuationToken: 'eyJwayI6IkluUmV2aWV3In0',
  }),
};

export const qualificationHistoryExamples = {
  decided: example('Submitted, then approved', {
    customerId: EXAMPLE_CUSTOMER_ID,
    events: [
      {
        at: '2026-11-27T15:00:00.000Z',
        qualification: 'Education',
        from: 'InReview',
        to: 'Approved',
        trigger: 'refresh',
      },
      {
        at: '2026-11-25T10:00:00.000Z',
        qualification: 'Education',
        from: null,
        to: 'InReview',
        trigger: 'submit',
      },
    ],
  }),
};

export const vettingSummaryExamples = {
  summary: example('A small partner', {
    generatedAt: '2026-11-25T10:00:00.000Z',
    counts: [{ qualification: 'Education', vettingStatus: 'InReview', count: 3 }],
    pending: [
      {
        qualification: 'Education',
        count: 3,
        oldestSeconds: 432000,
        p50Seconds: 86400,
        p90Seconds: 345600,
      },
    ],
    decisions: {
      days: 90,
      since: '2026-08-27T10:00:00.000Z',
      times: [
        {
          qualification: 'Education',
          outcome: 'Approved',
          count: 12,
          p50Seconds: 172800,
          p90Seconds: 604800,
        },
      ],
      denialReasons: [{ reason: 'Not an accredited school', count: 2 }],
    },
    truncated: false,
  }),
};

export const validationCodesExamples = {
  codes: example('One code', {
    validationCodes: [
      {
        partnerId: '3c8e5f1a-2b4d-4e6f-8a9b-0c1d2e3f4a5b',
        organizationName: 'Contoso Government Services',
        validationId: '1234567',
        maxCreates: 10,
        remainingCreates: 7,
      },
    ],
  }),
};

export const healthExamples = {
  ok: example('Everything works', {
    status: 'ok',
    checks: {
      storage: 'ok',
      partnerCenter: 'ok',
      appOnlyCredential: 'ok',
      appUserCredential: 'ok',
      events: 'ok',
    },
  }),
  degraded: example('Reads served, submissions cannot be made', {
    status: 'degraded',
    checks: {
      storage: 'ok',
      partnerCenter: 'ok',
      appOnlyCredential: 'ok',
      appUserCredential: 'fail',
      events: 'ok',
    },
  }),
  eventsHeldBack: example('Reads and submissions served, change events held back', {
    status: 'degraded',
    checks: {
      storage: 'ok',
      partnerCenter: 'ok',
      appOnlyCredential: 'ok',
      appUserCredential: 'ok',
      events: 'fail',
    },
  }),
};

export const failedHealthExamples = {
  storage: example('Storage out of reach', {
    status: 'fail',
    checks: {
      storage: 'fail',
      partnerCenter: 'ok',
      appOnlyCredential: 'ok',
      appUserCredential: 'not-configured',
      events: 'ok',
    },
  }),
};
