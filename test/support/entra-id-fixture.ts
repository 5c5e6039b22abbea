import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  exportJWK,
  exportSPKI,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTHeaderParameters,
  type JWTPayload,
} from 'jose';
import { unsignedJwt } from './token-endpoint.js';

/** What `mintToken` changes from a valid token. A claim or header set to undefined is left out. */
export interface MintOverrides {
  readonly claims?: Readonly<Record<string, unknown>>;
  readonly header?: Readonly<Record<string, unknown>>;
  /** Signs with this key instead of the published one (an HMAC secret when `alg` is HS*). */
  readonly key?: CryptoKey | Uint8Array;
  /** Lifetime from now; negative for a token that has already expired. Default 3600. */
  readonly expiresInSeconds?: number;
}

export interface EntraIdFixture {
  /** `http://127.0.0.1:<port>`, standing in for `https://login.microsoftonline.com`. */
  readonly url: string;
  readonly tenantId: string;
  readonly issuer: string;
  readonly jwksUri: string;
  /** The application id URI tokens are minted for. */
  readonly audience: string;
  /** The kid of the key tokens are signed with now. */
  readonly currentKid: () => string;
  readonly mintToken: (overrides?: MintOverrides) => Promise<string>;
  /** `alg: none`, no signature. */
  readonly mintUnsignedToken: () => string;
  /** HS256 with the published public key (its SPKI PEM, or its JWK JSON) as the HMAC secret. */
  readonly mintHs256WithPublicKey: (encoding?: 'pem' | 'jwk') => Promise<string>;
  /** The secret such a token was made with, to show the attack token really verifies. */
  readonly publicKeyBytes: (encoding: 'pem' | 'jwk') => Promise<Uint8Array>;
  /** Signed by a key that is not in the key set. */
  readonly mintWithUnknownKey: () => Promise<string>;
  readonly mintExpired: () => Promise<string>;
  readonly mintNotYetValid: () => Promise<string>;
  readonly mintWrongAudience: () => Promise<string>;
  readonly mintWrongIssuer: () => Promise<string>;
  readonly mintWrongTenant: () => Promise<string>;
  /** Publishes a new signing key next to the old one and signs with it from now on. */
  readonly rotateSigningKey: () => Promise<string>;
  /** Requests to the key set endpoint so far, failed ones included. */
  readonly jwksFetchCount: () => number;
  /** false: the key set endpoint answers 503, as in an outage. */
  readonly setJwksAvailable: (available: boolean) => void;
  /** Holds every key set response back this long, as a hanging endpoint would. */
  readonly setJwksDelayMs: (delayMs: number) => void;
  readonly close: () => Promise<void>;
}

interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly publicJwk: JWK;
}

const AUDIENCE = 'api://partner-qualifications-gateway';
const CALLER_OID = '00000000-0000-0000-0000-0000000000aa';

async function newSigningKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'RS256' };
  return { kid, privateKey, publicKey, publicJwk };
}

/**
 * A local fake of Entra ID's key set endpoint and token issuer for tests: real HTTP on
 * loopback, real RS256 keys, and the attack tokens a gateway must refuse.
 */
