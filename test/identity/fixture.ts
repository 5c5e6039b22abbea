import { randomUUID } from 'node:crypto';
import { loadTestTls } from '../support/test-certificate.js';
import {
  startTokenEndpoint,
  type RegisteredClient,
  type TokenEndpoint,
} from '../support/token-endpoint.js';

export const PARTNER_CENTER_SCOPE = 'https://api.partnercenter.microsoft.com/.default';

export interface IdentityFixture {
  readonly endpoint: TokenEndpoint;
  readonly client: Required<Pick<RegisteredClient, 'clientId' | 'clientSecret'>>;
}

/** A local Entra ID with one app registration that has a client secret. */
export async function startIdentityFixture(
  extraClients: readonly RegisteredClient[] = [],
): Promise<IdentityFixture> {
  const client = { clientId: randomUUID(), clientSecret: `secret-${randomUUID()}` };
  const endpoint = await startTokenEndpoint({
    tls: await loadTestTls(),
    clients: [client, ...extraClients],
  });
  return { endpoint, client };
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
