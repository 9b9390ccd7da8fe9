import type { EventStore } from '@mmreplay/event-store';

/** A store that "crashes" (throws) on the append after `appends` successful ones: a killed writer, in process. */
export function crashingAfter(store: EventStore, appends: number): EventStore {
  let left = appends;
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'appendToStream') {
        return (...args: Parameters<EventStore['appendToStream']>) => {
          if (left-- <= 0) return Promise.reject(new Error('simulated crash'));
          return target.appendToStream(...args);
        };
      }
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}
