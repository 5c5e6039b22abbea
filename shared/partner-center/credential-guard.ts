import type { CredentialFailureCause, PartnerCenterIdentity } from '../domain/upstream.js';
import type { Logger } from '../logging/logger.js';
import { describeError } from '../logging/redact.js';
import { CircuitBreaker } from './circuit-breaker.js';

/** What an operator does about each identity-wide cause; logged once when the cause starts. */
const ACTIONS: Readonly<Record<'unreachable' | 'refused', string>> = {
  unreachable:
    'Check that the token endpoint (PARTNER_CENTER_AUTHORITY_HOST) and, for the Secure Application ' +
    'Model, the Key Vault holding the refresh token are reachable; calls resume by themselves.',
  refused:
    'Rotate the client secret or certificate, or renew Secure Application Model consent ' +
    '(docs/operations.md); calls with this identity fail until then.',
};

/** Seconds a caller is told to wait after a token endpoint failure that did not open the guard. */
const RETRY_AFTER_SECONDS = 5;

export type CredentialPermit =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      readonly cause: CredentialFailureCause;
      readonly retryAfterSeconds?: number;
    };

/**
 * Token acquisition for one identity, kept apart from Partner Center's health: its failures open
 * a breaker of its own (so that a broken credential is answered fast), never the one that guards
 * Partner Center, and never another identity's. A failure that belongs to one caller (an
 * On-Behalf-Of assertion Entra ID will not exchange) says nothing about the identity.
 */
export class CredentialGuard {
  private readonly breaker: CircuitBreaker;
  private failing: 'unreachable' | 'refused' | undefined;

  constructor(
    readonly identity: PartnerCenterIdentity,
    failureThreshold: number,
    openSeconds: number,
    now: () => number = Date.now,
  ) {
    this.breaker = new CircuitBreaker(failureThreshold, openSeconds, now);
  }

  /** Whether a token may be asked for now; when not, why not and when to come back. */
  tryAcquire(): CredentialPermit {
    const permit = this.breaker.tryAcquire();
    if (permit.allowed) return permit;
    const cause = this.failing ?? 'unreachable';
    return cause === 'unreachable'
      ? { allowed: false, cause, retryAfterSeconds: permit.retryAfterSeconds }
      : { allowed: false, cause };
  }

  succeeded(logger: Logger): void {
    this.breaker.recordSuccess();
    if (this.failing !== undefined) {
      logger.info('Partner Center credential recovered', { identity: this.identity });
    }
    this.failing = undefined;
  }

  /** Records why getToken failed; returns what the call ends with. */
  failed(
    error: unknown,
    logger: Logger,
  ): { cause: CredentialFailureCause; retryAfterSeconds?: number } {
    const cause = credentialFailureCause(error, this.identity);
    if (cause === 'caller-refused') {
      this.breaker.recordNeutral();
      logger.warn("Entra ID would not exchange the caller's token for Partner Center", {
        identity: this.identity,
        error: describeError(error),
      });
      return { cause };
    }
    this.breaker.recordFailure();
    if (this.failing !== cause) {
      // Once per cause, not once per call: the first line says what broke and what to do.
      logger.error(`Partner Center ${this.identity} credential failing (${cause})`, {
        identity: this.identity,
        action: ACTIONS[cause],
        error: describeError(error),
      });
    }
    this.failing = cause;
    return cause === 'unreachable' ? { cause, retryAfterSeconds: RETRY_AFTER_SECONDS } : { cause };
  }

  /** A call that ended before its token was asked for (e.g. aborted). */
  released(): void {
    this.breaker.recordNeutral();
  }

  get status(): 'ok' | 'fail' {
    return this.failing === undefined ? 'ok' : 'fail';
  }
}

/**
 * What a credential error means. The Secure Application Model credential says so itself; the
 * @azure/identity credentials raise an AuthenticationError carrying Entra ID's status and OAuth
 * error when Entra ID answered, and other errors when it could not be reached.
 */
export function credentialFailureCause(
  error: unknown,
  identity: PartnerCenterIdentity,
): Exclude<CredentialFailureCause, 'not-configured'> {
  if (!(error instanceof Error)) return 'unreachable';
  if ('reason' in error && typeof error.reason === 'string' && 'retryable' in error) {
    return error.retryable === true ? 'unreachable' : 'refused';
  }
  const status = 'statusCode' in error ? error.statusCode : undefined;
  if (error.name !== 'AuthenticationError' || typeof status !== 'number') return 'unreachable';
  if (status === 429 || status >= 500) return 'unreachable';
  const oauthError = oauthErrorOf(error);
  // The caller's assertion (expired, for another app, without consent or MFA) is refused; the
  // gateway's own app would be refused with invalid_client or unauthorized_client instead.
  if (identity === 'on-behalf-of' && CALLER_ERRORS.has(oauthError ?? '')) return 'caller-refused';
  return 'refused';
}

const CALLER_ERRORS = new Set(['invalid_grant', 'interaction_required', 'consent_required']);

function oauthErrorOf(error: Error): string | undefined {
  const response = 'errorResponse' in error ? error.errorResponse : undefined;
  if (typeof response !== 'object' || response === null || !('error' in response)) {
    return undefined;
  }
  return typeof response.error === 'string' ? response.error : undefined;
}
