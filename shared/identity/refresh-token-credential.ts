import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import {
  type AuthenticationResult,
  ConfidentialClientApplication,
  type Configuration,
} from '@azure/msal-node';
import * as z from 'zod/mini';
import { systemClock } from '../domain/clock.js';
import type { Clock } from '../domain/ports.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import { describeError, redactText } from '../logging/redact.js';
import { abandonable } from './abandonable.js';
import { msalConfiguration } from './msal-configuration.js';
import { RefreshTokenCredentialError } from './refresh-token-credential-error.js';
import { isRefused, PREFIX, refreshTokenFailure } from './refresh-token-failure.js';
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
  /** Tells when an access token is due for renewal; the system's by default. */
  readonly clock?: Clock;
}

const DEFAULT_REFRESH_MARGIN_MS = 5 * 60_000;

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
  private readonly clock: Clock;
  private readonly marginMs: number;

  constructor(private readonly options: RefreshTokenCredentialOptions) {
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? systemClock;
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
    return this.clock.now().getTime() < renewAt ? token : undefined;
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
      expiresOnTimestamp: result.expiresOn?.getTime() ?? this.clock.now().getTime(),
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
    return refreshTokenFailure(error, (text) => this.scrub(text, ...presented));
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
