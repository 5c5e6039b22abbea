import type { GetTokenOptions } from '@azure/identity';

type AbortSignalLike = NonNullable<GetTokenOptions['abortSignal']>;

/**
 * `promise`, or an AbortError as soon as `signal` aborts: the caller stops waiting, while the
 * work itself goes on for whoever else waits on it.
 */
export function abandonable<T>(
  promise: Promise<T>,
  signal: AbortSignalLike | undefined,
): Promise<T> {
  if (signal === undefined) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      reject(Object.assign(new Error('The operation was aborted'), { name: 'AbortError' }));
    };
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort);
    void promise.then(resolve, reject).finally(() => {
      signal.removeEventListener('abort', onAbort);
    });
  });
}
