import { LogFollower, type EventStore } from '@mmreplay/event-store';
import type { RecordedEvent, RunStarted } from '@mmreplay/events';
import { TEAM_EVENT_TYPES } from './team-events.js';

// The audit log: who started, cancelled, issued or revoked what. Read from the metadata that every
// command-caused event carries (`ActivityMetadata`); a `RunStarted` written without it (the run
// service records the actor and team in its data) is read from its data.

export interface ActivityEntry {
  /** global position of the event: entries are listed newest first, and paged by it */
  position: string;
  at: string;
  team: string;
  actor: string;
  action: string;
  target: string;
  tokenId: string | null;
}

/** Pure: the entry an event stands for, or undefined. */
export function activityOf(event: RecordedEvent): ActivityEntry | undefined {
  const m = event.metadata;
  const at = String(m.recordedAt ?? '');
  const position = String(event.position);
  if (typeof m.action === 'string' && typeof m.team === 'string') {
    return {
      position,
      at,
      team: m.team,
      actor: String(m.actor ?? 'unknown'),
      action: m.action,
      target: String(m.target ?? ''),
      tokenId: typeof m.tokenId === 'string' ? m.tokenId : null,
    };
  }
  if (event.type === 'RunStarted') {
    const d = event.data as RunStarted;
    return { position, at, team: d.team, actor: d.actor, action: 'run.started', target: `run:${d.runId}`, tokenId: null };
  }
  return undefined;
}

export interface ActivityPage {
  entries: ActivityEntry[];
  /** pass as `before` for the next (older) page; null on the last page */
  next: string | null;
}

export class ActivityService {
  private readonly byTeam = new Map<string, ActivityEntry[]>();
  private readonly follower: LogFollower;

  /** `eventTypes`: the event types that carry activity, besides the team events. */
  constructor(store: EventStore, eventTypes: readonly string[], onError?: (error: unknown) => void) {
    const types = [...new Set([...TEAM_EVENT_TYPES, 'RunStarted', ...eventTypes])];
    this.follower = new LogFollower(store, {
      filter: { eventTypes: types },
      apply: (e) => {
        const entry = activityOf(e);
        if (!entry) return;
        let list = this.byTeam.get(entry.team);
        if (!list) this.byTeam.set(entry.team, (list = []));
        list.push(entry);
      },
      onError,
    });
  }

  start(): Promise<void> {
    return this.follower.start();
  }

  stop(): void {
    this.follower.stop();
  }

  /** Waits until the log has been read up to `position` (after an append), so a listing includes it. */
  caughtUp(position: bigint): Promise<void> {
    return this.follower.waitFor(position);
  }

  /** A team's activity, newest first. */
  list(team: string, options: { limit?: number; before?: string; actor?: string; action?: string } = {}): ActivityPage {
    const all = this.byTeam.get(team) ?? [];
    const limit = options.limit ?? 50;
    const before = options.before === undefined ? undefined : BigInt(options.before);
    const entries: ActivityEntry[] = [];
    let i = all.length - 1;
    for (; i >= 0 && entries.length < limit; i--) {
      const e = all[i];
      if (before !== undefined && BigInt(e.position) >= before) continue;
      if (options.actor !== undefined && e.actor !== options.actor) continue;
      if (options.action !== undefined && e.action !== options.action && !e.action.startsWith(`${options.action}.`)) continue;
      entries.push({ ...e });
    }
    const more = i >= 0 && entries.length === limit;
    return { entries, next: more ? entries[entries.length - 1].position : null };
  }
}
