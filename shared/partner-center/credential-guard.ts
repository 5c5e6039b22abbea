import type { TokenCredential } from '@azure/identity';
import { systemClock } from '../domain/clock.js';
import type { Clock } from '../domain/ports.js';
import type {
  CredentialFailureCause,
  PartnerCenterIdentity,
  UpstreamFailure,
} from '../domain/upstream.js';
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
    clock: Clock = systemClock,
  ) {
    this.breaker = new CircuitBreaker(failureThreshold, openSeconds, clock);
  }

  /**
   * A token from `credential`, or why there is none: refused at once while this identity's
   * breaker is open, a timeout when the call's deadline passed, else what the failure means.
   */
  async token(
    credential: TokenCredential,
    scope: string,
    context: {
      readonly attemptSignal: AbortSignal;
      readonly callSignal: AbortSignal;
      readonly logger: Logger;
    },
  ): Promise<
    | { readonly ok: true; readonly token: string }
    | { readonly ok: false; readonly failure: UpstreamFailure; readonly retryable: boolean }
  > {
    const unavailable = (
      cause: CredentialFailureCause,
      retryAfterSeconds: number | undefined,
    ): UpstreamFailure => ({
      kind: 'credential-unavailable',
      identity: this.identity,
      cause,
      ...(retryAfterSeconds !== undefined && { retryAfterSeconds }),
    });
    const permit = this.tryAcquire();
    if (!permit.allowed) {
      return {
        ok: false,
        failure: unavailable(permit.cause, permit.retryAfterSeconds),
        retryable: false,
      };
    }
    try {
      const accessToken = await credential.getToken(scope, { abortSignal: context.attemptSignal });
      if (accessToken === null) throw new Error('the credential returned no token');
      this.succeeded(context.logger);
      return { ok: true, token: accessToken.token };
    } catch (error) {
      if (context.callSignal.aborted) {
        this.released();
        return { ok: false, failure: { kind: 'timeout' }, retryable: false };
      }
      const { cause, retryAfterSeconds } = this.failed(error, context.logger);
      // A refused credential (expired secret, consent to re-run) does not heal by retrying; an
      // unreachable one is retried only when it says it is transient.
      return {
        ok: false,
        failure: unavailable(cause, retryAfterSeconds),
        retryable: cause === 'unreachable' && isRetryable(error),
      };
    }
  }

  /** Whether a token may be asked for now; when not, why not and when to come back. */
  private tryAcquire(): CredentialPermit {
    const permit = this.breaker.tryAcquire();
    if (permit.allowed) return permit;
    const cause = this.failing ?? 'unreachable';
    return cause === 'unreachable'
      ? { allowed: false, cause, retryAfterSeconds: permit.retryAfterSeconds }
      : { allowed: false, cause };
  }

  private succeeded(logger: Logger): void {
    this.breaker.recordSuccess();
    if (this.failing !== undefined) {
      logger.info('Partner Center credential recovered', { identity: this.identity });
    }
    this.failing = undefined;
  }

  /** Records why getToken failed; returns what the call ends with. */
  private failed(
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

  /** A call given up while its token was being asked for: says nothing about the identity. */
  private released(): void {
    this.breaker.recordNeutral();
  }

  get status(): 'ok' | 'fail' {
    return this.failing === undefined ? 'ok' : 'fail';
  }
}

/**
 * What a credential error means. The Secure Application Model credential says so itself. The
 * @azure/identity credentials raise an AuthenticationError carrying Entra ID's status and OAuth
 * error, or (for errors MSAL raised) an AuthenticationRequiredError whose message starts with
 * the OAuth error; anything else means Entra ID could not be reached.
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
  if (typeof status === 'number' && (status === 429 || status >= 500)) return 'unreachable';
  const oauthError = oauthErrorOf(error);
  if (oauthError === undefined || !OAUTH_REFUSALS.has(oauthError)) return 'unreachable';
  // The caller's assertion (expired, for another app, without consent or MFA) is refused; the
  // gateway's own app would be refused with invalid_client or unauthorized_client instead.
  if (identity === 'on-behalf-of' && CALLER_ERRORS.has(oauthError)) return 'caller-refused';
  return 'refused';
}

/** OAuth 2.0 and Entra ID errors by which the token endpoint refuses a request. */
const OAUTH_REFUSALS = new Set([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'interaction_required',
  'consent_required',
  'login_required',
]);
const CALLER_ERRORS = new Set([
  'invalid_grant',
  'interaction_required',
  'consent_required',
  'login_required',
]);

function oauthErrorOf(error: Error): string | undefined {
  const response = 'errorResponse' in error ? error.errorResponse : undefined;
  if (typeof response === 'object' && response !== null && 'error' in response) {
    return typeof response.error === 'string' ? response.error : undefined;
  }
  if (error.name === 'AuthenticationRequiredError') return /^([a-z_]+):/.exec(error.message)?.[1];
  return undefined;
}

/** Credential errors that say they are transient (e.g. a token endpoint outage). */
function isRetryable(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && 'retryable' in error && error.retryable === true
  );
}
