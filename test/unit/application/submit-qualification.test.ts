import { describe, expect, it } from 'vitest';
import {
  MAX_OPEN_SUBMISSIONS,
  submitQualification,
  type SubmitQualificationDeps,
} from '../../../shared/application/submit-qualification.js';
import type { CustomerId } from '../../../shared/domain/customer-id.js';
import { emptyRecord } from '../../../shared/domain/customer-record.js';
import type { Qualification } from '../../../shared/domain/qualification.js';
import { FakePartnerCenter, type SubmissionAnswer } from '../fakes/partner-center.js';
import { ledgerWorld, newCustomerId, recordingCall } from './world.js';

const SOE = { qualification: 'StateOwnedEntity' } as const;
const soe: Qualification = { qualification: 'StateOwnedEntity' };

function submissions(create: () => SubmissionAnswer) {
  const world = ledgerWorld();
  let openWhenCalled: number | undefined;
  const partnerCenter = new FakePartnerCenter({
    // A later read lists what the submission created.
    answer: () => ({ ok: true, value: [soe] }),
    create: (customerId) => {
      openWhenCalled = world.store.peek(customerId)?.openSubmissions.length;
      return create();
    },
  });
  const deps: SubmitQualificationDeps = { ...world.deps, partnerCenter };
  const { call, lines } = recordingCall();
  const submit = (customerId: CustomerId, requestId = 'request-1') =>
    submitQualification(deps, { customerId, request: SOE, requestId }, call);
  return { ...world, partnerCenter, submit, lines, openWhenCalled: () => openWhenCalled };
}

describe('submitQualification', () => {
  it('records the submission before calling Partner Center, and settles it after', async () => {
    const { submit, store, openWhenCalled } = submissions(() => ({ ok: true, value: soe }));
    const customerId = newCustomerId();

    const outcome = await submit(customerId);

    expect(outcome).toEqual({ kind: 'created', qualification: soe, recorded: true });
    expect(openWhenCalled()).toBe(1);
    expect(store.peek(customerId)?.openSubmissions).toEqual([]);
    expect(store.peek(customerId)?.qualifications).toEqual([soe]);
  });

  it('refuses a submission beyond the open ones allowed, and sends nothing', async () => {
    const { submit, store, partnerCenter, now } = submissions(() => ({ ok: true, value: soe }));
    const customerId = newCustomerId();
    store.seed({
      ...emptyRecord(customerId),
      openSubmissions: Array.from({ length: MAX_OPEN_SUBMISSIONS }, (_, i) => ({
        requestId: `open-${String(i)}`,
        qualification: 'Education',
        submittedAt: now().toISOString(),
        correlationId: 'c',
      })),
    });

    expect(await submit(customerId)).toMatchObject({ kind: 'too-many-open' });
    expect(partnerCenter.submissions).toEqual([]);
  });

  it('forgets a submission Partner Center surely did not apply', async () => {
    const { submit, store } = submissions(() => ({
      ok: false,
      failure: { kind: 'rejected', status: 409, code: 60003, description: 'already exists' },
    }));
    const customerId = newCustomerId();

    expect(await submit(customerId)).toMatchObject({ kind: 'upstream-failed' });
    expect(store.peek(customerId)?.openSubmissions).toEqual([]);
  });

  it('keeps a submission whose outcome is unknown open, for the next read or the timer', async () => {
    const { submit, store, workQueue } = submissions(() => ({
      ok: false,
      failure: { kind: 'timeout' },
      outcomeUnknown: true,
    }));
    const customerId = newCustomerId();

    expect(await submit(customerId)).toEqual({
      kind: 'upstream-failed',
      failure: { kind: 'timeout' },
    });
    expect(store.peek(customerId)?.openSubmissions).toMatchObject([{ requestId: 'request-1' }]);
    expect(workQueue.has(customerId)).toBe(true);
  });

  it('answers created, not recorded, when Partner Center accepted but the record cannot be settled', async () => {
    const { submit, store, lines } = submissions(() => {
      store.commit = () => Promise.reject(new Error('storage down'));
      return { ok: true, value: soe };
    });
    const customerId = newCustomerId();

    expect(await submit(customerId)).toEqual({
      kind: 'created',
      qualification: soe,
      recorded: false,
    });
    expect(lines.some((l) => l.level === 'error')).toBe(true);
  });

  it('sends the same MS-RequestId it was given, once', async () => {
    const { submit, partnerCenter } = submissions(() => ({ ok: true, value: soe }));

    await submit(newCustomerId(), 'the-request-id');

    expect(partnerCenter.submissions.map((s) => s.requestId)).toEqual(['the-request-id']);
  });
});
