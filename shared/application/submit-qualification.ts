import type { CustomerId } from '../domain/customer-id.js';
import type { OpenSubmission } from '../domain/customer-record.js';
import type { CallContext, PartnerCenter } from '../domain/ports.js';
import { sameQualificationName, type Qualification } from '../domain/qualification.js';
import type { QualificationRequest } from '../domain/qualification-request.js';
import type { UpstreamFailure } from '../domain/upstream.js';
import { withinBounds } from '../domain/upstream-bounds.js';
import { describeError } from '../logging/redact.js';
import { applyObservation } from './apply-observation.js';
import { updateRecord, type LedgerDeps, type LedgerRecord } from './customer-ledger.js';
import { accepted, isNewVetting, neverApplied, withoutSubmission } from './submission-decisions.js';

export interface SubmitQualificationDeps extends LedgerDeps {
  readonly partnerCenter: PartnerCenter;
}

export interface SubmitQualificationInput {
  readonly customerId: CustomerId;
  readonly request: QualificationRequest;
  /** The MS-RequestId; the same on every retry of this submission. */
  readonly requestId: string;
}

export type SubmitQualificationOutcome =
  | {
      readonly kind: 'created';
      readonly qualification: Qualification;
      /**
       * False when Partner Center accepted but the gateway could not record it yet: the open
       * submission makes the next read or timer run record it.
       */
      readonly recorded: boolean;
    }
  | { readonly kind: 'upstream-failed'; readonly failure: UpstreamFailure }
  /** The customer has as many submissions in flight as it may: nothing was sent. */
  | { readonly kind: 'too-many-open'; readonly retryAfterSeconds: number };

/**
 * Submissions of one customer whose outcome is not known yet. Beyond it a submission is refused
 * before anything is sent: a storm of retries during a throttling episode cannot grow the record.
 */
export const MAX_OPEN_SUBMISSIONS = 5;

/**
 * Submits a qualification so that what Partner Center accepts is never lost: the submission is
 * recorded on the customer before Partner Center is called, and settled after. If the answer is
 * lost (a crash, a timeout), the record keeps it open, so the next read or the timer settles it
 * from what Partner Center then lists.
 */
export async function submitQualification(
  deps: SubmitQualificationDeps,
  input: SubmitQualificationInput,
  call: CallContext,
): Promise<SubmitQualificationOutcome> {
  const { customerId, request, requestId } = input;
  const submission: OpenSubmission = {
    requestId,
    qualification: request.qualification,
    submittedAt: deps.clock.now().toISOString(),
    correlationId: call.correlationId,
  };
  const recorded = await updateRecord(
    deps,
    customerId,
    (record) =>
      record.openSubmissions.some((s) => s.requestId === requestId) ||
      record.openSubmissions.length >= MAX_OPEN_SUBMISSIONS
        ? undefined
        : {
            record: { ...record, openSubmissions: [...record.openSubmissions, submission] },
            changes: [],
          },
    call,
  );
  if (!recorded.value.openSubmissions.some((s) => s.requestId === requestId)) {
    call.logger.warn('Submission refused: too many in flight for this customer', {
      customerId,
      open: recorded.value.openSubmissions.length,
    });
    return { kind: 'too-many-open', retryAfterSeconds: 30 };
  }

  const result = await deps.partnerCenter.createQualification(customerId, request, requestId, call);
  if (!result.ok) {
    if (neverApplied(result)) {
      await updateRecord(deps, customerId, withoutSubmission(requestId), call, recorded);
      return { kind: 'upstream-failed', failure: result.failure };
    }
    if (result.failure.kind === 'rejected') {
      // Refused on a retry after an attempt whose outcome is unknown: Partner Center may have
      // applied the first one. Its list says which before anything is taken as final.
      const reconciled = await reconcileUnknownRefusal(deps, input, recorded, call);
      if (reconciled !== undefined) return reconciled;
      return { kind: 'upstream-failed', failure: result.failure };
    }
    call.logger.warn('Submission outcome unknown; left open for the next read or the timer', {
      customerId,
      requestId,
      failure: result.failure.kind,
    });
    return { kind: 'upstream-failed', failure: result.failure };
  }

  const [created = result.value] = withinBounds([result.value]).qualifications;
  // Partner Center has applied it: whatever happens to the bookkeeping now, the answer is 201.
  try {
    const settled = await updateRecord(
      deps,
      customerId,
      accepted(created, requestId, deps.clock.now()),
      call,
      recorded,
    );
    if (settled.value.lastSyncedAt === undefined) {
      await syncAfterFirstSubmission(deps, settled, call);
    }
  } catch (error) {
    call.logger.error(
      'Partner Center accepted a submission the gateway could not record yet; the next read or timer run records it',
      {
        customerId,
        requestId,
        error: describeError(error),
      },
    );
    return { kind: 'created', qualification: created, recorded: false };
  }
  return { kind: 'created', qualification: created, recorded: true };
}

