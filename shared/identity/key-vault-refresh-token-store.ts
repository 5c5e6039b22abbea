import type { TokenCredential } from '@azure/identity';
import {
  parseKeyVaultSecretIdentifier,
  SecretClient,
  type SecretClientOptions,
} from '@azure/keyvault-secrets';
import type { RefreshTokenStore } from './refresh-token-store.js';
import { secretIdentifierProblems } from './secret-identifier.js';
import { systemClock } from '../domain/clock.js';
import type { Clock } from '../domain/ports.js';

/** Entra ID lets a refresh token go unused this long before it stops accepting it. */
export const REFRESH_TOKEN_LIFETIME_DAYS = 90;

const DEFAULT_TIMEOUT_MS = 10_000;
const CONTENT_TYPE = 'application/vnd.partner-center.refresh-token';
const DAY_MS = 24 * 3_600_000;

export interface KeyVaultRefreshTokenStoreOptions {
  /** Deadline of one Key Vault call, the SDK's own retries included; default 10 s. */
  readonly timeoutMs?: number;
  /** Tells the time a written secret expires from; the system's by default. */
  readonly clock?: Clock;
}

/**
 * The Secure Application Model refresh token as a Key Vault secret: every instance reads its
 * latest version and writes each rolled token as a new one, so the token keeps sliding across
 * restarts and scale-out. Each version expires when Entra ID would stop accepting it, so Key
 * Vault's near-expiry event (Event Grid `SecretNearExpiry`) warns while there is still time to
 * renew consent — it can only fire if the gateway has not redeemed the token for 60 days.
 *
 * The gateway's managed identity needs "Key Vault Secrets Officer" on the secret (get and set).
 */
export class KeyVaultRefreshTokenStore implements RefreshTokenStore {
  private readonly timeoutMs: number;
  private readonly clock: Clock;

  constructor(
    private readonly client: SecretClient,
    private readonly secretName: string,
    options: KeyVaultRefreshTokenStoreOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.clock = options.clock ?? systemClock;
  }

  async load(): Promise<string> {
    const secret = await this.client.getSecret(this.secretName, {
      abortSignal: AbortSignal.timeout(this.timeoutMs),
    });
    const value = secret.value?.trim() ?? '';
    if (value === '') {
      throw new Error(`the Key Vault secret '${this.secretName}' has no value`);
    }
    return value;
  }

  async save(token: string): Promise<void> {
    await this.client.setSecret(this.secretName, token, {
      contentType: CONTENT_TYPE,
      expiresOn: new Date(this.clock.now().getTime() + REFRESH_TOKEN_LIFETIME_DAYS * DAY_MS),
      tags: { writtenBy: 'partner-qualifications-gateway' },
      abortSignal: AbortSignal.timeout(this.timeoutMs),
    });
  }
}

/** The store for a secret identifier such as `https://my-vault.vault.azure.net/secrets/name`. */
export function createKeyVaultRefreshTokenStore(
  secretUri: string,
  credential: TokenCredential,
  clientOptions: SecretClientOptions = {},
  options: KeyVaultRefreshTokenStoreOptions = {},
): KeyVaultRefreshTokenStore {
  const problems = secretIdentifierProblems(secretUri);
  if (problems.length > 0) {
    throw new Error(`Invalid Key Vault secret identifier: ${problems.join('; ')}`);
  }
  const { vaultUrl, name } = parseKeyVaultSecretIdentifier(secretUri);
  return new KeyVaultRefreshTokenStore(
    new SecretClient(vaultUrl, credential, clientOptions),
    name,
    options,
  );
}
