import {
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  type TokenCredential,
} from '@azure/identity';
import type { SecretClientOptions } from '@azure/keyvault-secrets';
import type { CallContext } from '../domain/ports.js';
import type { Logger } from '../logging/logger.js';
import type { AppOnlyCredentialKind, AppUserCredentialKind } from './credential-kinds.js';
import { createOnBehalfOfCredential } from './on-behalf-of.js';
import { createKeyVaultRefreshTokenStore } from './key-vault-refresh-token-store.js';
import { RefreshTokenCredential } from './refresh-token-credential.js';
import { InMemoryRefreshTokenStore, type RefreshTokenStore } from './refresh-token-store.js';
import { SimulatorCredential } from './simulator-credential.js';

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
export function createAppOnlyCredential(config: PartnerCenterIdentityConfig): TokenCredential {
  // The authority is configuration (public or sovereign cloud), not something to discover: no
  // instance discovery call to the public cloud, which sovereign clouds and tests cannot reach.
  const authority = { authorityHost: config.authorityHost, disableInstanceDiscovery: true };
  switch (config.credential) {
    case 'simulator':
      return new SimulatorCredential('app-only');
    case 'managed-identity':
      return config.clientId === undefined
        ? new ManagedIdentityCredential()
        : new ManagedIdentityCredential({ clientId: config.clientId });
    case 'client-certificate':
      return new ClientCertificateCredential(
        required(config.tenantId),
        required(config.clientId),
        required(config.certificatePath),
        authority,
      );
    case 'client-secret':
      return new ClientSecretCredential(
        required(config.tenantId),
        required(config.clientId),
        required(config.clientSecret),
        authority,
      );
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
): (call: CallContext) => TokenCredential | undefined {
  switch (config.userCredential) {
    case 'none':
      return () => undefined;
    case 'simulator': {
      const credential = new SimulatorCredential('app+user');
      return () => credential;
    }
    case 'secure-application-model': {
      // One per process: it caches the access token and rolls the refresh token.
      const credential = new RefreshTokenCredential({
        ...appWithSecret(config),
        refreshTokenStore: createRefreshTokenStore(config, azureCredential),
        logger,
      });
      return () => credential;
    }
    case 'on-behalf-of': {
      const settings = appWithSecret(config);
      return (call) =>
        call.callerToken === undefined
          ? undefined
          : createOnBehalfOfCredential(settings, call.callerToken);
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
): RefreshTokenStore {
  return config.refreshTokenSecretUri !== undefined
    ? createKeyVaultRefreshTokenStore(
        config.refreshTokenSecretUri,
        azureCredential(),
        secretClientOptions,
      )
    : new InMemoryRefreshTokenStore(required(config.refreshToken));
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
