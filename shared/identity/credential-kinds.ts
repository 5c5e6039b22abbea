/** How the gateway proves its own (app-only) identity to Partner Center. */
export const APP_ONLY_CREDENTIALS = [
  'client-secret',
  'client-certificate',
  'managed-identity',
  'simulator',
] as const;
export type AppOnlyCredentialKind = (typeof APP_ONLY_CREDENTIALS)[number];
export const DEFAULT_APP_ONLY_CREDENTIAL: AppOnlyCredentialKind = 'client-secret';

/** How submissions get the App+User token Partner Center requires for them. */
export const APP_USER_CREDENTIALS = [
  'none',
  'simulator',
  'secure-application-model',
  'on-behalf-of',
] as const;
export type AppUserCredentialKind = (typeof APP_USER_CREDENTIALS)[number];
