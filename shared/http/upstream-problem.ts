import type { UpstreamFailure } from '../domain/upstream.js';
import type { Logger } from '../logging/logger.js';
import type { Problem } from './problem.js';

/** The contract's mapping of a Partner Center failure to the gateway's own answer. */
export function upstreamProblem(failure: UpstreamFailure, logger: Logger): Problem {
  switch (failure.kind) {
    case 'rejected': {
      const upstream = {
        status: failure.status,
        ...(failure.code !== undefined && { code: failure.code }),
        ...(failure.description !== undefined && { description: failure.description }),
      };
      if (failure.status === 401 || failure.status === 403) {
        // The caller was already authorised by the gateway: this is the gateway's own identity.
        logger.error('Partner Center refused the gateway credentials: configuration fault', {
          upstream,
        });
        return {
          status: 502,
          title: 'Upstream authorization failed',
          detail:
            'Partner Center refused the gateway. The operator has to check its configuration.',
        };
      }
      if (failure.status === 400 || failure.status === 404 || failure.status === 409) {
        return {
          status: failure.status,
          title: REJECTION_TITLES[failure.status],
          detail: failure.description ?? 'Partner Center rejected the request.',
          upstream,
        };
      }
      return {
        status: 502,
        title: 'Upstream error',
        detail: `Partner Center answered ${failure.status}.`,
        upstream,
      };
    }
    case 'throttled':
      return unavailable(
        'Upstream throttled',
        'Partner Center is throttling requests.',
        failure.retryAfterSeconds,
      );
    case 'circuit-open':
      return unavailable(
        'Upstream circuit open',
        'Partner Center failed repeatedly; the gateway is not calling it for a while.',
        failure.retryAfterSeconds,
      );
    case 'saturated':
      return unavailable(
        'Gateway busy',
        'Too many Partner Center calls are in flight.',
        failure.retryAfterSeconds,
      );
    case 'timeout':
      return {
        status: 504,
        title: 'Upstream timeout',
        detail: 'Partner Center did not answer in time.',
      };
    case 'unavailable':
      return {
        status: 502,
        title: 'Upstream error',
        detail: `Partner Center could not be used (${failure.reason}).`,
        ...(failure.status !== undefined && { upstream: { status: failure.status } }),
      };
  }
}

const REJECTION_TITLES = {
  400: 'Rejected by Partner Center',
  404: 'Customer not found',
  409: 'Conflict in Partner Center',
} as const;

function unavailable(title: string, detail: string, retryAfterSeconds: number): Problem {
  return {
    status: 503,
    title,
    detail,
    headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
  };
}
