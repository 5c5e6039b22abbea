import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';

/**
 * A credential made on its first token request, so that the module behind it (`@azure/identity`
 * and MSAL, Key Vault) is loaded then and not when the process starts: a cold start pays only for
 * what its first requests use. A failed make is tried again on the next request.
 */
export function lazyCredential(make: () => Promise<TokenCredential>): TokenCredential {
  let made: Promise<TokenCredential> | undefined;
  return {
    async getToken(
      scopes: string | string[],
      options?: GetTokenOptions,
    ): Promise<AccessToken | null> {
      const pending = (made ??= make());
      let credential: TokenCredential;
      try {
        credential = await pending;
      } catch (error) {
        if (made === pending) made = undefined;
        throw error;
      }
      return credential.getToken(scopes, options);
    },
  };
}
