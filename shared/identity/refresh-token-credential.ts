import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import {
  type AuthenticationResult,
  AuthError,
  ConfidentialClientApplication,
  type Configuration,
  InteractionRequiredAuthError,
  ServerError,
} from '@azure/msal-node';
import * as z from 'zod/mini';
import { silentLogger, type Logger } from '../logging/logger.js';
import { describeError, redactText } from '../logging/redact.js';
import { abandonable } from './abandonable.js';
import { msalConfiguration } from './msal-configuration.js';
import { RefreshTokenCredentialError } from './refresh-token-credential-error.js';
import type { RefreshTokenStore } from './refresh-token-store.js';
import '../zod-english.js';

export interface RefreshTokenCredentialOptions {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Defaults to `https://login.microsoftonline.com`; must be https. */
  readonly authorityHost?: string;
  readonly refreshTokenStore: RefreshTokenStore;
  /** An access token is renewed this long before it expires (default five minutes). */
  readonly refreshMarginMs?: number;
  /** Receives MSAL's warnings and errors, already redacted; silent by default. */
  readonly logger?: Logger;
  readonly now?: () => Date;
}

const DEFAULT_REFRESH_MARGIN_MS = 5 * 60_000;
const PREFIX = 'Partner Center App+User token (Secure Application Model)';

/** OAuth errors (RFC 6749 §5.2) that repeating the same request cannot cure. */
const CLIENT_ERRORS = new Set([
  'invalid_client',
  'unauthorized_client',
  'invalid_request',
  'invalid_scope',
  'unsupported_grant_type',
]);

const serializedCacheSchema = z.object({
  RefreshToken: z._default(
    z.record(z.string(), z.object({ secret: z.string().check(z.minLength(1)) })),
    {},
  ),
});

/**
 * App+User tokens for Partner Center from a refresh token a partner user obtained once, with MFA,
 * by consenting to the app. Every redemption returns a new refresh token, which is handed to the
 * store. Access tokens are cached until shortly before they expire, and concurrent callers share
 * one redemption: two at once would spend the same refresh token.
 */
export class RefreshTokenCredential implements TokenCredential {
  private readonly tokens = new Map<string, AccessToken>();
  private readonly inFlight = new Map<string, Promise<AccessToken>>();
  /** Redemptions for different scopes still run one after another, for the same reason. */
  private lastRedemption: Promise<unknown> = Promise.resolve();
  /** A rolled token the store would not take: used, and offered to it again, next time. */
  private unsaved: string | undefined;
  private readonly msal: Configuration;
  private readonly logger: Logger;
  private readonly now: () => Date;
  private readonly marginMs: number;

  constructor(private readonly options: RefreshTokenCredentialOptions) {
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? (() => new Date());
    this.marginMs = options.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;
    this.msal = msalConfiguration({ ...options, purpose: PREFIX }, this.logger);
  }

  getToken(scopes: string | string[], options: GetTokenOptions = {}): Promise<AccessToken> {
    const scopeList = Array.isArray(scopes) ? scopes : [scopes];
    if (scopeList.length === 0) return Promise.reject(new Error(`${PREFIX}: no scope requested`));
    const key = [...scopeList].sort().join(' ');
    const { claims } = options;
    const cached = claims === undefined ? this.freshToken(key) : undefined;
    if (cached !== undefined) return Promise.resolve(cached);

    let shared = claims === undefined ? this.inFlight.get(key) : undefined;
    if (shared === undefined) {
      const redemption = this.oneAtATime(() => this.redeem(scopeList, key, claims));
      if (claims === undefined) {
        this.inFlight.set(key, redemption);
        const forget = (): void => {
          if (this.inFlight.get(key) === redemption) this.inFlight.delete(key);
        };
        redemption.then(forget, forget);
      }
      shared = redemption;
    }
    // A caller giving up does not cancel the redemption the others are waiting for.
    return abandonable(shared, options.abortSignal);
  }

  private freshToken(key: string): AccessToken | undefined {
    const token = this.tokens.get(key);
    if (token === undefined) return undefined;
    const renewAt = Math.min(
      token.expiresOnTimestamp - this.marginMs,
      token.refreshAfterTimestamp ?? Number.POSITIVE_INFINITY,
    );
    return this.now().getTime() < renewAt ? token : undefined;
  }

  private oneAtATime<T>(task: () => Promise<T>): Promise<T> {
    const run = this.lastRedemption.then(task);
    this.lastRedemption = run.catch(() => undefined);
    return run;
  }

