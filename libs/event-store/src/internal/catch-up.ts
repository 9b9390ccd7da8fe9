import { Observable } from 'rxjs';
import type { RecordedEvent } from '@mmreplay/events';
import type { ChangeNotifier } from './notifier.js';

/** What a catch-up subscription reads from. Cursors are exclusive: "after this point". */
export interface CatchUpSource {
  /** Cursor to start after; undefined means from the very beginning. */
  initialCursor(): Promise<bigint | undefined>;
  /**
   * Up to `max` events after `cursor`, and the cursor to continue from. A filtered read returns
   * as cursor the point it has scanned to, so unmatched events are not scanned again.
   */
  readPage(cursor: bigint | undefined, max: number): Promise<{ events: RecordedEvent[]; next: bigint | undefined }>;
}

export interface CatchUpHooks {
  changes: ChangeNotifier;
  pageSize: number;
  /** Called when a subscription starts, with a function that ends it (used by `close()`); returns its release. */
  track(end: () => void): () => void;
}

const nextMacrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * History then live events, from one loop over the log: read a page after the cursor, deliver it,
 * and when a page comes back short wait for the next change. Live events are read from the log
 * like history, so the switch can neither skip nor repeat one.
 */
export function catchUp(source: CatchUpSource, hooks: CatchUpHooks): Observable<RecordedEvent> {
  return new Observable<RecordedEvent>((subscriber) => {
    let stopped = false;
    let pending: { cancel(): void } | undefined;
    const stop = () => {
      stopped = true;
      pending?.cancel();
    };
    const release = hooks.track(() => {
      stop();
      subscriber.complete();
    });

    const run = async () => {
      let cursor = await source.initialCursor();
      while (!stopped) {
        const seen = hooks.changes.version;
        const { events, next } = await source.readPage(cursor, hooks.pageSize);
        for (const event of events) {
          if (stopped) return;
          subscriber.next(event);
        }
        cursor = next;
        if (stopped) return;
        if (events.length >= hooks.pageSize) {
          await nextMacrotask();
          continue;
        }
        const wait = hooks.changes.wait(seen);
        pending = wait;
        await wait.promise;
        pending = undefined;
      }
    };
    run().then(
      () => release(),
      (error: unknown) => {
        release();
        if (!stopped) {
          stopped = true;
          subscriber.error(error);
        }
      },
    );

    return () => {
      stop();
      release();
    };
  });
}
