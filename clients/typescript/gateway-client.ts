/**
 * A typed client of the Partner Qualifications Gateway: openapi-fetch over the types
 * openapi-typescript generated from docs/openapi.json (gateway-api.ts), plus what every caller
 * would otherwise write itself — a bearer token from an `@azure/identity` credential, the
 * function key, and an `Idempotency-Key` on every POST.
 */
import type { AccessToken, TokenCredential } from '@azure/identity';
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, paths } from './gateway-api.js';

export type { components, operations, paths } from './gateway-api.js';

/** RFC 9457 problem details: the body of every error answer (`error` in a result). */
export type ProblemDetails = components['schemas']['ProblemDetails'];
export type CreateQualificationRequest = components['schemas']['CreateQualificationRequest'];
export type Qualification = components['schemas']['Qualification'];
export type CustomerQualifications = components['schemas']['CustomerQualifications'];

export type GatewayClient = Client<paths>;

export interface GatewayClientOptions {
  /** The API base, e.g. `https://<app>.azurewebsites.net/api/v1` or `http://127.0.0.1:7071/api/v1`. */
  readonly baseUrl: string;
  /**
   * Where the gateway requires Entra ID tokens: a credential (`DefaultAzureCredential`,
   * `ManagedIdentityCredential`, `ClientSecretCredential`…) and the gateway's scope, e.g.
   * `api://partner-qualifications-gateway/.default`. Omit against a local run (auth off).
   */
  readonly auth?: { readonly credential: TokenCredential; readonly scope: string };
  /** The Function App's function key (`x-functions-key`), where the routes require one. */
  readonly functionKey?: string | undefined;
  /** Makes the key a POST without one gets; a random UUID by default. */
  readonly newIdempotencyKey?: () => string;
  readonly fetch?: (request: Request) => Promise<Response>;
}

const IDEMPOTENCY_KEY = 'idempotency-key';

/**
 * The client. Every method answers `{ data, error, response }`: `data` typed by the success
 * status, `error` a {@link ProblemDetails}. A POST without an `idempotency-key` header gets a
 * fresh key, so that the gateway records its answer; to retry a POST whose answer was lost, pass
 * a key of your own (e.g. from your order id) and send the same key again.
 */
export function createGatewayClient(options: GatewayClientOptions): GatewayClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl,
    ...(options.fetch && { fetch: options.fetch }),
  });
  if (options.auth) client.use(bearerToken(options.auth.credential, options.auth.scope));
  if (options.functionKey !== undefined) client.use(functionKey(options.functionKey));
  client.use(idempotencyKeyOnPost(options.newIdempotencyKey ?? (() => crypto.randomUUID())));
  return client;
}

/**
 * True for a problem details body. The types promise one for every error status the gateway
 * documents; what a proxy or load balancer in front of it answers (an HTML 502, say) is not.
 */
export function isProblemDetails(value: unknown): value is ProblemDetails {
  if (typeof value !== 'object' || value === null) return false;
  const { type, title, status } = value as Record<string, unknown>;
  return typeof type === 'string' && typeof title === 'string' && typeof status === 'number';
}

/** Renews a token two minutes before it expires; credentials such as the Azure CLI's do not cache. */
const RENEW_BEFORE_MS = 120_000;

function bearerToken(credential: TokenCredential, scope: string): Middleware {
  let cached: AccessToken | undefined;
  let pending: Promise<AccessToken> | undefined;
  const token = async (): Promise<string> => {
    if (cached && cached.expiresOnTimestamp - Date.now() > RENEW_BEFORE_MS) return cached.token;
    pending ??= credential
      .getToken(scope)
      .then((got) => {
        if (got === null) throw new Error(`The credential returned no token for ${scope}`);
        cached = got;
        return got;
      })
      .finally(() => (pending = undefined));
    return (await pending).token;
  };
  return {
    async onRequest({ request }) {
      request.headers.set('authorization', `Bearer ${await token()}`);
      return request;
    },
  };
}

function functionKey(key: string): Middleware {
  return {
    onRequest({ request }) {
      request.headers.set('x-functions-key', key);
      return request;
    },
  };
}

function idempotencyKeyOnPost(newKey: () => string): Middleware {
  return {
    onRequest({ request }) {
      if (request.method === 'POST' && !request.headers.has(IDEMPOTENCY_KEY)) {
        request.headers.set(IDEMPOTENCY_KEY, newKey());
      }
      return request;
    },
  };
}
