import { bufferTime, concatMap, filter, firstValueFrom, from, Subscription, tap } from 'rxjs';
import { StoreUnavailableError, type EventStore } from '@mmreplay/event-store';
import type { RecordedEvent } from '@mmreplay/events';
import { Catalogue, CATALOGUE_EVENT_TYPES, CATALOGUE_VERSION, type AuditEntry, type CatalogueState, type RunEntry } from './catalogue.js';

/** The checkpoint consumer name of the catalogue. */
export const CATALOGUE_CONSUMER = 'read-model/catalogue';

export interface CatalogueServiceOptions {
  /** while following the log, save the catalogue at most this often (ms); default 1,000 */
  saveEveryMs?: number;
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

  constructor(
    private readonly store: EventStore,
    private readonly options: CatalogueServiceOptions = {},
  ) {}

  /** Runs, up to date with the log (optionally of one team), in the order they were started. */
  async runs(filterBy: { team?: string } = {}): Promise<RunEntry[]> {
    return structuredClone((await this.catchUp()).listRuns(filterBy));
  }

  async audits(filterBy: { team?: string } = {}): Promise<AuditEntry[]> {
    return structuredClone((await this.catchUp()).listAudits(filterBy));
  }

  /** Reads the log up to its current end through the subscription, then saves. */
  async catchUp(): Promise<Catalogue> {
    const catalogue = await this.loaded();
    const [last] = await this.store.readAll({ direction: 'backwards', maxCount: 1, filter: FILTER });
    if (last && (catalogue.position === undefined || last.position > catalogue.position)) {
      const head = last.position;
      await firstValueFrom(
        this.store.subscribeToAll({ fromPosition: catalogue.position ?? 'start', filter: FILTER }).pipe(
          tap((e) => catalogue.apply(e)),
          filter((e) => e.position >= head),
        ),
      );
    }
    // The saved catalogue is a cache: a read still answers when the store refuses writes (a full
    // disk, a read-only file); the next save after the fault catches up.
    await this.save().catch((error: unknown) => {
      if (!(error instanceof StoreUnavailableError)) throw error;
    });
    return catalogue;
  }

  /** Throws the saved catalogue away and folds the whole log again. */
  async rebuild(): Promise<Catalogue> {
    this.catalogue = new Catalogue();
    this.savedPosition = undefined;
    return this.catchUp();
  }

  /**
   * Follows the log live: every new run or audit event is folded as it is appended, and the
   * catalogue is saved (with its checkpoint) at most every `saveEveryMs`. Unsubscribe to stop;
   * a store failure ends it and is passed to `onError`.
   */
  follow(onChange?: (catalogue: Catalogue) => void, onError: (error: unknown) => void = () => {}): Subscription {
    const subscription = new Subscription();
    const every = this.options.saveEveryMs ?? 1_000;
    subscription.add(
      from(this.loaded())
        .pipe(
          concatMap((catalogue) =>
            this.store.subscribeToAll({ fromPosition: catalogue.position ?? 'start', filter: FILTER }).pipe(
              tap((e: RecordedEvent) => {
                if (catalogue.apply(e)) onChange?.(catalogue);
              }),
              bufferTime(every),
              filter((batch) => batch.length > 0),
              concatMap(() => this.save()),
            ),
          ),
        )
        // A failed store ends the subscription; the caller decides whether to follow again.
        .subscribe({ error: onError }),
    );
    return subscription;
  }

  /** Saves the catalogue and its checkpoint if it has read anything since the last save. */
  async save(): Promise<void> {
    const catalogue = await this.loaded();
    const position = catalogue.position;
    if (position === undefined || position === this.savedPosition) return;
    await this.store.snapshots.save(CATALOGUE_CONSUMER, { revision: 0n, version: CATALOGUE_VERSION, state: catalogue.toJson() });
    await this.store.checkpoints.store(CATALOGUE_CONSUMER, position);
    this.savedPosition = position;
  }

  private async loaded(): Promise<Catalogue> {
    if (!this.catalogue) {
      const saved = await this.store.snapshots.load<never>(CATALOGUE_CONSUMER, { version: CATALOGUE_VERSION });
      const state = saved?.state as CatalogueState | undefined;
      this.catalogue = state && Array.isArray(state.runs) && Array.isArray(state.audits) ? Catalogue.fromState(state) : new Catalogue();
      this.savedPosition = this.catalogue.position;
    }
    return this.catalogue;
  }
}
