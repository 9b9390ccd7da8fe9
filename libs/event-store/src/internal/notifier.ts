/**
 * Wakes catch-up subscriptions when the log may have grown. A subscription notes `version`
 * before it reads, then waits for a version change: an append between its read and its wait
 * cannot be missed.
 */
export class ChangeNotifier {
  private seq = 0;
  private readonly waiters = new Set<() => void>();

  get version(): number {
    return this.seq;
  }

  notify(): void {
    this.seq++;
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }

  /** Resolves once `version` differs from `since` (at once if it already does), or on `cancel()`. */
  wait(since: number): { promise: Promise<void>; cancel(): void } {
    if (this.seq !== since) return { promise: Promise.resolve(), cancel: () => {} };
    let wake!: () => void;
    const promise = new Promise<void>((resolve) => (wake = resolve));
    this.waiters.add(wake);
    return {
      promise,
      cancel: () => {
        this.waiters.delete(wake);
        wake();
      },
    };
  }
}
