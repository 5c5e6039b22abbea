import {
  type AuthorityValidationOptions,
  type MultiTenantTokenCredentialOptions,
  OnBehalfOfCredential,
  type OnBehalfOfCredentialSecretOptions,
  type TokenCredential,
} from '@azure/identity';

/** The app registration that exchanges a caller's token for a Partner Center one. */
export interface OnBehalfOfSettings {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Defaults to `https://login.microsoftonline.com`; must be https. */
  readonly authorityHost?: string;
}

/**
 * App+User by On-Behalf-Of: the inbound caller's user token (issued for this app) is exchanged
 * for a Partner Center token for the same user. Made per request, because the assertion is the
 * caller's; constructing one makes no network call. The caller must have signed in with MFA:
 * Partner Center refuses App+User tokens without it.
 */
export function createOnBehalfOfCredential(
  settings: OnBehalfOfSettings,
  userAssertionToken: string,
): TokenCredential {
  // Typed apart from the call: the constructor's overloads omit AuthorityValidationOptions,
  // which the credential nonetheless reads (it passes its options on to MSAL).
  const options: OnBehalfOfCredentialSecretOptions &
    MultiTenantTokenCredentialOptions &
    AuthorityValidationOptions = {
    tenantId: settings.tenantId,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    userAssertionToken,
    ...(settings.authorityHost !== undefined && { authorityHost: settings.authorityHost }),
    // The authority comes from configuration; it is not validated against the public cloud's
    // instance discovery endpoint (unreachable from tests and irrelevant to sovereign clouds).
    disableInstanceDiscovery: true,
  };
  return new OnBehalfOfCredential(options);
}
