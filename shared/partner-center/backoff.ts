/**
 * Delay before retry number `attempt` (1-based): exponential from `baseMs` with full jitter
 * around the nominal value, so that many instances retrying at once spread out.
 */
export function backoffDelayMs(attempt: number, baseMs: number, random = Math.random): number {
  const nominal = baseMs * 2 ** (attempt - 1);
  return Math.round(nominal / 2 + random() * nominal);
}

/** Seconds from a `Retry-After` header (delta-seconds or HTTP date); undefined if unusable. */
export function parseRetryAfter(header: string | undefined, now: Date): number | undefined {
  if (header === undefined) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  if (!/[A-Za-z]/.test(trimmed)) return undefined; // an HTTP date names its day and month
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now.getTime()) / 1000));
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