/**
 * A refusal after an attempt whose outcome is unknown: Partner Center's list decides. If it shows
 * the qualification, the first attempt was applied (answered as created); if it does not, the
 * refusal stands and the submission is closed. Undefined when the refusal stands; an
 * outcome-unknown failure when the list cannot be read (kept open, settled later, never final).
 */
async function reconcileUnknownRefusal(
  deps: SubmitQualificationDeps,
  input: SubmitQualificationInput,
  recorded: LedgerRecord,
  call: CallContext,
): Promise<SubmitQualificationOutcome | undefined> {
  const { customerId, request, requestId } = input;
  const askedAt = deps.clock.now();
  const listed = await deps.partnerCenter.getQualifications(customerId, call);
  if (!listed.ok) {
    call.logger.warn('Submission outcome unknown; left open for the next read or the timer', {
      customerId,
      requestId,
      failure: 'rejected after an unknown outcome',
    });
    return {
      kind: 'upstream-failed',
      failure: { kind: 'unavailable', reason: 'submission outcome unknown' },
    };
  }
  const [listedNow] = withinBounds(
    listed.value.filter((q) => sameQualificationName(q.qualification, request.qualification)),
  ).qualifications;
  const before = recorded.value.qualifications?.find((q) =>
    sameQualificationName(q.qualification, request.qualification),
  );
  if (listedNow === undefined || !isNewVetting(listedNow, before, recorded.value, requestId)) {
    await updateRecord(deps, customerId, withoutSubmission(requestId), call, recorded);
    return undefined;
  }
  call.logger.warn('A retried submission was refused, but Partner Center lists it: created', {
    customerId,
    requestId,
  });
  try {
    await updateRecord(deps, customerId, accepted(listedNow, requestId, askedAt), call, recorded);
    return { kind: 'created', qualification: listedNow, recorded: true };
  } catch (error) {
    call.logger.error('Could not record a submission Partner Center lists', {
      customerId,
      error: describeError(error),
    });
    return { kind: 'created', qualification: listedNow, recorded: false };
  }
}

/**
 * A customer never read before only knows the new qualification: read its full list once so that
 * the cache is complete. If that fails the next GET reads Partner Center anyway.
 */
async function syncAfterFirstSubmission(
  deps: SubmitQualificationDeps,
  known: LedgerRecord,
  call: CallContext,
): Promise<void> {
  const { customerId } = known.value;
  const askedAt = deps.clock.now();
  const listed = await deps.partnerCenter.getQualifications(customerId, call);
  if (!listed.ok) return;
  try {
    await updateRecord(
      deps,
      customerId,
      applyObservation(listed.value, askedAt, 'read'),
      call,
      known,
    );
  } catch (error) {
    call.logger.warn('Could not record the list read after a first submission', {
      customerId,
      error: describeError(error),
    });
  }
}
