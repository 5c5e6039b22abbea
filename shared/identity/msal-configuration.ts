import { type Configuration, LogLevel } from '@azure/msal-node';
import { DEFAULT_AUTHORITY_HOST } from '../entra-id.js';
import type { Logger } from '../logging/logger.js';
import { redactText } from '../logging/redact.js';

/** The confidential client an MSAL application is built for. */
export interface MsalClientOptions {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Defaults to `https://login.microsoftonline.com`; must be https. */
  readonly authorityHost?: string;
  /** Names the credential in error messages. */
  readonly purpose: string;
}

/**
 * Everything MSAL would otherwise discover over the network is given to it, so it makes no
 * request but the token request itself (no instance discovery, no OpenID metadata).
 */
export function msalConfiguration(options: MsalClientOptions, logger: Logger): Configuration {
  const host = new URL(options.authorityHost ?? DEFAULT_AUTHORITY_HOST);
  if (host.protocol !== 'https:')
    throw new Error(`${options.purpose}: the authority host must be https`);
  if (!/^[\w.-]+$/.test(options.tenantId)) throw new Error(`${options.purpose}: invalid tenant id`);
  const authority = `${host.origin}/${options.tenantId}`;
  return {
    auth: {
      clientId: options.clientId,
      authority,
      clientSecret: options.clientSecret,
      knownAuthorities: [host.host],
      cloudDiscoveryMetadata: JSON.stringify({
        tenant_discovery_endpoint: `${authority}/v2.0/.well-known/openid-configuration`,
        'api-version': '1.1',
        metadata: [
          { preferred_network: host.host, preferred_cache: host.host, aliases: [host.host] },
        ],
      }),
      authorityMetadata: JSON.stringify({
        token_endpoint: `${authority}/oauth2/v2.0/token`,
        authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
        end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
        issuer: `${authority}/v2.0`,
        jwks_uri: `${authority}/discovery/v2.0/keys`,
      }),
    },
    system: {
      loggerOptions: {
        piiLoggingEnabled: false,
        logLevel: LogLevel.Warning,
        loggerCallback: (level, message, containsPii) => {
          if (containsPii) return;
          const line = `MSAL: ${redactText(message)}`;
          if (level === LogLevel.Error) logger.error(line);
          else logger.warn(line);
        },
      },
    },
  };
}
