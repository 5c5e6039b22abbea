import type { ProblemType } from '../api/problem-types.js';
import type { PartnerCenterIdentity, UpstreamFailure } from '../domain/upstream.js';
import type { Logger } from '../logging/logger.js';
import type { Problem, UpstreamDetail } from './problem.js';

type Rejection = Extract<UpstreamFailure, { kind: 'rejected' }>;
type CredentialFailure = Extract<UpstreamFailure, { kind: 'credential-unavailable' }>;

/** The contract's mapping of a Partner Center failure to the gateway's own answer. */
export function upstreamProblem(failure: UpstreamFailure, logger: Logger): Problem {
  switch (failure.kind) {
    case 'rejected':
      return rejectionProblem(failure, logger);
    case 'credential-unavailable':
      return credentialProblem(failure);
    case 'throttled':
      return unavailable(
        'upstream-throttled',
        'Partner Center is throttling requests.',
        failure.retryAfterSeconds,
      );
    case 'circuit-open':
      return unavailable(
        'upstream-circuit-open',
        'Partner Center failed repeatedly; the gateway is not calling it for a while.',
        failure.retryAfterSeconds,
      );
    case 'saturated':
      return unavailable(
        'gateway-busy',
        'Too many Partner Center calls are in flight.',
        failure.retryAfterSeconds,
      );
    case 'timeout':
      return {
        status: 504,
        type: 'upstream-timeout',
        detail: 'Partner Center did not answer in time.',
      };
    case 'unavailable': {
      const upstream: UpstreamDetail | undefined =
        failure.status === undefined
          ? undefined
          : {
              status: failure.status,
              ...(failure.description !== undefined && { description: failure.description }),
            };
      if (failure.reason === 'invalid response') {
        return {
          status: 502,
          type: 'invalid-upstream-response',
          detail:
            "Partner Center's answer did not have its documented shape; nothing was taken from it.",
          ...(upstream && { upstream }),
        };
      }
      return {
        status: 502,
        type: 'upstream-error',
        detail: `Partner Center could not be used (${failure.reason})${suffix(failure.description)}`,
        ...(upstream && { upstream }),
      };
    }
  }
}

/** Partner Center codes that refuse one customer, not the gateway. */
const CUSTOMER_REFUSAL_CODES = new Set(['20002']);
/** How Partner Center words a refusal for a customer the partner has no (GDAP) access to. */
const CUSTOMER_REFUSAL_WORDS = /\b(commerce relationship|GDAP|granular delegated|delegated admin)/i;
/** Partner Center's code for an App+User token without multi-factor authentication. */
const MFA_REQUIRED_CODE = '900421';

/**
 * A refusal is the caller's answer (4xx) when it is about the customer, the submission or the
 * caller's own user; only a refusal of the gateway's own credentials is a 502 and an error.
 */
function rejectionProblem(failure: Rejection, logger: Logger): Problem {
  const upstream: UpstreamDetail = {
    status: failure.status,
    ...(failure.code !== undefined && { code: failure.code }),
    ...(failure.description !== undefined && { description: failure.description }),
  };
  const code = failure.code === undefined ? undefined : String(failure.code);
  const words = failure.description ?? '';
  const callerIsTheUser = failure.identity === 'on-behalf-of';
  if (
    failure.status === 403 &&
    ((code !== undefined && CUSTOMER_REFUSAL_CODES.has(code)) || CUSTOMER_REFUSAL_WORDS.test(words))
  ) {
    logger.warn('Partner Center refused the request for this customer', { upstream });
    return {
      status: 403,
      type: 'no-customer-relationship',
      detail:
        failure.description ??
        'Partner Center refused access to this customer: the partner has no relationship or role for it.',
      upstream,
    };
  }
  if (failure.status === 401 && code === MFA_REQUIRED_CODE && callerIsTheUser) {
    logger.warn("Partner Center refused the caller's user: no multi-factor authentication", {
      upstream,
    });
    return {
      status: 401,
      type: 'mfa-required',
      detail:
        failure.description ??
        'Partner Center requires a user who signed in with multi-factor authentication.',
      upstream,
      headers: {
        'www-authenticate':
          'Bearer error="insufficient_user_authentication", error_description="multi-factor authentication required"',
      },
    };
  }
  if (failure.status === 403 && callerIsTheUser) {
    logger.warn("Partner Center refused the caller's user", { upstream });
    return {
      status: 403,
      type: 'refused-by-partner-center',
      detail: failure.description ?? "Partner Center refused the caller's user this operation.",
      upstream,
    };
  }
  if (failure.status === 401 || failure.status === 403) {
    // The caller was already authorised by the gateway: this is the gateway's own identity.
    logger.error('Partner Center refused the gateway credentials: configuration fault', {
      identity: failure.identity,
      upstream,
    });
    return {
      status: 502,
      type: 'upstream-authorization-failed',
      detail: 'Partner Center refused the gateway. The operator has to check its configuration.',
    };
  }
  if (failure.status === 400 || failure.status === 404 || failure.status === 409) {
    return {
      status: failure.status,
      type: REJECTION_TYPES[failure.status],
      detail:
        failure.description ?? `Partner Center answered ${failure.status} without saying why.`,
      upstream,
    };
  }
  return {
    status: 502,
    type: 'upstream-error',
    detail: `Partner Center answered ${failure.status}${suffix(failure.description)}`,
    upstream,
  };
}

const IDENTITY_NAMES: Readonly<Record<PartnerCenterIdentity, string>> = {
  'app-only': 'app-only',
  'app+user': 'App+User',
  'on-behalf-of': 'On-Behalf-Of',
};

/** No token, so no call: named for what it is, never as a Partner Center outage. */
function credentialProblem(failure: CredentialFailure): Problem {
  const identity = IDENTITY_NAMES[failure.identity];
  switch (failure.cause) {
    case 'unreachable':
      return unavailable(
        'credential-unavailable',
        `The gateway could not get its ${identity} token for Partner Center right now; Partner Center was not called.`,
        failure.retryAfterSeconds ?? 5,
      );
    case 'refused':
      return {
        status: 502,
        type: 'credential-unavailable',
        detail: `Entra ID refused the gateway's ${identity} credential for Partner Center; the operator has to renew it.`,
      };
    case 'not-configured':
      return {
        status: 502,
        type: 'credential-unavailable',
        detail: 'No App+User identity is configured for Partner Center submissions.',
      };
    case 'caller-refused':
      return {
        status: 403,
        type: 'on-behalf-of-refused',
        detail:
          "Entra ID would not exchange the caller's token for a Partner Center token: a user's token, " +
          'signed in with multi-factor authentication and not about to expire, is needed.',
      };
  }
}

const REJECTION_TYPES = {
  400: 'rejected-by-partner-center',
  404: 'customer-not-found',
  409: 'conflict-in-partner-center',
} as const;

function suffix(description: string | undefined): string {
  return description === undefined ? '.' : `: ${description}`;
}

function unavailable(type: ProblemType, detail: string, retryAfterSeconds: number): Problem {
  return {
    type,
    status: 503,
    detail,
    headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
  };
}
