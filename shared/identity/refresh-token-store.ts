/**
 * Where the Secure Application Model refresh token lives. Every redemption returns a new token
 * (good for 90 days); the credential hands each one to `save` so that the window keeps sliding.
 */
export interface RefreshTokenStore {
  load(): Promise<string>;
  save(token: string): Promise<void>;
}

/**
 * The token in process memory, seeded from configuration (an app setting that is usually a Key
 * Vault reference). Each instance rolls its own copy, and a restarted one starts again from the
 * seed, which Entra ID stops accepting 90 days after the consent that produced it. The production
 * option is KeyVaultRefreshTokenStore (`PARTNER_CENTER_REFRESH_TOKEN_SECRET_URI`), shared by
 * every instance and surviving restarts.
 */
export class InMemoryRefreshTokenStore implements RefreshTokenStore {
  private token: string;

  constructor(seed: string) {
    if (seed.trim() === '') throw new Error('The refresh token seed is empty');
    this.token = seed.trim();
  }

  load(): Promise<string> {
    return Promise.resolve(this.token);
  }

  save(token: string): Promise<void> {
    this.token = token;
    return Promise.resolve();
  }
}
