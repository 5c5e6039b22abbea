import type { TokenCredential } from '@azure/identity';
import type { SecretClientOptions } from '@azure/keyvault-secrets';
import { systemClock } from '../domain/clock.js';
import type { CallContext, Clock } from '../domain/ports.js';
import type { Logger } from '../logging/logger.js';
import type { AppOnlyCredentialKind, AppUserCredentialKind } from './credential-kinds.js';
import { lazyCredential } from './lazy-credential.js';
import { InMemoryRefreshTokenStore, type RefreshTokenStore } from './refresh-token-store.js';
import { SimulatorCredential } from './simulator-credential.js';

// `@azure/identity`, MSAL and Key Vault are imported when a credential first asks for a token,
// never at start: most requests are served from storage and a cold start should not load them.

/** The settings the Partner Center identities are built from (validated by loadConfig). */
export interface PartnerCenterIdentityConfig {
  readonly credential: AppOnlyCredentialKind;
  readonly userCredential: AppUserCredentialKind;
  readonly tenantId: string | undefined;
  readonly clientId: string | undefined;
  readonly clientSecret: string | undefined;
  readonly certificatePath: string | undefined;
  readonly refreshToken: string | undefined;
  /** Key Vault secret holding the refresh token, read and rolled there (the production option). */
  readonly refreshTokenSecretUri: string | undefined;
  readonly authorityHost: string;
}

/** The app-only identity the gateway uses towards Partner Center: reads and the timer. */
export function createAppOnlyCredential(
  config: PartnerCenterIdentityConfig,
  clock: Clock = systemClock,
): TokenCredential {
  // The authority is configuration (public or sovereign cloud), not something to discover: no
  // instance discovery call to the public cloud, which sovereign clouds and tests cannot reach.
  const authority = { authorityHost: config.authorityHost, disableInstanceDiscovery: true };
  switch (config.credential) {
    case 'simulator':
      return new SimulatorCredential('app-only', clock);
    case 'managed-identity': {
      const clientId = config.clientId;
      return lazyCredential(async () => {
        const { ManagedIdentityCredential } = await import('@azure/identity');
        return clientId === undefined
          ? new ManagedIdentityCredential()
          : new ManagedIdentityCredential({ clientId });
      });
    }
    case 'client-certificate': {
      const [tenantId, clientId, certificatePath] = [
        required(config.tenantId),
        required(config.clientId),
        required(config.certificatePath),
      ];
      return lazyCredential(async () => {
        const { ClientCertificateCredential } = await import('@azure/identity');
        return new ClientCertificateCredential(tenantId, clientId, certificatePath, authority);
      });
    }
    case 'client-secret': {
      const [tenantId, clientId, clientSecret] = [
        required(config.tenantId),
        required(config.clientId),
        required(config.clientSecret),
      ];
      return lazyCredential(async () => {
        const { ClientSecretCredential } = await import('@azure/identity');
        return new ClientSecretCredential(tenantId, clientId, clientSecret, authority);
      });
    }
  }
}

/**
 * The App+User identity for submissions, per call: Partner Center accepts a qualification only
 * from a user (with MFA) acting through the app. Undefined when none can be had for this call.
 * `azureCredential` is the gateway's own identity in Azure (its managed identity), used for the
 * Key Vault that may hold the refresh token.
 */
export function createUserCredentialSource(
  config: PartnerCenterIdentityConfig,
  logger: Logger,
  azureCredential: () => TokenCredential,
  clock: Clock = systemClock,
): (call: CallContext) => TokenCredential | undefined {
  switch (config.userCredential) {
    case 'none':
      return () => undefined;
    case 'simulator': {
      const credential = new SimulatorCredential('app+user', clock);
      return () => credential;
    }
    case 'secure-application-model': {
      // One per process: it caches the access token and rolls the refresh token.
      const settings = appWithSecret(config);
      const refreshTokenStore = createRefreshTokenStore(config, azureCredential, {}, clock);
      const credential = lazyCredential(async () => {
        const { RefreshTokenCredential } = await import('./refresh-token-credential.js');
        return new RefreshTokenCredential({
          ...settings,
          refreshTokenStore,
          logger,
          clock,
        });
      });
      return () => credential;
    }
    case 'on-behalf-of': {
      const settings = appWithSecret(config);
      return (call) => {
        const callerToken = call.callerToken;
        if (callerToken === undefined) return undefined;
        return lazyCredential(async () => {
          const { createOnBehalfOfCredential } = await import('./on-behalf-of.js');
          return createOnBehalfOfCredential(settings, callerToken);
        });
      };
    }
  }
}

/**
 * Where the Secure Application Model keeps its refresh token: a Key Vault secret shared by every
 * instance when one is configured, otherwise the setting's value, rolled in this process only.
 */
export function createRefreshTokenStore(
  config: Pick<PartnerCenterIdentityConfig, 'refreshToken' | 'refreshTokenSecretUri'>,
  azureCredential: () => TokenCredential,
  secretClientOptions: SecretClientOptions = {},
  clock: Clock = systemClock,
): RefreshTokenStore {
  const secretUri = config.refreshTokenSecretUri;
  if (secretUri === undefined) return new InMemoryRefreshTokenStore(required(config.refreshToken));
  const credential = azureCredential();
  let vault: Promise<RefreshTokenStore> | undefined;
  const store = (): Promise<RefreshTokenStore> =>
    (vault ??= import('./key-vault-refresh-token-store.js').then(
      ({ createKeyVaultRefreshTokenStore }) =>
        createKeyVaultRefreshTokenStore(secretUri, credential, secretClientOptions, { clock }),
    ));
  return {
    load: async () => (await store()).load(),
    save: async (token) => (await store()).save(token),
  };
}

/** The Partner Center app and its client secret, as both App+User modes sign in with them. */
function appWithSecret(config: PartnerCenterIdentityConfig): {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  authorityHost: string;
} {
  return {
    tenantId: required(config.tenantId),
    clientId: required(config.clientId),
    clientSecret: required(config.clientSecret),
    authorityHost: config.authorityHost,
  };
}

function required(value: string | undefined): string {
  // loadConfig has already refused a configuration without it.
  if (value === undefined) throw new Error('credential setting missing after validation');
  return value;
}
