import type { Observable, Subscription } from 'rxjs';

/**
 * An Observable as the async iterator a GraphQL subscription returns: values are queued until
 * read, the iterator ends when the Observable completes, and `return()` (the client unsubscribed,
 * the socket closed) unsubscribes from it.
 */
export function toAsyncIterator<T>(source: Observable<T>): AsyncIterableIterator<T> {
  const queue: T[] = [];
  const waiting: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void }[] = [];
  let done = false;
  let failure: unknown;
  // Set once subscribed; the source may complete while subscribing, before it is.
  const held: { subscription?: Subscription } = {};

  const finish = () => {
    done = true;
    held.subscription?.unsubscribe();
    for (const w of waiting.splice(0)) {
      if (failure !== undefined) w.reject(failure);
      else w.resolve({ value: undefined, done: true });
    }
  };
  held.subscription = source.subscribe({
    next: (v) => {
      const w = waiting.shift();
      if (w) w.resolve({ value: v, done: false });
      else queue.push(v);
    },
    error: (e: unknown) => {
      failure = e;
      finish();
    },
    complete: finish,
  });
  if (done) held.subscription.unsubscribe();

  return {
    next(): Promise<IteratorResult<T>> {
      if (queue.length) return Promise.resolve({ value: queue.shift()!, done: false });
      if (done) return failure !== undefined ? Promise.reject(failure) : Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    return(): Promise<IteratorResult<T>> {
      queue.length = 0;
      finish();
      return Promise.resolve({ value: undefined, done: true });
    },
    throw(e: unknown): Promise<IteratorResult<T>> {
      finish();
      return Promise.reject(e);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
