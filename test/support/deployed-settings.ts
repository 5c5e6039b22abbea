import type { IdentityFixture } from '../identity/fixture.js';
import type { EntraIdFixture } from './entra-id-fixture.js';

/**
 * The settings of a real deployment, locally: inbound Entra ID tokens required (validated against
 * `entra`), and the app-only client-secret credential towards the local https token endpoint of
 * `identity`. Tests add the App+User identity they exercise.
 */
export function deployedSettings(
  entra: EntraIdFixture,
  identity: IdentityFixture,
): Record<string, string> {
  return {
    AUTH_AUDIENCE: entra.audience,
    AUTH_TENANT_ID: entra.tenantId,
    AUTH_ISSUER: entra.issuer,
    AUTH_JWKS_URI: entra.jwksUri,
    PARTNER_CENTER_CREDENTIAL: 'client-secret',
    PARTNER_CENTER_TENANT_ID: identity.endpoint.tenantId,
    PARTNER_CENTER_CLIENT_ID: identity.client.clientId,
    PARTNER_CENTER_CLIENT_SECRET: identity.client.clientSecret,
    PARTNER_CENTER_AUTHORITY_HOST: identity.endpoint.authorityHost,
  };
}
