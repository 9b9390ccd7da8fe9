import { retry, Subscription, timer } from 'rxjs';
import type { AllFilter, EventStore } from '@mmreplay/event-store';
import type { RecordedEvent } from '@mmreplay/events';

/**
 * Keeps an in-memory read model up to date with `$all` (filtered): a catch-up subscription from the
 * start of the log, so the model is rebuilt from the log at every start, then follows new events
 * (including those another process appends). `apply` sees every event once, in log order.
 *
 * After an append, `waitFor(position)` resolves once the model has seen it: read-your-writes for
 * the caller, with a single path by which events reach the model.
 */
export class LogFollower {
  private position: bigint | undefined;
  private subscription: Subscription | undefined;
  private waiters: { position: bigint; resolve: () => void }[] = [];

  constructor(
    private readonly store: EventStore,
    private readonly filter: AllFilter,
    private readonly apply: (event: RecordedEvent) => void,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  /** Subscribes; resolves once every event up to the log's head at the time of the call has been applied. */
  async start(): Promise<void> {
    const [head] = await this.store.readAll({ direction: 'backwards', maxCount: 1, filter: this.filter });
    this.subscription = this.store
      .subscribeToAll({ fromPosition: 'start', filter: this.filter })
      .pipe(
        // A failing store: subscribe again from the start, and skip what was applied already.
        retry({
          delay: (error) => {
            this.onError(error);
            return timer(1_000);
          },
        }),
      )
      .subscribe((event) => this.receive(event));
    if (head) await this.waitFor(head.position);
  }

  /** Resolves once the event at `position` (or a later one) has been applied. */
  waitFor(position: bigint): Promise<void> {
    if (this.position !== undefined && this.position >= position) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ position, resolve }));
  }

  stop(): void {
    this.subscription?.unsubscribe();
    this.subscription = undefined;
  }

  private receive(event: RecordedEvent): void {
    if (this.position !== undefined && event.position <= this.position) return;
    this.apply(event);
    this.position = event.position;
    if (this.waiters.length === 0) return;
    const ready = this.waiters.filter((w) => w.position <= event.position);
    this.waiters = this.waiters.filter((w) => w.position > event.position);
    for (const w of ready) w.resolve();
  }
}
