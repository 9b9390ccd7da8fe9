import { defer, retry, timer, type Subscription } from 'rxjs';
import type { RecordedEvent } from '@mmreplay/events';
import type { AllFilter, EventStore } from './port.js';

export interface FollowerOptions {
  /** the events of `$all` the read model reads */
  filter: AllFilter;
  /** folds one event into the read model: called once per event, in log order */
  apply: (event: RecordedEvent) => void;
  /** where the read model already is (a checkpoint); default: rebuild from the start of the log */
  from?: bigint | 'start';
  /** each failure of the store, before the follower retries */
  onError?: (error: unknown) => void;
  /** the first retry waits this long (ms), each next one twice as long up to `maxRetryMs`; default 250 */
  firstRetryMs?: number;
  /** default 30,000 */
  maxRetryMs?: number;
  /** false: a store failure ends the follower and rejects `start` (a catch-up inside a request); default true */
  retry?: boolean;
}

/**
 * The one way a read model keeps up with the log: rebuild from the log (or resume from a
 * checkpoint), then follow it, including what other processes append. When the store fails, the
 * follower subscribes again after a delay that doubles up to a cap (and starts over once events
 * flow again), from the last event it applied: `apply` never sees an event twice or out of order.
 *
 * After an append, `waitFor(position)` resolves once the model has seen it: read-your-writes for
 * the caller, with a single path by which events reach the model.
 */
export class LogFollower {
  private applied: bigint | undefined;
  private subscription: Subscription | undefined;
  private waiters: { position: bigint; resolve: () => void }[] = [];

  constructor(
    private readonly store: EventStore,
    private readonly options: FollowerOptions,
  ) {}

  /** The position of the last event applied (undefined: none yet). */
  get position(): bigint | undefined {
    return this.applied ?? (typeof this.options.from === 'bigint' ? this.options.from : undefined);
  }

  /** Subscribes; resolves once every event up to the log's head at the time of the call has been applied. */
  async start(): Promise<void> {
    const { filter, onError } = this.options;
    const [head] = await this.store.readAll({ direction: 'backwards', maxCount: 1, filter });
    const first = this.options.firstRetryMs ?? 250;
    const max = this.options.maxRetryMs ?? 30_000;
    const events = defer(() => this.store.subscribeToAll({ fromPosition: this.position ?? 'start', filter }));
    const retrying = retry<RecordedEvent>({
      resetOnSuccess: true,
      delay: (error, attempt) => {
        onError?.(error);
        return timer(Math.min(max, first * 2 ** (attempt - 1)));
      },
    });
    let fail: (error: unknown) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => (fail = reject));
    failed.catch(() => undefined);
    this.subscription = (this.options.retry === false ? events : events.pipe(retrying)).subscribe({
      next: (event) => this.receive(event),
      error: (e: unknown) => fail(e),
    });
    if (head) await Promise.race([this.waitFor(head.position), failed]);
  }

  /** Resolves once the event at `position` (or a later one) has been applied. */
  waitFor(position: bigint): Promise<void> {
    const at = this.position;
    if (at !== undefined && at >= position) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ position, resolve }));
  }

  stop(): void {
    this.subscription?.unsubscribe();
    this.subscription = undefined;
  }

  private receive(event: RecordedEvent): void {
    const at = this.position;
    if (at !== undefined && event.position <= at) return;
    this.options.apply(event);
    this.applied = event.position;
    if (this.waiters.length === 0) return;
    const ready = this.waiters.filter((w) => w.position <= event.position);
    this.waiters = this.waiters.filter((w) => w.position > event.position);
    for (const w of ready) w.resolve();
  }
}
