import { AuthError, InteractionRequiredAuthError, ServerError } from '@azure/msal-node';
import { describeError } from '../logging/redact.js';
import { RefreshTokenCredentialError } from './refresh-token-credential-error.js';

/** How the Secure Application Model credential names itself in errors and logs. */
export const PREFIX = 'Partner Center App+User token (Secure Application Model)';

/** OAuth errors (RFC 6749 §5.2) that repeating the same request cannot cure. */
const CLIENT_ERRORS = new Set([
  'invalid_client',
  'unauthorized_client',
  'invalid_request',
  'invalid_scope',
  'unsupported_grant_type',
]);

/**
 * What a failed redemption of the refresh token means, and what to do about it: consent again,
 * fix the app's registration, or try later. `scrub` removes every secret from the cause's text.
 */
export function refreshTokenFailure(
  error: unknown,
  scrub: (text: string) => string,
): RefreshTokenCredentialError {
  const code = error instanceof AuthError ? error.errorCode : 'unexpected_error';
  const details =
    error instanceof AuthError ? `${error.name}: ${error.errorMessage}` : describeError(error);
  const cause = new Error(scrub(details.replace(/\s*\r?\n\s*/g, ' ')));
  if (isRefused(error)) {
    return new RefreshTokenCredentialError(
      `${PREFIX}: Entra ID refused the refresh token (${code}); it has expired, been revoked ` +
        'or been replaced. Re-run consent: a partner admin signs in to the app once with MFA, ' +
        'and the refresh token that consent produces replaces the stored one.',
      'consent-required',
      false,
      { cause },
    );
  }
  if (error instanceof ServerError && CLIENT_ERRORS.has(code)) {
    return new RefreshTokenCredentialError(
      `${PREFIX}: Entra ID refused the app's request (${code}). Check the tenant id and ` +
        'client id, and that the client secret or certificate is current.',
      'client-rejected',
      false,
      { cause },
    );
  }
  return new RefreshTokenCredentialError(
    `${PREFIX}: the token endpoint could not be used (${code}); try again later.`,
    'unavailable',
    true,
    { cause },
  );
}

/** Entra ID refused the refresh token itself (expired, revoked or replaced). */
export function isRefused(error: unknown): boolean {
  return (
    error instanceof InteractionRequiredAuthError ||
    (error instanceof AuthError && error.errorCode === 'invalid_grant')
  );
}
