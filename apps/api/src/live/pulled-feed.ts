import { take, type Observable } from 'rxjs';
import { DEFAULT_SLICE_MS, Slices } from '@mmreplay/runs';

/**
 * A feed read at the pace of its reader: `next()` reads the store only when the consumer asks, a
 * page at a time, so a client that stops reading (a full socket) stops the reads too, and nothing
 * piles up in memory. `return()` ends it at once, even while it waits for the next append.
 */
export interface PulledFeed<T> extends AsyncIterableIterator<T> {
  return(): Promise<IteratorResult<T>>;
}

export interface FeedSource<T> {
  /** the next items from `cursor` (empty: none yet); `last` true for the final item */
  readPage(cursor: bigint): Promise<{ items: T[]; next: bigint; last: boolean }>;
  /** fires once there may be items at `cursor` */
  appended(cursor: bigint): Observable<unknown>;
}

export function pulledFeed<T>(source: FeedSource<T>, start: bigint, onEnd: () => void): PulledFeed<T> {
  let cursor = start;
  let buffer: T[] = [];
  let finished = false;
  let stopWaiting: (() => void) | undefined;
  const end = () => {
    if (finished) return;
    finished = true;
    stopWaiting?.();
    onEnd();
  };
  const waitForAppend = () =>
    new Promise<void>((resolve, reject) => {
      const subscription = source
        .appended(cursor)
        .pipe(take(1))
        .subscribe({ next: () => resolve(), error: reject, complete: () => resolve() });
      stopWaiting = () => {
        subscription.unsubscribe();
        resolve();
      };
    });
  let lastSeen = false;
  // A store that answers synchronously (SQLite) and a consumer that never waits would chain
  // promises without end: between pages the event loop gets a turn once a slice is used up.
  const slices = new Slices(DEFAULT_SLICE_MS);
  const feed: PulledFeed<T> = {
    async next(): Promise<IteratorResult<T>> {
      try {
        while (!finished && buffer.length === 0) {
          if (lastSeen) {
            end();
            break;
          }
          if (slices.due) await slices.pause();
          const page = await source.readPage(cursor);
          if (finished) break;
          buffer = page.items;
          cursor = page.next;
          lastSeen = page.last;
          if (buffer.length === 0 && !lastSeen) await waitForAppend();
        }
      } catch (e) {
        end();
        throw e;
      }
      if (buffer.length === 0) {
        end();
        return { done: true, value: undefined };
      }
      return { done: false, value: buffer.shift()! };
    },
    async return(): Promise<IteratorResult<T>> {
      end();
      buffer = [];
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return feed;
    },
  };
  return feed;
}
