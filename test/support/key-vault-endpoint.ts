import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { readRequestBody } from '../../dev/http-message.js';
import type { TestTls } from './test-certificate.js';

/**
 * Just enough of the Key Vault secrets REST API (get the newest version, set a new one) for the
 * real `@azure/keyvault-secrets` client, on https loopback. Like Key Vault it answers a request
 * without a token with the bearer challenge naming the tenant's authority, and it accepts only
 * access tokens the local token endpoint issued for `https://vault.azure.net` in that tenant.
 */
export const KEY_VAULT_RESOURCE = 'https://vault.azure.net';

export interface SecretVersion {
  readonly version: string;
  readonly value: string;
  readonly contentType?: string;
  /** Expiry in seconds since the epoch, as Key Vault keeps it. */
  readonly exp?: number;
  readonly tags?: Record<string, string>;
}

/** One request as the vault saw it; values and tokens are never recorded. */
export interface VaultRequest {
  readonly method: string;
  readonly path: string;
  readonly authorized: boolean;
  readonly status: number;
}

export interface KeyVaultEndpoint {
  /** `https://127.0.0.1:<port>`, the vault URL. */
  readonly url: string;
  readonly requests: readonly VaultRequest[];
  /** Adds a version, as an operator would with `az keyvault secret set`. */
  putSecret(name: string, value: string): void;
  /** Oldest first. */
  versions(name: string): readonly SecretVersion[];
  /** Answers every request of `method` (or all) with this status until cleared. */
  fail(status: 403 | 503 | undefined, method?: 'GET' | 'PUT'): void;
  close(): Promise<void>;
}

export interface KeyVaultEndpointOptions {
  readonly tls: TestTls;
  /** The token endpoint's authority host and tenant, named in the challenge. */
  readonly authorityHost: string;
  readonly tenantId: string;
}

const SECRET_PATH = /^\/secrets\/([0-9a-zA-Z-]{1,127})(?:\/([0-9a-f]{32})?)?\/?$/;

export async function startKeyVaultEndpoint(
  options: KeyVaultEndpointOptions,
): Promise<KeyVaultEndpoint> {
  const secrets = new Map<string, SecretVersion[]>();
  const requests: VaultRequest[] = [];
  let failure: { status: number; method: string | undefined } | undefined;
  let url = '';

  const bundle = (name: string, secret: SecretVersion): object => ({
    value: secret.value,
    id: `${url}/secrets/${name}/${secret.version}`,
    ...(secret.contentType !== undefined && { contentType: secret.contentType }),
    ...(secret.tags !== undefined && { tags: secret.tags }),
    attributes: {
      enabled: true,
      created: Math.floor(Date.now() / 1000),
      updated: Math.floor(Date.now() / 1000),
      recoveryLevel: 'Recoverable+Purgeable',
      ...(secret.exp !== undefined && { exp: secret.exp }),
    },
  });

  const addVersion = (name: string, secret: Omit<SecretVersion, 'version'>): SecretVersion => {
    const version = { ...secret, version: randomBytes(16).toString('hex') };
    secrets.set(name, [...(secrets.get(name) ?? []), version]);
    return version;
  };

  function authorized(request: IncomingMessage): boolean {
    const match = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '');
    const payload = match?.[1]?.split('.')[1];
    if (payload === undefined) return false;
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<
        string,
        unknown
      >;
      return (
        claims.aud === KEY_VAULT_RESOURCE &&
        claims.tid === options.tenantId &&
        typeof claims.exp === 'number' &&
        claims.exp * 1000 > Date.now()
      );
    } catch {
      return false;
    }
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<number> {
    const body = (await readRequestBody(request)).toString('utf8');
    const send = (status: number, payload?: object, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(payload === undefined ? undefined : JSON.stringify(payload));
      return status;
    };
    const error = (status: number, code: string, message: string) =>
      send(status, { error: { code, message } });

    if (!authorized(request)) {
      return send(401, undefined, {
        'www-authenticate': `Bearer authorization="${options.authorityHost}/${options.tenantId}", resource="${KEY_VAULT_RESOURCE}"`,
      });
    }
    const method = request.method ?? '';
    if (failure !== undefined && (failure.method === undefined || failure.method === method)) {
      return failure.status === 403
        ? error(403, 'Forbidden', 'Caller is not authorized to perform action on resource.')
        : error(503, 'ServiceUnavailable', 'The service is unavailable.');
    }
    const target = new URL(request.url ?? '/', url);
    const path = SECRET_PATH.exec(target.pathname);
    if (path === null || !target.searchParams.has('api-version')) {
      return error(400, 'BadParameter', 'Unknown request');
    }
    const name = path[1] ?? '';
    if (method === 'GET') {
      const versions = secrets.get(name) ?? [];
      const wanted = path[2];
      const found =
        wanted === undefined ? versions.at(-1) : versions.find((v) => v.version === wanted);
      if (found === undefined) {
        return error(404, 'SecretNotFound', `A secret with (name/id) ${name} was not found.`);
      }
      return send(200, bundle(name, found));
    }
    if (method === 'PUT' && path[2] === undefined) {
      const parsed = JSON.parse(body) as {
        value?: unknown;
        contentType?: string;
        tags?: Record<string, string>;
        attributes?: { exp?: number };
      };
      if (typeof parsed.value !== 'string') {
        return error(400, 'BadParameter', 'Property value is required.');
      }
      const added = addVersion(name, {
        value: parsed.value,
        ...(parsed.contentType !== undefined && { contentType: parsed.contentType }),
        ...(parsed.tags !== undefined && { tags: parsed.tags }),
        ...(parsed.attributes?.exp !== undefined && { exp: parsed.attributes.exp }),
      });
      return send(200, bundle(name, added));
    }
    return error(405, 'MethodNotAllowed', 'Method not allowed');
  }

  const server = createServer({ cert: options.tls.cert, key: options.tls.key }, (req, res) => {
    handle(req, res).then(
      (status) => {
        requests.push({
          method: req.method ?? '',
          path: new URL(req.url ?? '/', url).pathname,
          authorized: req.headers.authorization !== undefined,
          status,
        });
      },
      (error: unknown) => {
        res.writeHead(500).end(String(error));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${String((server.address() as AddressInfo).port)}`;

  return {
    url,
    requests,
    putSecret: (name, value) => {
      addVersion(name, { value });
    },
    versions: (name) => secrets.get(name) ?? [],
    fail: (status, method) => {
      failure = status === undefined ? undefined : { status, method };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
        server.closeAllConnections();
      }),
  };
}
