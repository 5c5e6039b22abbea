/**
 * Merges streams of pages, each already in key order, into one stream in key order, in pages of
 * `pageSize`. Each stream's next page is read only when its last one is used up, so at most one
 * page per stream is held; the first pages are read side by side.
 */
export async function* mergeByKey<T>(
  streams: readonly AsyncIterable<readonly T[]>[],
  keyOf: (item: T) => string,
  pageSize: number,
): AsyncGenerator<T[]> {
  const cursors = streams.map((stream) => new Cursor(stream[Symbol.asyncIterator]()));
  let page: T[] = [];
  for (;;) {
    const used = cursors.filter((cursor) => cursor.usedUp());
    if (used.length > 0) await Promise.all(used.map((cursor) => cursor.fill()));
    let next: Cursor<T> | undefined;
    let nextKey = '';
    for (const cursor of cursors) {
      const head = cursor.head();
      if (head === undefined) continue;
      const key = keyOf(head);
      if (next === undefined || key < nextKey) {
        next = cursor;
        nextKey = key;
      }
    }
    if (next === undefined) break;
    page.push(next.take());
    if (page.length >= pageSize) {
      yield page;
      page = [];
    }
  }
  if (page.length > 0) yield page;
}

/** One stream's current page and place in it. */
class Cursor<T> {
  private page: readonly T[] = [];
  private at = 0;
  private done = false;

  constructor(private readonly pages: AsyncIterator<readonly T[]>) {}

  /** Reads pages (skipping empty ones) until there is an item or the stream ends. */
  async fill(): Promise<void> {
    while (!this.done && this.at >= this.page.length) {
      const next = await this.pages.next();
      if (next.done === true) this.done = true;
      else {
        this.page = next.value;
        this.at = 0;
      }
    }
  }

  /** Whether its page is used up while the stream may hold more. */
  usedUp(): boolean {
    return !this.done && this.at >= this.page.length;
  }

  head(): T | undefined {
    return this.at < this.page.length ? this.page[this.at] : undefined;
  }

  take(): T {
    const item = this.page[this.at++];
    if (item === undefined) throw new Error('take() past the end of the page');
    return item;
  }
}
