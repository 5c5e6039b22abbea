import { randomUUID } from 'node:crypto';
import type { LogProperties, Logger } from '../../shared/logging/logger.js';
import { loadTestTls } from '../support/test-certificate.js';
import {
  GRANT,
  startTokenEndpoint,
  type RegisteredClient,
  type TokenEndpoint,
  type TokenEndpointOptions,
} from '../support/token-endpoint.js';

export const PARTNER_CENTER_SCOPE = 'https://api.partnercenter.microsoft.com/.default';

export interface IdentityFixture {
  readonly endpoint: TokenEndpoint;
  readonly client: Required<Pick<RegisteredClient, 'clientId' | 'clientSecret'>>;
}

/** A local Entra ID with one app registration that has a client secret. */
export async function startIdentityFixture(
  extraClients: readonly RegisteredClient[] = [],
  options: Pick<TokenEndpointOptions, 'managedIdentity'> = {},
): Promise<IdentityFixture> {
  const client = { clientId: randomUUID(), clientSecret: `secret-${randomUUID()}` };
  const endpoint = await startTokenEndpoint({
    tls: await loadTestTls(),
    clients: [client, ...extraClients],
    ...options,
  });
  return { endpoint, client };
}

/** The app registration's settings, as a credential of the Partner Center app is given them. */
export function theApp(fixture: IdentityFixture): {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  authorityHost: string;
} {
  return {
    tenantId: fixture.endpoint.tenantId,
    clientId: fixture.client.clientId,
    clientSecret: fixture.client.clientSecret,
    authorityHost: fixture.endpoint.authorityHost,
  };
}

/**
 * Each refresh token redemption as [which issued refresh token it presented (1 = the first),
 * the status it got], oldest first.
 */
export function refreshTokenRedemptions(endpoint: TokenEndpoint): [number | undefined, number][] {
  return endpoint.tokenRequests(GRANT.refreshToken).map((r) => [r.refreshTokenSerial, r.status]);
}

/** The claims of a JWT-shaped token (the local endpoint does not sign its tokens). */
export function claimsOf(token: string): Record<string, unknown> {
  const payload = token.split('.')[1];
  if (payload === undefined) throw new Error('not a JWT-shaped token');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** Every message and own property along an error's cause chain, as one string. */
export function everythingIn(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 10; depth++) {
    if (current instanceof Error) {
      parts.push(String(current.stack));
      for (const name of Object.getOwnPropertyNames(current)) {
        if (name !== 'cause')
          parts.push(String((current as unknown as Record<string, unknown>)[name]));
      }
      current = current.cause;
    } else {
      parts.push(JSON.stringify(current));
      break;
    }
  }
  return parts.join('\n');
}

/** Every line logged, properties included, for assertions on what reached the logs. */
export class RecordingLogger implements Logger {
  readonly lines: string[] = [];
  info(message: string, properties?: LogProperties): void {
    this.lines.push(`${message} ${JSON.stringify(properties ?? {})}`);
  }
  warn(message: string, properties?: LogProperties): void {
    this.info(message, properties);
  }
  error(message: string, properties?: LogProperties): void {
    this.info(message, properties);
  }
}
