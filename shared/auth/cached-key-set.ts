import {
  createLocalJWKSet,
  errors,
  type CompactJWSHeaderParameters,
  type FlattenedJWSInput,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from 'jose';
import { systemClock } from '../domain/clock.js';
import type { Clock } from '../domain/ports.js';
import { KeySetFetchGate } from './key-set-fetch-gate.js';

export interface CachedKeySetOptions {
  /** How long a fetched key set is trusted before it is fetched again. */
  readonly cacheMaxAgeMs: number;
  /** Minimum time between two fetches (an unknown `kid`, or after a failure with no keys). */
  readonly cooldownMs: number;
  /** How long past `cacheMaxAgeMs` the last good keys stay usable while fetches fail. */
  readonly staleLimitMs: number;
  readonly timeoutMs: number;
  readonly clock?: Clock;
}

/** Backoff between background refreshes that fail, at most this long. */
const MAX_BACKOFF_MS = 10 * 60_000;

type LocalKeySet = ReturnType<typeof createLocalJWKSet>;

/**
 * The tenant's signing keys, fetched on first use and again once they are `cacheMaxAgeMs` old.
 * Unlike jose's remote key set, a refresh that fails does not throw the good keys away: they
 * keep validating tokens (for at most `staleLimitMs`), while the refresh is retried in the
 * background with exponential backoff. A token with an unknown `kid` (a key rollover) makes one
 * fetch at most once per cooldown; concurrent requests share every fetch.
 */
export class CachedKeySet {
  private keys: { readonly local: LocalKeySet; readonly fetchedAt: number } | undefined;
  private loading: Promise<void> | undefined;
  private lastFetchAt = Number.NEGATIVE_INFINITY;
  private failures = 0;
  private nextRefreshAt = 0;
  private readonly gate: KeySetFetchGate;
  private readonly now: () => number;

  constructor(
    private readonly url: URL,
    private readonly options: CachedKeySetOptions,
  ) {
    const clock = options.clock ?? systemClock;
    this.now = () => clock.now().getTime();
    this.gate = new KeySetFetchGate(options.cooldownMs, clock);
  }

  readonly getKey: JWTVerifyGetKey = async (
    header: CompactJWSHeaderParameters,
    token: FlattenedJWSInput,
  ) => {
    const now = this.now();
    const held = this.keys;
    if (
      held === undefined ||
      now - held.fetchedAt > this.options.cacheMaxAgeMs + this.options.staleLimitMs
    ) {
      await this.load();
    } else if (now - held.fetchedAt >= this.options.cacheMaxAgeMs && now >= this.nextRefreshAt) {
      // Due, but the keys in hand still serve: refresh without making anyone wait for it.
      this.load().catch(() => undefined);
    }
    try {
      return await this.current().local(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      // A new signing key: fetch again, unless a fetch is so recent that the key cannot be new.
      if (this.loading === undefined && this.now() - this.lastFetchAt < this.options.cooldownMs) {
        throw error;
      }
      await this.load();
      return this.current().local(header, token);
    }
  };

  private current(): NonNullable<CachedKeySet['keys']> {
    if (this.keys === undefined) throw new Error('the key set was used before it was loaded');
    return this.keys;
  }

  private load(): Promise<void> {
    this.loading ??= this.fetchKeys().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async fetchKeys(): Promise<void> {
    this.lastFetchAt = this.now();
    try {
      const response = await this.gate.fetch(this.url.href, {
        headers: new Headers({ accept: 'application/json' }),
        method: 'GET',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      const local = createLocalJWKSet((await response.json()) as JSONWebKeySet);
      this.keys = { local, fetchedAt: this.now() };
      this.failures = 0;
    } catch (error) {
      this.failures += 1;
      const backoff = this.options.cooldownMs * 2 ** (this.failures - 1);
      this.nextRefreshAt = this.now() + Math.min(backoff, MAX_BACKOFF_MS);
      throw error;
    }
  }
}
