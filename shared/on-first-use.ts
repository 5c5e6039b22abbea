/**
 * `make`, run by the first caller and shared by every caller after it; a make that fails is
 * forgotten, so that the next caller tries again instead of meeting the same failure for good.
 */
export function onFirstUse<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => {
    const pending = (made ??= make());
    pending.catch(() => {
      if (made === pending) made = undefined;
    });
    return pending;
  };
}

/** `make`, run by the first caller; every caller after it gets what it made. */
export function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}
