import { Subscription } from 'rxjs';
import { LogFollower, type EventStore } from '@mmreplay/event-store';
import { runIdOf, type AuditCompleted, type CounterexampleFound, type RecordedEvent } from '@mmreplay/events';
import { Catalogue, CATALOGUE_EVENT_TYPES, CATALOGUE_VERSION, type AuditEntry, type CatalogueState, type RunEntry } from './catalogue.js';
import { RunIndex, type RunIndexFilter } from './run-index.js';

/** The checkpoint consumer name of the catalogue. */
export const CATALOGUE_CONSUMER = 'read-model/catalogue';

export interface CatalogueServiceOptions {
  /** while following the log, save the catalogue at most this often (ms); default 1,000 */
  saveEveryMs?: number;
  /** the runs as an indexed table (default: an in-memory SQLite table) */
  index?: RunIndex;
}

/** The run an event of the catalogue changes, if any. */
function runTouched(e: RecordedEvent): string | undefined {
  switch (e.type) {
    case 'RunStarted':
    case 'RunCompleted':
      return runIdOf(e.streamId);
    case 'CounterexampleFound':
      return (e.data as CounterexampleFound).runId;
    case 'AuditCompleted':
      return (e.data as AuditCompleted).counterexample?.runId ?? undefined;
    default:
      return undefined;
  }
}

const FILTER = { eventTypes: [...CATALOGUE_EVENT_TYPES] };

/**
 * Maintains the run and audit catalogues from a checkpointed catch-up subscription to `$all`
 * (filtered on the event types it reads).
 *
 * The catalogue and the position it has read up to are saved together, as one snapshot (key
 * `read-model/catalogue`, always at revision 0 so each save replaces the last), and the position is
 * then stored as the consumer's checkpoint. On start the service resumes from the snapshot's own
 * position (a checkpoint without the state it belongs to would be useless); a snapshot of another
 * `CATALOGUE_VERSION` is ignored and the catalogue rebuilt from the log.
 */
export class CatalogueService {
  private catalogue: Catalogue | undefined;
  private savedPosition: bigint | undefined;
  readonly index: RunIndex;
  /** runs changed since the index was last written */
  private readonly dirty = new Set<string>();
  /** when the last snapshot was saved and how long it took (performance.now() ms) */
  private lastSave = { at: -Infinity, ms: 0 };

  constructor(
    private readonly store: EventStore,
    private readonly options: CatalogueServiceOptions = {},
  ) {
    this.index = options.index ?? new RunIndex();
  }

  /**
   * A page of a team's runs, newest first, filtered: an index range scan of the run table, never
   * a copy of the catalogue. `undefined` when `after` is not a run of the team.
   */
  async page(team: string, filter: RunIndexFilter, page: { limit: number; after?: string }): Promise<{ runs: RunEntry[]; next: string | null } | undefined> {
    await this.catchUp();
    return this.index.list(team, filter, page);
  }

  private fold(catalogue: Catalogue, e: RecordedEvent): boolean {
    const changed = catalogue.apply(e);
    if (changed) {
      const runId = runTouched(e);
      if (runId !== undefined) this.dirty.add(runId);
    }
    return changed;
  }

  /** Writes the changed runs to the index, with the catalogue's position. */
  private writeIndex(catalogue: Catalogue): void {
    const position = catalogue.position === undefined ? null : String(catalogue.position);
    if (this.dirty.size === 0 && this.index.position === position) return;
    const runs: RunEntry[] = [];
    for (const id of this.dirty) {
      const r = catalogue.getRun(id);
      if (r) runs.push(r);
    }
    this.index.write(runs, position);
    this.dirty.clear();
  }

  /** Runs, up to date with the log (optionally of one team), in the order they were started. */
  async runs(filterBy: { team?: string } = {}): Promise<RunEntry[]> {
    // the log position is the table's ordering key, not part of a run as shown
    return (await this.catchUp()).listRuns(filterBy).map(({ position: _position, ...r }) => structuredClone(r));
  }

  async audits(filterBy: { team?: string } = {}): Promise<AuditEntry[]> {
    return structuredClone((await this.catchUp()).listAudits(filterBy));
  }

