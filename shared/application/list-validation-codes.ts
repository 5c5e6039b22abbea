import type { CallContext, PartnerCenter } from '../domain/ports.js';
import type { UpstreamResult } from '../domain/upstream.js';
import type { ValidationCode } from '../domain/validation-code.js';
import { SingleFlight } from './single-flight.js';

export type ValidationCodesResult = UpstreamResult<ValidationCode[]>;

export interface ListValidationCodesDeps {
  readonly partnerCenter: PartnerCenter;
  /** The list being read, shared by every request that arrives meanwhile. */
  readonly validationCodeReads: SingleFlight<ValidationCodesResult>;
}

export function createValidationCodeReads(): SingleFlight<ValidationCodesResult> {
  return new SingleFlight<ValidationCodesResult>();
}

/**
 * The partner's validation codes, always live (codes are consumed by submissions, so a cached
 * list would mislead); concurrent requests share the one call in flight.
 */
export function listValidationCodes(
  deps: ListValidationCodesDeps,
  call: CallContext,
): Promise<ValidationCodesResult> {
  return deps.validationCodeReads.run('all', () => deps.partnerCenter.listValidationCodes(call), {
    joinRunning: true,
  });
}