export async function startEntraIdFixture(): Promise<EntraIdFixture> {
  const tenantId = randomUUID();
  const keys: SigningKey[] = [await newSigningKey(`fixture-${randomUUID()}`)];
  const signingKey = (): SigningKey => keys[keys.length - 1] as SigningKey;
  let fetchCount = 0;
  let available = true;
  let delayMs = 0;
  const pendingResponses = new Set<NodeJS.Timeout>();

  const jwksPath = `/${tenantId}/discovery/v2.0/keys`;
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url !== jwksPath) {
      response.writeHead(404).end();
      return;
    }
    fetchCount += 1;
    const respond = () => {
      if (!available) {
        response.writeHead(503, { 'content-type': 'text/plain' }).end('unavailable');
        return;
      }
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ keys: keys.map((key) => key.publicJwk) }));
    };
    if (delayMs === 0) {
      respond();
      return;
    }
    const timer = setTimeout(() => {
      pendingResponses.delete(timer);
      if (!response.destroyed) respond();
    }, delayMs);
    pendingResponses.add(timer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const issuer = `${url}/${tenantId}/v2.0`;

  const mintToken = async (overrides: MintOverrides = {}): Promise<string> => {
    const now = Math.floor(Date.now() / 1_000);
    const key = signingKey();
    const payload = withoutUndefined({
      iss: issuer,
      aud: AUDIENCE,
      tid: tenantId,
      // An application's access token: about the application itself (sub = oid), with roles.
      sub: CALLER_OID,
      oid: CALLER_OID,
      azp: '00000000-0000-0000-0000-0000000000bb',
      ver: '2.0',
      roles: ['Qualifications.Read'],
      iat: now,
      nbf: now,
      exp: now + (overrides.expiresInSeconds ?? 3_600),
      ...overrides.claims,
    }) as JWTPayload;
    const header = withoutUndefined({
      alg: 'RS256',
      typ: 'JWT',
      kid: key.kid,
      ...overrides.header,
    }) as JWTHeaderParameters;
    return new SignJWT(payload).setProtectedHeader(header).sign(overrides.key ?? key.privateKey);
  };

  const publicKeyBytes = async (encoding: 'pem' | 'jwk'): Promise<Uint8Array> => {
    const key = signingKey();
    const text =
      encoding === 'pem' ? await exportSPKI(key.publicKey) : JSON.stringify(key.publicJwk);
    return new TextEncoder().encode(text);
  };

  return {
    url,
    tenantId,
    issuer,
    jwksUri: `${url}${jwksPath}`,
    audience: AUDIENCE,
    currentKid: () => signingKey().kid,
    mintToken,
    mintUnsignedToken: () => {
      const now = Math.floor(Date.now() / 1_000);
      return unsignedJwt({
        iss: issuer,
        aud: AUDIENCE,
        tid: tenantId,
        sub: 'caller-subject',
        roles: ['Qualifications.Read', 'Qualifications.Write'],
        iat: now,
        exp: now + 3_600,
      });
    },
    mintHs256WithPublicKey: async (encoding = 'pem') =>
      mintToken({ header: { alg: 'HS256' }, key: await publicKeyBytes(encoding) }),
    publicKeyBytes,
    mintWithUnknownKey: async () => {
      const stranger = await newSigningKey(`unknown-${randomUUID()}`);
      return mintToken({ header: { kid: stranger.kid }, key: stranger.privateKey });
    },
    mintExpired: () => {
      const now = Math.floor(Date.now() / 1_000);
      return mintToken({ claims: { iat: now - 7_200, nbf: now - 7_200, exp: now - 3_600 } });
    },
    mintNotYetValid: () => {
      const now = Math.floor(Date.now() / 1_000);
      return mintToken({ claims: { nbf: now + 3_600, exp: now + 7_200 } });
    },
    mintWrongAudience: () => mintToken({ claims: { aud: 'api://some-other-api' } }),
    mintWrongIssuer: () =>
      mintToken({ claims: { iss: `https://login.microsoftonline.com/${tenantId}/v2.0` } }),
    mintWrongTenant: () => mintToken({ claims: { tid: randomUUID() } }),
    rotateSigningKey: async () => {
      const next = await newSigningKey(`fixture-${randomUUID()}`);
      keys.push(next);
      return next.kid;
    },
    jwksFetchCount: () => fetchCount,
    setJwksAvailable: (value) => {
      available = value;
    },
    setJwksDelayMs: (value) => {
      delayMs = value;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of pendingResponses) clearTimeout(timer);
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
        // Keep-alive connections from the validator's fetch would hold close() open.
        server.closeAllConnections();
      }),
  };
}

function withoutUndefined(record: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}