  /** Reads the log up to its current end through the shared follower, then saves. */
  async catchUp(): Promise<Catalogue> {
    const catalogue = await this.loaded();
    // Inside a request: a failing store fails the read (a 503), it is not waited out.
    const follower = this.follower(catalogue, { retry: false });
    try {
      await follower.start();
    } finally {
      follower.stop();
    }
    // Writing the table and the snapshot are cache writes: a full disk or a read-only store must not
    // fail a read (they are tried again at the next catch-up; the snapshot's checkpoint stays behind).
    try {
      this.writeIndex(catalogue);
      if (this.saveDue()) await this.save();
    } catch {
      // the next catch-up tries again
    }
    return catalogue;
  }

  private follower(catalogue: Catalogue, how: { onChange?: (catalogue: Catalogue) => void; onError?: (error: unknown) => void; retry?: boolean }): LogFollower {
    return new LogFollower(this.store, {
      filter: FILTER,
      from: catalogue.position ?? 'start',
      apply: (e) => {
        if (this.fold(catalogue, e)) how.onChange?.(catalogue);
      },
      onError: how.onError,
      retry: how.retry,
    });
  }

  /** Throws the saved catalogue away and folds the whole log again. */
  async rebuild(): Promise<Catalogue> {
    this.catalogue = new Catalogue();
    this.savedPosition = undefined;
    this.index.clear();
    this.dirty.clear();
    return this.catchUp();
  }

  /**
   * Follows the log live: every new run or audit event is folded as it is appended, and the
   * catalogue is saved (with its checkpoint) at most every `saveEveryMs`. Unsubscribe to stop; a
   * store failure is passed to `onError` and the follower retries (LogFollower).
   */
  follow(onChange?: (catalogue: Catalogue) => void, onError: (error: unknown) => void = () => {}): Subscription {
    const subscription = new Subscription();
    const every = this.options.saveEveryMs ?? 1_000;
    void this.loaded().then(
      (catalogue) => {
        if (subscription.closed) return;
        const follower = this.follower(catalogue, { onChange, onError });
        subscription.add(() => follower.stop());
        follower.start().catch(onError);
        let saving = false;
        const saver = setInterval(() => {
          if (saving || !this.saveDue()) return;
          saving = true;
          Promise.resolve()
            .then(() => {
              this.writeIndex(catalogue);
              return this.save();
            })
            .catch(onError)
            .finally(() => (saving = false));
        }, every);
        saver.unref();
        subscription.add(() => clearInterval(saver));
      },
      (e: unknown) => onError(e),
    );
    return subscription;
  }

  /**
   * Whether a snapshot may be saved now. A snapshot serialises the whole catalogue, so its cost
   * grows with the runs: it is saved at most every `saveEveryMs`, and never more often than twenty
   * times its own last duration (at most about 5% of the time goes to saving). Saving on every
   * request's catch-up made each `GET /runs` cost O(runs) (the soak's falling throughput).
   */
  private saveDue(): boolean {
    const every = Math.max(this.options.saveEveryMs ?? 1_000, 20 * this.lastSave.ms);
    return performance.now() - this.lastSave.at >= every;
  }

  /** Saves the catalogue and its checkpoint if it has read anything since the last save. */
  async save(): Promise<void> {
    const catalogue = await this.loaded();
    const position = catalogue.position;
    if (position === undefined || position === this.savedPosition) return;
    const t0 = performance.now();
    await this.store.snapshots.save(CATALOGUE_CONSUMER, { revision: 0n, version: CATALOGUE_VERSION, state: catalogue.toJson() });
    await this.store.checkpoints.store(CATALOGUE_CONSUMER, position);
    this.savedPosition = position;
    this.lastSave = { at: performance.now(), ms: performance.now() - t0 };
  }

  private async loaded(): Promise<Catalogue> {
    if (!this.catalogue) {
      const saved = await this.store.snapshots.load<never>(CATALOGUE_CONSUMER, { version: CATALOGUE_VERSION });
      const state = saved?.state as CatalogueState | undefined;
      this.catalogue = state && Array.isArray(state.runs) && Array.isArray(state.audits) ? Catalogue.fromState(state) : new Catalogue();
      this.savedPosition = this.catalogue.position;
      // The index is a projection of the same log: brought up to this catalogue in full unless it
      // read exactly as far. Rows are keyed by run and ordered by log position, so writing them
      // again is idempotent (another instance on the same file writes the same rows).
      const position = this.catalogue.position === undefined ? null : String(this.catalogue.position);
      if (this.index.position !== position) this.index.write(this.catalogue.listRuns(), position);
    }
    return this.catalogue;
  }
}
