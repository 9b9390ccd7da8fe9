import { Subscription } from 'rxjs';
import { LogFollower, type EventStore } from '@mmreplay/event-store';
import type { RecordedEvent } from '@mmreplay/events';
import { CATALOGUE_EVENT_TYPES, CATALOGUE_VERSION, type AuditEntry, type RunEntry } from './catalogue.js';
import { RunIndex, type RunIndexFilter } from './run-index.js';

/** The checkpoint consumer name of the catalogue. */
export const CATALOGUE_CONSUMER = 'read-model/catalogue';

export interface CatalogueServiceOptions {
  /** store the consumer's checkpoint (the tables' position) at most this often (ms); default 1,000 */
  saveEveryMs?: number;
  /** the catalogue's tables (default: in-memory SQLite tables) */
  index?: RunIndex;
}

const FILTER = { eventTypes: [...CATALOGUE_EVENT_TYPES] };

/** Events folded in one transaction while catching up (a rebuild of a long log is many of them). */
const FOLD_BATCH = 1_000;

/**
 * Maintains the run and audit catalogues from a catch-up subscription to `$all` (filtered on the
 * event types it reads), folded into their tables (RunIndex): rows and position are written
 * together, so the tables resume from their own position and nothing else is saved. Every
 * question (a page, a run, the unfinished runs) is an indexed query; no request and no periodic
 * task touches every run. (Until issue 12's soak, the catalogue was a list of every run in memory,
 * saved whole as a snapshot: requests slowed as runs accumulated.)
 *
 * The consumer's checkpoint (`read-model/catalogue`) is stored at most every `saveEveryMs`, for
 * the operators who watch how far each read model has read; the tables do not depend on it.
 */
export class CatalogueService {
  readonly index: RunIndex;
  /** when the checkpoint was last stored (performance.now() ms) */
  private checkpointAt = -Infinity;
  private checkpointed: string | null = null;
  private retired = false;

  constructor(
    private readonly store: EventStore,
    private readonly options: CatalogueServiceOptions = {},
  ) {
    this.index = options.index ?? new RunIndex();
  }

  /**
   * A page of a team's runs, newest first, filtered: an index range scan of the run table.
   * `undefined` when `after` is not a run of the team.
   */
  async page(team: string, filter: RunIndexFilter, page: { limit: number; after?: string }): Promise<{ runs: RunEntry[]; next: string | null } | undefined> {
    await this.catchUp();
    return this.index.list(team, filter, page);
  }

  /** One run's entry, up to date with the log. */
  async run(runId: string): Promise<RunEntry | undefined> {
    await this.catchUp();
    const entry = this.index.run(runId);
    if (!entry) return undefined;
    const { position: _position, ...run } = entry;
    return run;
  }

  /** Runs, up to date with the log (optionally of one team), in the order they were started (the CLI's `runs`). */
  async runs(filterBy: { team?: string } = {}): Promise<RunEntry[]> {
    await this.catchUp();
    return this.index.runs(filterBy.team);
  }

  /** The runs the log shows started and not completed, up to date with the log. */
  async unfinished(): Promise<RunEntry[]> {
    await this.catchUp();
    return this.index.unfinished().map(({ position: _position, ...r }) => r);
  }

  async audits(filterBy: { team?: string } = {}): Promise<AuditEntry[]> {
    await this.catchUp();
    return this.index.audits(filterBy.team);
  }

  /**
   * Reads the log from the tables' position up to its current end through the shared follower,
   * folding it in transactions of `FOLD_BATCH` events. Folding is a cache write: a full disk or a
   * read-only store must not fail a read, which then answers from the tables as they are (the
   * next catch-up starts again from their position, so nothing is skipped).
   */
  async catchUp(): Promise<void> {
    if (!this.retired) await this.retireSnapshot();
    const batch: RecordedEvent[] = [];
    let failed = false;
    const flush = (): void => {
      if (failed || batch.length === 0) return;
      try {
        this.index.fold(batch.splice(0));
      } catch {
        // the transaction rolled back: nothing after it may be folded (the position would skip it)
        failed = true;
      }
    };
    // Inside a request: a failing store fails the read (a 503), it is not waited out.
    const follower = this.follower({ retry: false }, (e) => {
      if (failed) return;
      batch.push(e);
      if (batch.length >= FOLD_BATCH) flush();
    });
    try {
      await follower.start();
    } finally {
      follower.stop();
    }
    flush();
    await this.checkpoint();
  }

  private follower(how: { onError?: (error: unknown) => void; retry?: boolean }, apply: (e: RecordedEvent) => void): LogFollower {
    const position = this.index.position;
    return new LogFollower(this.store, { filter: FILTER, from: position === null ? 'start' : BigInt(position), apply, onError: how.onError, retry: how.retry });
  }

  /** Empties the tables and folds the whole log again. */
  async rebuild(): Promise<void> {
    this.index.clear();
    await this.catchUp();
  }

  /**
   * Follows the log live: new run and audit events are folded as they are appended (one
   * transaction per burst), then `onChange` is called. Unsubscribe to stop; a store failure is
   * passed to `onError` and the follower retries (LogFollower).
   */
  follow(onChange?: (changedRuns: Set<string>) => void, onError: (error: unknown) => void = () => {}): Subscription {
    const subscription = new Subscription();
    const batch: RecordedEvent[] = [];
    let timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
    const flush = (): void => {
      timer = undefined;
      try {
        const changed = this.index.fold([...batch]);
        batch.length = 0;
        onChange?.(changed);
        void this.checkpoint();
      } catch (e) {
        // rolled back: the same events (and those arriving meanwhile) are folded again later, in order
        onError(e);
        timer = setTimeout(flush, 1_000).unref();
      }
    };
    const follower = this.follower({ onError }, (e) => {
      batch.push(e);
      timer ??= setImmediate(flush);
    });
    subscription.add(() => {
      follower.stop();
      clearTimeout(timer as NodeJS.Timeout);
      clearImmediate(timer as NodeJS.Immediate);
    });
    follower.start().catch(onError);
    return subscription;
  }

  /**
   * Replaces the catalogue snapshot that earlier versions saved (every run, one row of megabytes)
   * with an empty one of a version they ignore. Not only dead weight: the store keeps snapshots in a
   * SQLite table ordered by key, and a lookup of a run's snapshot that passes that row reads all of
   * its overflow pages to compare keys, so every state query and every run start cost O(runs) (the
   * soak's falling throughput; BENCHMARKS.md, Soak). Writes a few bytes, once per process.
   */
  private async retireSnapshot(): Promise<void> {
    this.retired = true;
    try {
      await this.store.snapshots.save(CATALOGUE_CONSUMER, { revision: 0n, version: CATALOGUE_VERSION, state: { retired: 'the catalogue is kept in tables' } });
    } catch {
      // a read-only store: nothing to replace there that this process could
    }
  }

  /** Stores the tables' position as the consumer's checkpoint, at most every `saveEveryMs` (O(1)). */
  private async checkpoint(): Promise<void> {
    const position = this.index.position;
    if (position === null || position === this.checkpointed || performance.now() - this.checkpointAt < (this.options.saveEveryMs ?? 1_000)) return;
    this.checkpointAt = performance.now();
    try {
      await this.store.checkpoints.store(CATALOGUE_CONSUMER, BigInt(position));
      this.checkpointed = position;
    } catch {
      // a read-only or full store: the tables hold their own position; tried again later
    }
  }
}
