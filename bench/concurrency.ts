/** Runs `work` for every item with at most `limit` in flight; the first failure rejects. */
export async function forEachConcurrently<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++];
      if (item !== undefined) await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

/** Calls `tick` every `everyMs` until the returned function is called. */
export function every(everyMs: number, tick: () => void): () => void {
  const timer = setInterval(tick, everyMs);
  return () => {
    clearInterval(timer);
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
