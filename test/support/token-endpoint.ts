import { createHash, randomBytes, randomUUID, X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import type { TestTls } from './test-certificate.js';

/**
 * Just enough of Entra ID v2 for msal-node and the real @azure/identity credentials, on https
 * loopback. Refresh tokens rotate: each redemption issues a new one and retires the old one, so
 * reuse is `invalid_grant` (stricter than Entra, which lets an old one live until it expires; it
 * is what makes a credential that forgets to roll its token fail). Access tokens are unsigned
 * JWT-shaped strings whose claims the Partner Center simulator reads: `idtyp: "app"` for
 * app-only, `scp` and `amr` for user tokens.
 */
export const GRANT = {
  clientCredentials: 'client_credentials',
  refreshToken: 'refresh_token',
  onBehalfOf: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
} as const;

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

export interface RegisteredClient {
  readonly clientId: string;
  readonly clientSecret?: string;
  /** Certificate whose key signs client assertions (checked against `x5t#S256` or `x5t`). */
  readonly certificatePem?: string;
}

export interface TestUser {
  readonly oid: string;
  readonly upn: string;
  /** Authentication methods; a partner user of the Secure Application Model has `mfa`. */
  readonly amr: readonly string[];
}

export interface TokenEndpointOptions {
  readonly tls: TestTls;
  readonly clients: readonly RegisteredClient[];
  readonly tenantId?: string;
  /**
   * A user-assigned managed identity, served as App Service serves it to the app
   * (`IDENTITY_ENDPOINT` = `managedIdentityEndpoint`, `IDENTITY_HEADER` = `identityHeader`).
   */
  readonly managedIdentity?: { readonly clientId: string; readonly identityHeader: string };
  readonly accessTokenLifetimeSeconds?: number;
}

/** One request as the endpoint saw it; secrets and tokens are never recorded. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly grantType?: string;
  readonly clientId?: string;
  readonly scope?: string;
  readonly clientAuthentication?: 'secret' | 'assertion';
  /** Which issued refresh token was presented (1 = the first issued), never the token itself. */
  readonly refreshTokenSerial?: number;
  readonly status: number;
  readonly error?: string;
}

export interface TokenEndpoint {
  /** `https://127.0.0.1:<port>`, to pass as `authorityHost`. */
  readonly authorityHost: string;
  /** The App Service managed identity endpoint (`IDENTITY_ENDPOINT`), `<authorityHost>/msi/token`. */
  readonly managedIdentityEndpoint: string;
  readonly tenantId: string;
  readonly tokenUrl: string;
  readonly requests: readonly RecordedRequest[];
  /** The token POSTs, optionally of one grant type. */
  tokenRequests(grantType?: string): RecordedRequest[];
  /** The refresh token a partner user's one-time MFA consent would have produced. */
  issueRefreshToken(clientId: string, user?: Partial<TestUser>): string;
  /**
   * Accepts a token minted elsewhere (the inbound Entra ID stand-in) as an On-Behalf-Of assertion
   * for the app `audience`, as Entra ID accepts the tokens it issued itself.
   */
  trustUserAssertion(token: string, audience: string, user?: Partial<TestUser>): void;
  /** A token the gateway's caller would present: the assertion of an On-Behalf-Of exchange. */
  issueUserAssertion(audience: string, user?: Partial<TestUser>): string;
  revokeRefreshTokens(): void;
  /** Holds every token answer back this long (to make concurrent callers overlap). */
  setResponseDelay(ms: number): void;
  close(): Promise<void>;
}

interface IssuedRefreshToken {
  readonly serial: number;
  readonly clientId: string;
  readonly user: TestUser;
  active: boolean;
}

/** The refusals the endpoint gives, with Entra ID's status, OAuth error and AADSTS number. */
const REFUSALS = {
  unknownTenant: [400, 'invalid_request', 90002, 'Tenant not found.'],
  unknownClient: [400, 'unauthorized_client', 700016, 'Application not found in the directory.'],
  wrongSecret: [401, 'invalid_client', 7000215, 'Invalid client secret provided.'],
  wrongAssertion: [401, 'invalid_client', 700027, 'Client assertion failed validation.'],
  missingParameter: [400, 'invalid_request', 900144, 'The request body lacks a parameter:'],
  notDefaultScope: [400, 'invalid_scope', 1002012, 'The scope must end in /.default.'],
  deadRefreshToken: [400, 'invalid_grant', 70000, 'The grant is expired, revoked or redeemed.'],
  notOnBehalfOf: [400, 'invalid_request', 50027, 'requested_token_use must be on_behalf_of.'],
  unknownAssertion: [400, 'invalid_grant', 50013, 'Assertion failed signature validation.'],
  assertionForOtherApp: [400, 'invalid_grant', 50013, 'Assertion audience is another app.'],
  unsupportedGrant: [400, 'unsupported_grant_type', 70003, 'The grant type is not supported.'],
} as const satisfies Record<string, readonly [number, string, number, string]>;

