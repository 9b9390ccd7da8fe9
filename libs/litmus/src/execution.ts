import type { Value } from './ast.js';
import type { FenceKind } from './primitives.js';
import { Rel, setOf, type EventSet } from './relation.js';
import type { AccessMode, LockKind, ThreadTrace } from './threads.js';

/** An event of a candidate execution: an initial write (thread -1) or an event of a process. */
export interface Event {
  readonly id: number;
  readonly thread: number;
  readonly kind: 'R' | 'W' | 'F';
  readonly loc?: string;
  readonly value?: Value;
  readonly mode?: AccessMode;
  readonly lock?: LockKind;
  readonly fence?: FenceKind;
  readonly init: boolean;
  readonly line: number;
  readonly source: string;
}

/**
 * What a choice of one path per process fixes before reads-from and coherence are chosen: the
 * events, program order, dependencies, the read-modify-write pairs and RCU critical sections.
 */
export interface Skeleton {
  readonly n: number;
  readonly events: readonly Event[];
  readonly traces: readonly ThreadTrace[];
  readonly po: Rel;
  /** Same location (memory events only). */
  readonly loc: Rel;
  /** Same process; an initial write is external to every event but itself. */
  readonly int: Rel;
  readonly addr: Rel;
  readonly data: Rel;
  readonly ctrl: Rel;
  /** The read-modify-write pairs of atomic primitives (linux-kernel.bell's `rmw`). */
  readonly rmw: Rel;
  /** spin_lock / successful spin_trylock read-write pairs (lock.cat's `lk-rmw`). */
  readonly lkRmw: Rel;
  /** Matching rcu_read_lock → rcu_read_unlock pairs (linux-kernel.bell's `rcu-rscs`). */
  readonly rcuRscs: Rel;
  readonly sets: Sets;
}

export interface Sets {
  readonly M: EventSet;
  readonly R: EventSet;
  readonly W: EventSet;
  readonly IW: EventSet;
  readonly F: EventSet;
  readonly once: EventSet;
  readonly acquire: EventSet;
  readonly release: EventSet;
  readonly noreturn: EventSet;
  readonly fence: (k: FenceKind) => EventSet;
  readonly lock: (k: LockKind) => EventSet;
}

/** Builds the skeleton: initial writes first (one per location, sorted), then P0, P1, ... */
export function buildSkeleton(locations: readonly string[], initial: ReadonlyMap<string, Value>, traces: readonly ThreadTrace[]): Skeleton {
  const events: Event[] = [];
  for (const loc of locations) {
    events.push({ id: events.length, thread: -1, kind: 'W', loc, value: initial.get(loc) ?? 0, init: true, line: 0, source: 'initial value' });
  }
  const offsets: number[] = [];
  traces.forEach((t, thread) => {
    offsets.push(events.length);
    for (const e of t.events) {
      events.push({
        id: events.length,
        thread,
        kind: e.kind,
        loc: e.loc,
        value: e.value,
        mode: e.mode,
        lock: e.lock,
        fence: e.fence,
        init: false,
        line: e.line,
        source: e.source,
      });
    }
  });
  const n = events.length;
  const po = Rel.fromPredicate(n, (a, b) => events[a].thread >= 0 && events[a].thread === events[b].thread && a < b);
  const loc = Rel.fromPredicate(n, (a, b) => events[a].loc !== undefined && events[a].loc === events[b].loc);
  const int = Rel.fromPredicate(n, (a, b) => a === b || (events[a].thread >= 0 && events[a].thread === events[b].thread));
  const addr = new Rel(n);
  const data = new Rel(n);
  const ctrl = new Rel(n);
  const rmw = new Rel(n);
  const lkRmw = new Rel(n);
  traces.forEach((t, thread) => {
    const off = offsets[thread];
    t.events.forEach((e, i) => {
      for (const d of e.addr) addr.add(off + d, off + i);
      for (const d of e.data) data.add(off + d, off + i);
      for (const d of e.ctrl) ctrl.add(off + d, off + i);
      if (e.rmwWith !== undefined) (e.lock === 'LKR' ? lkRmw : rmw).add(off + i, off + e.rmwWith);
    });
  });
  const rcuRscs = new Rel(n);
  traces.forEach((t, thread) => {
    const stack: number[] = [];
    t.events.forEach((e, i) => {
      if (e.fence === 'rcu-lock') stack.push(offsets[thread] + i);
      if (e.fence === 'rcu-unlock' && stack.length > 0) rcuRscs.add(stack.pop()!, offsets[thread] + i);
    });
  });
  const is = (p: (e: Event) => boolean): EventSet => setOf(n, (i) => p(events[i]));
  const fenceSets = new Map<FenceKind, EventSet>();
  const lockSets = new Map<LockKind, EventSet>();
  const sets: Sets = {
    M: is((e) => e.kind !== 'F'),
    R: is((e) => e.kind === 'R'),
    W: is((e) => e.kind === 'W'),
    IW: is((e) => e.init),
    F: is((e) => e.kind === 'F'),
    once: is((e) => e.mode === 'once'),
    acquire: is((e) => e.mode === 'acquire'),
    release: is((e) => e.mode === 'release'),
    noreturn: is((e) => e.mode === 'noreturn'),
    fence: (k) => {
      let s = fenceSets.get(k);
      if (!s) fenceSets.set(k, (s = is((e) => e.fence === k)));
      return s;
    },
    lock: (k) => {
      let s = lockSets.get(k);
      if (!s) lockSets.set(k, (s = is((e) => e.lock === k)));
      return s;
    },
  };
  return { n, events, traces, po, loc, int, addr, data, ctrl, rmw, lkRmw, rcuRscs, sets };
}
