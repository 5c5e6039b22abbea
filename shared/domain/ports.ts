import type { Logger } from '../logging/logger.js';
import type { CustomerId } from './customer-id.js';
import type { CustomerQualifications } from './customer-qualifications.js';
import type { Qualification } from './qualification.js';
import type { UpstreamResult } from './upstream.js';
import type { ValidationCode } from './validation-code.js';

/** What ties one call to the invocation that made it. */
export interface CallContext {
  readonly correlationId: string;
  /** W3C trace context of the caller, propagated to Partner Center. */
  readonly traceparent?: string;
  /** Aborted when the caller gives up. */
  readonly signal?: AbortSignal;
  readonly logger: Logger;
}

export interface PartnerCenter {
  getQualifications(
    customerId: CustomerId,
    call: CallContext,
  ): Promise<UpstreamResult<Qualification[]>>;
  listValidationCodes(call: CallContext): Promise<UpstreamResult<ValidationCode[]>>;
  /** False while the circuit breaker keeps calls away from Partner Center. */
  isAvailable(): boolean;
}

export interface Stored<T> {
  readonly value: T;
  readonly etag: string;
}

export type SaveResult = { readonly ok: true; readonly etag: string } | { readonly ok: false };

export interface QualificationStore {
  get(customerId: CustomerId): Promise<Stored<CustomerQualifications> | undefined>;
  /**
   * Writes the snapshot only if the stored one still has `expectedEtag` (or, when undefined,
   * if none is stored yet). `{ ok: false }` means another writer got there first.
   */
  save(snapshot: CustomerQualifications, expectedEtag: string | undefined): Promise<SaveResult>;
  /** A cheap round trip, for the health check. */
  ping(): Promise<void>;
}

export interface Clock {
  now(): Date;
}