class Refusal extends Error {
  readonly status: number;
  readonly error: string;
  readonly aadsts: number;

  constructor(kind: keyof typeof REFUSALS, detail = '') {
    const [status, error, aadsts, description] = REFUSALS[kind];
    super(`AADSTS${aadsts}: ${description}${detail === '' ? '' : ` ${detail}`}`);
    this.status = status;
    this.error = error;
    this.aadsts = aadsts;
  }
}

const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
export const unsignedJwt = (claims: object): string =>
  `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`;

export async function startTokenEndpoint(options: TokenEndpointOptions): Promise<TokenEndpoint> {
  const tenantId = options.tenantId ?? randomUUID();
  const lifetime = options.accessTokenLifetimeSeconds ?? 3600;
  const clients = new Map(options.clients.map((client) => [client.clientId, client]));
  const refreshTokens = new Map<string, IssuedRefreshToken>();
  const userAssertions = new Map<string, { readonly audience: string; readonly user: TestUser }>();
  const requests: RecordedRequest[] = [];
  let serial = 0;
  let responseDelayMs = 0;
  let authorityHost = '';
  const tokenUrl = (): string => `${authorityHost}/${tenantId}/oauth2/v2.0/token`;

  const userOf = (partial: Partial<TestUser> = {}): TestUser => ({
    oid: partial.oid ?? randomUUID(),
    upn: partial.upn ?? 'admin@partner.example',
    amr: partial.amr ?? ['pwd', 'mfa'],
  });

  const newRefreshToken = (clientId: string, user: TestUser): string => {
    // Shaped like Entra's ("0.A…") so the redactor's patterns are exercised for real.
    const token = `0.A${randomBytes(48).toString('base64url')}`;
    refreshTokens.set(token, { serial: ++serial, clientId, user, active: true });
    return token;
  };

  const accessToken = (clientId: string, scope: string, user?: TestUser): string => {
    const now = Math.floor(Date.now() / 1000);
    const audience = scope.split(' ').find((s) => !OIDC_SCOPES.has(s)) ?? '';
    const common = {
      aud: audience.replace(/\/[^/]*$/, ''),
      iss: `https://sts.windows.net/${tenantId}/`,
      tid: tenantId,
      appid: clientId,
      iat: now,
      nbf: now,
      exp: now + lifetime,
      // Unique token id: two tokens issued in the same second still differ.
      uti: randomBytes(16).toString('base64url'),
      ver: '1.0',
    };
    return unsignedJwt(
      user === undefined
        ? { ...common, idtyp: 'app', roles: [], oid: clientId, sub: clientId }
        : {
            ...common,
            idtyp: 'user',
            scp: 'user_impersonation',
            amr: user.amr,
            oid: user.oid,
            sub: user.oid,
            upn: user.upn,
          },
    );
  };

  const userTokens = (clientId: string, scope: string, user: TestUser): object => ({
    access_token: accessToken(clientId, scope, user),
    refresh_token: newRefreshToken(clientId, user),
    id_token: unsignedJwt({
      aud: clientId,
      iss: `${authorityHost}/${tenantId}/v2.0`,
      tid: tenantId,
      oid: user.oid,
      sub: user.oid,
      preferred_username: user.upn,
      iat: Math.floor(Date.now() / 1000),
      exp: Math.floor(Date.now() / 1000) + lifetime,
    }),
    client_info: encode({ uid: user.oid, utid: tenantId }),
  });

  async function authenticateClient(form: URLSearchParams): Promise<'secret' | 'assertion'> {
    const clientId = form.get('client_id') ?? '';
    const client = clients.get(clientId);
    if (client === undefined) {
      throw new Refusal('unknownClient', clientId);
    }
    const secret = form.get('client_secret');
    const assertion = form.get('client_assertion');
    if (secret !== null && client.clientSecret !== undefined && secret === client.clientSecret) {
      return 'secret';
    }
    if (assertion !== null && form.get('client_assertion_type') === ASSERTION_TYPE) {
      if (client.certificatePem !== undefined && (await assertionIsValid(assertion, client))) {
        return 'assertion';
      }
      throw new Refusal('wrongAssertion');
    }
    throw new Refusal('wrongSecret');
  }

  async function assertionIsValid(assertion: string, client: RegisteredClient): Promise<boolean> {
    const certificate = new X509Certificate(client.certificatePem ?? '');
    try {
      const header = decodeProtectedHeader(assertion);
      const thumbprints = [
        createHash('sha256').update(certificate.raw).digest('base64url'),
        createHash('sha1').update(certificate.raw).digest('base64url'),
      ];
      const presented = header['x5t#S256'] ?? header.x5t;
      if (typeof presented !== 'string' || !thumbprints.includes(presented)) return false;
      await jwtVerify(assertion, certificate.publicKey, {
        audience: tokenUrl(),
        issuer: client.clientId,
        subject: client.clientId,
        algorithms: ['PS256', 'RS256'],
        // msal-node rounds `nbf` to the nearest second; Entra ID allows minutes of skew.
        clockTolerance: 300,
      });
      return true;
    } catch {
      return false;
    }
  }

  function required(form: URLSearchParams, name: string): string {
    const value = form.get(name);
    if (value === null || value === '') {
      throw new Refusal('missingParameter', name);
    }
    return value;
  }

  function grant(
    grantType: string,
    form: URLSearchParams,
    clientId: string,
    scope: string,
  ): object {
    switch (grantType) {
      case GRANT.clientCredentials:
        if (!scope.endsWith('/.default')) {
          throw new Refusal('notDefaultScope');
        }
        return { access_token: accessToken(clientId, scope) };
      case GRANT.refreshToken: {
        const issued = refreshTokens.get(required(form, 'refresh_token'));
        if (issued?.active !== true || issued.clientId !== clientId) {
          throw new Refusal('deadRefreshToken');
        }
        issued.active = false;
        return userTokens(clientId, scope, issued.user);
      }
      case GRANT.onBehalfOf: {
        if (form.get('requested_token_use') !== 'on_behalf_of') {
          throw new Refusal('notOnBehalfOf');
        }
        const issued = userAssertions.get(required(form, 'assertion'));
        if (issued === undefined) {
          throw new Refusal('unknownAssertion');
        }
        if (issued.audience !== clientId && issued.audience !== `api://${clientId}`) {
          throw new Refusal('assertionForOtherApp');
        }
        return userTokens(clientId, scope, issued.user);
      }
      default:
        throw new Refusal('unsupportedGrant', grantType);
    }
  }

  async function token(
    request: IncomingMessage,
    path: string,
    tenant: string,
  ): Promise<[number, object, RecordedRequest]> {
    const form = new URLSearchParams(await readBody(request));
    const grantType = form.get('grant_type') ?? '';
    const clientId = form.get('client_id') ?? '';
    const scope = form.get('scope') ?? '';
    const presented = form.get('refresh_token');
    const seen = {
      method: 'POST',
      path,
      grantType,
      clientId,
      scope,
      ...(presented !== null && { refreshTokenSerial: refreshTokens.get(presented)?.serial ?? 0 }),
    };
    try {
      if (tenant !== tenantId) throw new Refusal('unknownTenant', tenant);
      const clientAuthentication = await authenticateClient(form);
      const tokens = grant(grantType, form, clientId, required(form, 'scope'));
      const body = {
        token_type: 'Bearer',
        scope: scope
          .split(' ')
          .filter((s) => !OIDC_SCOPES.has(s))
          .join(' '),
        expires_in: lifetime,
        ext_expires_in: lifetime,
        ...tokens,
      };
      return [200, body, { ...seen, clientAuthentication, status: 200 }];
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      const [traceId, correlationId] = [randomUUID(), randomUUID()];
      const body = {
        error: error.error,
        error_description: `${error.message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}`,
        error_codes: [error.aadsts],
        timestamp: new Date().toISOString(),
        trace_id: traceId,
        correlation_id: correlationId,
      };
      return [error.status, body, { ...seen, status: error.status, error: error.error }];
    }
  }

  function metadata(tenant: string): object {
    const authority = `${authorityHost}/${tenant}`;
    return {
      token_endpoint: `${authority}/oauth2/v2.0/token`,
      authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
      end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
      issuer: `${authority}/v2.0`,
      jwks_uri: `${authority}/discovery/v2.0/keys`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt'],
    };
  }

  /** App Service's managed identity protocol (api-version 2019-08-01), for one identity. */
  function managedIdentityToken(request: IncomingMessage): [number, object, RecordedRequest] {
    const url = new URL(request.url ?? '/', 'https://localhost');
    const resource = url.searchParams.get('resource') ?? '';
    const identity = options.managedIdentity;
    const clientId = url.searchParams.get('client_id') ?? identity?.clientId ?? '';
    const seen = { method: 'GET', path: url.pathname, grantType: 'managed_identity', clientId };
    const refuse = (status: number, error: string): [number, object, RecordedRequest] => [
      status,
      { error, error_description: error },
      { ...seen, scope: `${resource}/.default`, status, error },
    ];
    if (
      identity === undefined ||
      request.headers['x-identity-header'] !== identity.identityHeader
    ) {
      return refuse(401, 'invalid_identity_header');
    }
    if (url.searchParams.get('api-version') !== '2019-08-01' || resource === '') {
      return refuse(400, 'invalid_request');
    }
    if (clientId !== identity.clientId) return refuse(400, 'unknown_identity');
    const scope = `${resource}/.default`;
    const body = {
      access_token: accessToken(clientId, scope),
      expires_on: String(Math.floor(Date.now() / 1000) + lifetime),
      resource,
      token_type: 'Bearer',
      client_id: clientId,
    };
    return [200, body, { ...seen, scope, status: 200 }];
  }

  async function handle(request: IncomingMessage): Promise<[number, object, RecordedRequest]> {
    const path = new URL(request.url ?? '/', 'https://localhost').pathname;
    const seen = { method: request.method ?? '', path };
    if (request.method === 'GET' && path === '/msi/token') return managedIdentityToken(request);
    const tokenPath = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path);
    if (request.method === 'POST' && tokenPath?.[1] !== undefined) {
      if (responseDelayMs > 0) await delay(responseDelayMs);
      return token(request, path, tokenPath[1]);
    }
    const oidc = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(path);
    if (request.method === 'GET' && oidc?.[1] !== undefined) {
      return [200, metadata(oidc[1]), { ...seen, status: 200 }];
    }
    if (request.method === 'GET' && path === '/common/discovery/instance') {
      const host = new URL(authorityHost).host;
      const body = {
        tenant_discovery_endpoint: `${authorityHost}/${tenantId}/v2.0/.well-known/openid-configuration`,
        'api-version': '1.1',
        metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
      };
      return [200, body, { ...seen, status: 200 }];
    }
    return [404, { error: 'not_found' }, { ...seen, status: 404 }];
  }

  const server: Server = createServer(
    options.tls,
    (request: IncomingMessage, response: ServerResponse) => {
      handle(request)
        .then(([status, body, seen]) => {
          requests.push(seen);
          respond(response, status, body);
        })
        .catch((error: unknown) => {
          requests.push({ method: request.method ?? '', path: request.url ?? '', status: 500 });
          respond(response, 500, { error: 'server_error', error_description: String(error) });
        });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  authorityHost = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    authorityHost,
    managedIdentityEndpoint: `${authorityHost}/msi/token`,
    tenantId,
    tokenUrl: tokenUrl(),
    requests,
    tokenRequests: (grantType) =>
      requests.filter(
        (r) => r.grantType !== undefined && (grantType === undefined || r.grantType === grantType),
      ),
    issueRefreshToken: (clientId, user) => newRefreshToken(clientId, userOf(user)),
    trustUserAssertion: (token, audience, user) => {
      userAssertions.set(token, { audience, user: userOf(user) });
    },
    issueUserAssertion: (audience, user) => {
      const subject = userOf(user);
      const now = Math.floor(Date.now() / 1000);
      const assertion = unsignedJwt({
        aud: audience,
        iss: `https://sts.windows.net/${tenantId}/`,
        tid: tenantId,
        idtyp: 'user',
        scp: 'access_as_user',
        amr: subject.amr,
        oid: subject.oid,
        upn: subject.upn,
        iat: now,
        exp: now + lifetime,
      });
      userAssertions.set(assertion, { audience, user: subject });
      return assertion;
    },
    revokeRefreshTokens: () => {
      for (const issued of refreshTokens.values()) issued.active = false;
    },
    setResponseDelay: (ms) => {
      responseDelayMs = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (!server.listening) {
          resolve();
          return;
        }
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 64 * 1024) throw new Error('token request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function respond(response: ServerResponse, status: number, body: object): void {
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-ms-request-id': randomUUID(),
  });
  response.end(JSON.stringify(body));
}
