import type { CustomerId } from '../domain/customer-id.js';
import {
  pruneAcceptances,
  type CustomerRecord,
  type OpenSubmission,
} from '../domain/customer-record.js';
import type { CallContext, PartnerCenter } from '../domain/ports.js';
import { sameQualificationName, type Qualification } from '../domain/qualification.js';
import type { QualificationRequest } from '../domain/qualification-request.js';
import type { UpstreamFailure } from '../domain/upstream.js';
import { withinBounds } from '../domain/upstream-bounds.js';
import { reconcileQualifications } from '../domain/vetting-transitions.js';
import { describeError } from '../logging/redact.js';
import {
  observe,
  updateRecord,
  type Decision,
  type LedgerDeps,
  type LedgerRecord,
} from './customer-ledger.js';

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
  | { readonly kind: 'upstream-failed'; readonly failure: UpstreamFailure };

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
      record.openSubmissions.some((s) => s.requestId === requestId)
        ? undefined
        : {
            record: { ...record, openSubmissions: [...record.openSubmissions, submission] },
            changes: [],
          },
    call,
  );

  const result = await deps.partnerCenter.createQualification(customerId, request, requestId, call);
  if (!result.ok) {
    if (neverApplied(result.failure)) {
      await updateRecord(deps, customerId, withoutSubmission(requestId), call, recorded);
    } else {
      call.logger.warn('Submission outcome unknown; left open for the next read or the timer', {
        customerId,
        requestId,
        failure: result.failure.kind,
      });
    }
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

/** Partner Center answered this MS-RequestId with a refusal, or the call never left. */
function neverApplied(failure: UpstreamFailure): boolean {
  return (
    failure.kind === 'rejected' ||
    failure.kind === 'circuit-open' ||
    failure.kind === 'saturated' ||
    failure.kind === 'credential-unavailable'
  );
}

function withoutSubmission(requestId: string): (record: CustomerRecord) => Decision | undefined {
  return (record) => {
    const remaining = record.openSubmissions.filter((s) => s.requestId !== requestId);
    if (remaining.length === record.openSubmissions.length) return undefined;
    return { record: { ...record, openSubmissions: remaining }, changes: [] };
  };
}

function accepted(
  created: Qualification,
  requestId: string,
  now: Date,
): (record: CustomerRecord) => Decision | undefined {
  return (record) => {
    const others = (record.qualifications ?? []).filter(
      (q) => !sameQualificationName(q.qualification, created.qualification),
    );
    const reconciled = reconcileQualifications(record.qualifications, [...others, created]);
    return {
      record: {
        ...record,
        qualifications: reconciled.qualifications,
        openSubmissions: record.openSubmissions.filter((s) => s.requestId !== requestId),
        recentlyAccepted: [
          ...pruneAcceptances(record.recentlyAccepted, now),
          { qualification: created.qualification, acceptedAt: now.toISOString() },
        ],
      },
      changes: reconciled.changes.map((change) => ({ change, trigger: 'submit' as const })),
    };
  };
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
    await updateRecord(deps, customerId, observe(listed.value, askedAt, 'read', call), call, known);
  } catch (error) {
    call.logger.warn('Could not record the list read after a first submission', {
      customerId,
      error: describeError(error),
    });
  }
}