  private async redeem(scopes: string[], key: string, claims?: string): Promise<AccessToken> {
    const cached = claims === undefined ? this.freshToken(key) : undefined;
    if (cached !== undefined) return cached;

    const first = this.unsaved ?? (await this.loadStored());
    const presented = [first];
    let outcome = await this.exchange(first, scopes, claims);
    if (!outcome.ok && isRefused(outcome.error)) {
      // Another instance sharing the store may have rolled the token after it was read.
      this.unsaved = undefined;
      const stored = await this.loadStored();
      if (!presented.includes(stored)) {
        presented.push(stored);
        outcome = await this.exchange(stored, scopes, claims);
      }
    }
    if (!outcome.ok) throw this.failure(outcome.error, presented);

    const { result, rolled, used } = outcome;
    if (rolled !== undefined && rolled !== used) await this.keep(rolled);
    const token: AccessToken = {
      token: result.accessToken,
      expiresOnTimestamp: result.expiresOn?.getTime() ?? this.now().getTime(),
      tokenType: 'Bearer',
      ...(result.refreshOn !== undefined && { refreshAfterTimestamp: result.refreshOn.getTime() }),
    };
    this.tokens.set(key, token);
    return token;
  }

  private async exchange(
    refreshToken: string,
    scopes: string[],
    claims: string | undefined,
  ): Promise<
    | { ok: true; result: AuthenticationResult; rolled: string | undefined; used: string }
    | { ok: false; error: unknown }
  > {
    // A client per redemption: MSAL's cache then never outlives the call, and the store stays
    // the one place a refresh token is kept.
    const client = new ConfidentialClientApplication(this.msal);
    try {
      const result = await client.acquireTokenByRefreshToken({
        refreshToken,
        scopes,
        // Without an account already in the cache, MSAL would not cache (so not return) the
        // rolled refresh token.
        forceCache: true,
        ...(claims !== undefined && { claims }),
      });
      if (result === null) return { ok: false, error: new Error('MSAL returned no token') };
      const cache = serializedCacheSchema.safeParse(
        JSON.parse(client.getTokenCache().serialize()) as unknown,
      );
      const rolled = cache.success ? Object.values(cache.data.RefreshToken)[0]?.secret : undefined;
      return { ok: true, result, rolled, used: refreshToken };
    } catch (error) {
      return { ok: false, error };
    }
  }

  private async loadStored(): Promise<string> {
    try {
      return await this.options.refreshTokenStore.load();
    } catch (error) {
      throw new RefreshTokenCredentialError(
        `${PREFIX}: the refresh token could not be read from its store.`,
        'unavailable',
        true,
        { cause: new Error(this.scrub(describeError(error))) },
      );
    }
  }

  private async keep(rolled: string): Promise<void> {
    try {
      await this.options.refreshTokenStore.save(rolled);
      this.unsaved = undefined;
    } catch (error) {
      this.unsaved = rolled;
      this.logger.error(`${PREFIX}: the new refresh token could not be saved; kept in memory`, {
        error: this.scrub(describeError(error), rolled),
      });
    }
  }

  private failure(error: unknown, presented: readonly string[]): RefreshTokenCredentialError {
    const code = error instanceof AuthError ? error.errorCode : 'unexpected_error';
    const details =
      error instanceof AuthError ? `${error.name}: ${error.errorMessage}` : describeError(error);
    const cause = new Error(this.scrub(details.replace(/\s*\r?\n\s*/g, ' '), ...presented));
    if (isRefused(error)) {
      return new RefreshTokenCredentialError(
        `${PREFIX}: Entra ID refused the refresh token (${code}); it has expired, been revoked ` +
          'or been replaced. Re-run consent: a partner admin signs in to the app once with MFA, ' +
          'and the refresh token that consent produces replaces the stored one.',
        'consent-required',
        false,
        { cause },
      );
    }
    if (error instanceof ServerError && CLIENT_ERRORS.has(code)) {
      return new RefreshTokenCredentialError(
        `${PREFIX}: Entra ID refused the app's request (${code}). Check the tenant id and ` +
          'client id, and that the client secret or certificate is current.',
        'client-rejected',
        false,
        { cause },
      );
    }
    return new RefreshTokenCredentialError(
      `${PREFIX}: the token endpoint could not be used (${code}); try again later.`,
      'unavailable',
      true,
      { cause },
    );
  }

  /** Removes the secrets this credential knows of, then anything secret-shaped. */
  private scrub(text: string, ...tokens: string[]): string {
    let result = text;
    for (const secret of [this.options.clientSecret, this.unsaved, ...tokens]) {
      if (secret !== undefined && secret !== '') result = result.replaceAll(secret, '[REDACTED]');
    }
    return redactText(result);
  }
}

function isRefused(error: unknown): boolean {
  return (
    error instanceof InteractionRequiredAuthError ||
    (error instanceof AuthError && error.errorCode === 'invalid_grant')
  );
}
