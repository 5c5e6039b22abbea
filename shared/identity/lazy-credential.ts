import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import { onFirstUse } from '../on-first-use.js';

/**
 * A credential made on its first token request, so that the module behind it (`@azure/identity`
 * and MSAL, Key Vault) is loaded then and not when the process starts: a cold start pays only for
 * what its first requests use. A failed make is tried again on the next request.
 */
export function lazyCredential(make: () => Promise<TokenCredential>): TokenCredential {
  const credential = onFirstUse(make);
  return {
    async getToken(
      scopes: string | string[],
      options?: GetTokenOptions,
    ): Promise<AccessToken | null> {
      return (await credential()).getToken(scopes, options);
    },
  };
}
