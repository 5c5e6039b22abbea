import type { CustomerId } from '../../../shared/domain/customer-id.js';
import type { CallContext, PartnerCenter } from '../../../shared/domain/ports.js';
import type { Qualification } from '../../../shared/domain/qualification.js';
import type { QualificationRequest } from '../../../shared/domain/qualification-request.js';
import type { PartnerCenterHealth, UpstreamResult } from '../../../shared/domain/upstream.js';

export type QualificationsAnswer = UpstreamResult<Qualification[]>;

export interface RecordedCall {
  readonly customerId: CustomerId;
  readonly startedAt: number;
  /** Orders starts and ends of calls even within one millisecond. */
  readonly startedSeq: number;
  endedAt?: number;
  endedSeq?: number;
  readonly waitOnThrottle: boolean | undefined;
  answer?: QualificationsAnswer;
}

export interface FakePartnerCenterOptions {
  /** What Partner Center answers for this customer. */
  readonly answer: (customerId: CustomerId) => QualificationsAnswer;
  /** How long one call takes, in ms. */
  readonly delayMs?: number | ((customerId: CustomerId) => number);
  /** What a submission gets; without it, submissions are not part of the test. */
  readonly create?: (customerId: CustomerId, request: QualificationRequest) => SubmissionAnswer;
}

export type SubmissionAnswer = UpstreamResult<Qualification>;

export interface RecordedSubmission {
  readonly customerId: CustomerId;
  readonly request: QualificationRequest;
  readonly requestId: string;
}

/**
 * Partner Center's qualification read, with a delay per call. Records when each call started and
 * ended, and how many were in flight at once.
 */
export class FakePartnerCenter implements PartnerCenter {
  readonly calls: RecordedCall[] = [];
  inFlight = 0;
  maxInFlight = 0;
  private seq = 0;

  constructor(private readonly options: FakePartnerCenterOptions) {}

  async getQualifications(
    customerId: CustomerId,
    call: CallContext,
  ): Promise<UpstreamResult<Qualification[]>> {
    const recorded: RecordedCall = {
      customerId,
      startedAt: Date.now(),
      startedSeq: this.seq++,
      waitOnThrottle: call.waitOnThrottle,
    };
    this.calls.push(recorded);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const { delayMs = 0 } = this.options;
    const ms = typeof delayMs === 'number' ? delayMs : delayMs(customerId);
    await new Promise((resolve) => setTimeout(resolve, ms));
    this.inFlight--;
    const answer = this.options.answer(customerId);
    recorded.endedAt = Date.now();
    recorded.endedSeq = this.seq++;
    recorded.answer = answer;
    return answer;
  }

  readonly submissions: RecordedSubmission[] = [];

  createQualification(
    customerId: CustomerId,
    request: QualificationRequest,
    requestId: string,
  ): Promise<SubmissionAnswer> {
    const { create } = this.options;
    if (create === undefined) return Promise.reject(new Error('not used by these tests'));
    this.submissions.push({ customerId, request, requestId });
    return Promise.resolve(create(customerId, request));
  }

  listValidationCodes(): Promise<never> {
    return Promise.reject(new Error('not used by these tests'));
  }

  health(): PartnerCenterHealth {
    return { partnerCenter: 'ok', appOnlyCredential: 'ok', appUserCredential: 'ok' };
  }

  callsFor(customerId: CustomerId): RecordedCall[] {
    return this.calls.filter((c) => c.customerId === customerId);
  }
}
