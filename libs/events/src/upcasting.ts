import type { EventEnvelope, EventMetadata } from './envelope.js';

/**
 * Turns the data of a `type` event at `fromVersion` into its shape at `fromVersion + 1`.
 * It receives its own copy-free view of the stored data and must not mutate it: return a new value.
 */
export type Upcaster = (data: never, metadata: Readonly<EventMetadata>) => unknown;

/** Reading an event the registry cannot bring to the current version. */
export class UpcastError extends Error {
  constructor(
    readonly eventType: string,
    readonly schemaVersion: number,
    message: string,
  ) {
    super(message);
    this.name = 'UpcastError';
  }
}

/**
 * Schema versioning of event data. Stored events are never rewritten: an event written at
 * version v is read at the current version by applying the upcasters v→v+1→...→current.
 *
 * The current version of a type is one more than the highest `fromVersion` registered for it
 * (1 when nothing is registered). Types with no upcaster pass through untouched.
 */
export class UpcasterRegistry {
  private readonly chains = new Map<string, Map<number, Upcaster>>();

  /** Registers the upcaster from `fromVersion` to `fromVersion + 1` of `type`. */
  register<From, To>(type: string, fromVersion: number, upcast: (data: From, metadata: Readonly<EventMetadata>) => To): this {
    if (!Number.isInteger(fromVersion) || fromVersion < 1) {
      throw new RangeError(`schema versions start at 1; cannot register ${type} from version ${fromVersion}`);
    }
    let chain = this.chains.get(type);
    if (!chain) this.chains.set(type, (chain = new Map()));
    if (chain.has(fromVersion)) throw new Error(`an upcaster for ${type} v${fromVersion} is already registered`);
    chain.set(fromVersion, upcast as Upcaster);
    return this;
  }

  /** Version that events of `type` are read at (and written at, by default). */
  currentVersion(type: string): number {
    const chain = this.chains.get(type);
    if (!chain || chain.size === 0) return 1;
    return Math.max(...chain.keys()) + 1;
  }

  /** Event types that have at least one upcaster. */
  types(): string[] {
    return [...this.chains.keys()];
  }

  /**
   * The event at the current version of its type. Returns the same object when nothing
   * needs to change, and a new one (same place in the log, new `data` and `schemaVersion`) otherwise.
   */
  upcast<E extends EventEnvelope>(event: E): E {
    const chain = this.chains.get(event.type);
    if (!chain) return event;
    const stored = event.metadata.schemaVersion ?? 1;
    const current = this.currentVersion(event.type);
    if (stored === current) return event;
    if (!Number.isInteger(stored) || stored < 1 || stored > current) {
      throw new UpcastError(event.type, stored, `${event.type} v${stored} cannot be read: this code knows versions 1..${current} (written by a newer schema?)`);
    }
    let data: unknown = event.data;
    let metadata: EventMetadata = event.metadata;
    for (let v = stored; v < current; v++) {
      const step = chain.get(v);
      if (!step) throw new UpcastError(event.type, stored, `no upcaster registered for ${event.type} v${v} -> v${v + 1}`);
      data = step(data as never, metadata);
      metadata = { ...metadata, schemaVersion: v + 1 };
    }
    return { ...event, data, metadata };
  }
}
