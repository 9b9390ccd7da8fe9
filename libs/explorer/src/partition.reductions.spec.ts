import { describe, expect, it } from 'vitest';
import { resolveModel, type ResolveRequest, type World } from '@mmreplay/model';
import { ReplayScheduler, Runtime } from '@mmreplay/engine';
import { SMALL_REDUCED_WORLDS, SYMMETRY_DEAD_REDUCTIONS, describeRequest } from '../test/worlds.js';
import { explore, stateComponents } from './explorer.js';
import { Partition, emptyReport, partitionTables, type Batch, type PartitionOptions } from './partition.js';
import { explorePartitioned } from './partitioned-levels.js';
import type { ComponentTable } from './state-store.js';

// The partitioned search (the parallel search's algorithm on one thread) with its reductions on,
// held to the sequential search with the same reductions (partial order off, as the parallel
// search runs), and a partition's own bookkeeping (seed, levels, batches, bytes, polling) on small
// worlds: a fast spec for mutation runs of partition.ts (issue 20), where the catalogue-wide
// comparison of partition-traffic.spec takes seconds per mutant.
// The reference is the sequential search on state vectors (`tuples: false`): it runs every step and
// remembers none, so a step or enabledness memo (tuple-steps.ts) that answers wrongly in the
// partitions, or in the code they share with explore, shows here as a difference.

const WORLDS = SMALL_REDUCED_WORLDS;
const name = describeRequest;
const REDUCTIONS = SYMMETRY_DEAD_REDUCTIONS;

const world = (r: ResolveRequest) => resolveModel(r).world;
const seed = (n: number, variant?: string) => world({ scenario: 'seed', params: { ptes: n, faults: n }, variant });

/** The partitions of one search share their component tables: here, those of every partition made for one world object. */
const tables = new WeakMap<World, ComponentTable[]>();
function newPartition(w: World, self: number, partitions: number, opts: PartitionOptions): Partition {
  if (!tables.has(w)) tables.set(w, partitionTables(w));
  return new Partition(w, self, partitions, opts, tables.get(w)!);
}

/** Runs every level of `parts` to the end, handing batches over as drained, as explorePartitioned does. */
function runAll(parts: Partition[]): void {
  parts.forEach((p) => p.seed());
  for (let depth = 0; parts.some((p) => p.frontier > 0); depth++) {
    for (const p of parts) {
      p.expand(depth, 0, p.frontier, emptyReport());
      p.drain(true).forEach((b) => parts[b.to].receive(b.data, b.words));
    }
    parts.forEach((p) => p.nextLevel());
  }
}

describe('the partitioned search with its reductions is the sequential search with the same ones', () => {
  for (const req of WORLDS) {
    it(`${name(req)}: 1, 2 and 3 partitions, symmetry and dead registers on and off, states owned by their tuple or their shared objects`, () => {
      const w = world(req);
      for (const red of REDUCTIONS) {
        const one = explore(w, { ...red, partialOrder: false, tuples: false });
        for (const [partitions, owners] of [[1], [2, 'state'], [2, 'shared'], [3, 'state'], [3, 'shared']] as const) {
          const what = `${JSON.stringify(red)}, ${partitions} ${owners ?? ''}`;
          const r = explorePartitioned(w, partitions, { ...red, owners, maxDepth: 100_000 });
          expect(r.verdict, what).toBe(one.verdict);
          expect(r.reductions, what).toEqual(one.reductions);
          expect(r.boundHit, what).toBeNull();
          if (one.verdict === 'holds') {
            expect([r.statesStored, r.transitions, r.schedules, r.maxDepth], what).toEqual([one.statesStored, one.transitions, one.schedules, one.maxDepth]);
            expect(r.counterexample).toBeNull();
            continue;
          }
          const cx = r.counterexample!;
          expect({ invariant: cx.invariant, length: cx.length, step: cx.step }, what).toEqual({
            invariant: one.counterexample!.invariant,
            length: one.counterexample!.length,
            step: one.counterexample!.step,
          });
          const run = new Runtime(w).run({ scheduler: new ReplayScheduler(cx.schedule), maxSteps: cx.length + 1 });
          expect(run.violation?.invariant, what).toBe(cx.invariant);
          expect(run.steps, what).toBe(cx.length);
        }
      }
    });
  }

  it('a depth bound: the levels up to it, inconclusive at bound depth; one more holds', () => {
    const w = world({ scenario: 'c10-device-private' });
    const one = explore(w, { partialOrder: false });
    const at = (maxDepth: number) => explorePartitioned(w, 2, { maxDepth });
    expect(at(one.maxDepth)).toMatchObject({ verdict: 'inconclusive', boundHit: 'depth', statesStored: one.statesStored, maxDepth: one.maxDepth });
    expect(at(one.maxDepth + 1)).toMatchObject({ verdict: 'holds', boundHit: null, statesStored: one.statesStored });
    const shallow = at(2);
    expect(shallow).toMatchObject({ verdict: 'inconclusive', boundHit: 'depth', maxDepth: 2 });
    expect(shallow.statesStored).toBe(explore(w, { partialOrder: false, bounds: { maxDepth: 2 } }).statesStored);
  });
});

describe('a time bound', () => {
  it('maxSeconds is seconds: a minute is not reached by seed 2x2, which holds with the unbounded figures; no time at all stops it at its first level', () => {
    const w = seed(2);
    const unbounded = explorePartitioned(w, 2, { maxDepth: 100_000 });
    expect(explorePartitioned(w, 2, { maxDepth: 100_000, maxSeconds: 60 })).toMatchObject({
      verdict: 'holds',
      boundHit: null,
      statesStored: unbounded.statesStored,
      transitions: unbounded.transitions,
    });
    expect(explorePartitioned(w, 2, { maxDepth: 100_000, maxSeconds: -1 })).toMatchObject({ verdict: 'inconclusive', boundHit: 'time', statesStored: 1 });
  });
});

describe('a violation at the first step', () => {
  it('the initial state (global id 0 in its partition, or another) violates on its first step: a counterexample of one step, on 1 to 4 partitions', () => {
    const w = world({
      scenario: 'c10-device-private',
      variant: {
        name: 'early',
        patches: [{ op: 'insert', path: 'do_swap_page_device', before: 'D1.pte_offset_map_lock', steps: [{ label: 'x0', op: 'unlock_page', args: ['src'] }] }],
      },
    });
    for (const partitions of [1, 2, 3, 4]) {
      const r = explorePartitioned(w, partitions, { maxDepth: 100 });
      expect(r, `${partitions}`).toMatchObject({
        verdict: 'violated',
        statesStored: 1,
        maxDepth: 0,
        counterexample: { length: 1, step: 0, invariant: 'bug-on' },
      });
    }
  });
});

describe('a partition', () => {
  it('seed: the initial state is stored by exactly one partition, the one that owns it; one partition owns every state', () => {
    const w = seed(2);
    for (const n of [1, 2, 3, 5]) {
      const parts = Array.from({ length: n }, (_, i) => newPartition(w, i, n, { maxDepth: 100 }));
      parts.forEach((p) => p.seed());
      expect(parts.map((p) => p.count).reduce((a, b) => a + b)).toBe(1);
      const holder = parts.findIndex((p) => p.count === 1);
      expect(parts.map((p) => p.frontier)).toEqual(parts.map((_, i) => (i === holder ? 1 : 0)));
      const s = parts[holder].state(0);
      expect(s.parent).toBe(-1);
      for (const p of parts) expect(p.owner(s.state)).toBe(holder);
    }
    const single = newPartition(w, 0, 1, { maxDepth: 100 });
    expect(single.owner(new Int32Array(single.m.layout.size).fill(7))).toBe(0);
  });

  it('every stored state belongs to its partition, and its parent chain leads back to the initial state through stored states', () => {
    const w = seed(2, 'install-before-lock');
    const parts = [0, 1, 2].map((i) => newPartition(w, i, 3, { symmetry: false, deadRegisters: false, maxDepth: 4 }));
    runAll(parts);
    const total = parts.reduce((a, p) => a + p.count, 0);
    expect(total).toBe(explore(w, { symmetry: false, deadRegisters: false, partialOrder: false, bounds: { maxDepth: 4 } }).statesStored);
    let roots = 0;
    for (const p of parts) {
      for (let id = 0; id < p.count; id++) {
        const { state, parent } = p.state(id);
        expect(p.owner(state)).toBe(p.self);
        let steps = 0;
        for (let gid = parent; gid >= 0; steps++) {
          const up = parts[gid % 3].state(Math.floor(gid / 3));
          expect(Math.floor(gid / 3)).toBeLessThan(parts[gid % 3].count);
          gid = up.parent;
        }
        if (parent < 0) roots++;
        expect(steps).toBeLessThanOrEqual(4);
      }
    }
    expect(roots).toBe(1);
  });

  it('the parent links grow past their first capacity (2^14 states in one partition)', () => {
    const w = seed(3);
    const p = newPartition(w, 0, 1, { maxDepth: 100_000 });
    runAll([p]);
    // on vectors: with no memo in the reference, a memo that remembers a step reading another thread (a wake-up) shows here
    expect(p.count).toBe(explore(w, { partialOrder: false, tuples: false }).statesStored);
    expect(p.count).toBeGreaterThan(1 << 14);
    for (const id of [1 << 14, (1 << 14) + 1, p.count - 1]) {
      const { parent } = p.state(id);
      expect(parent).toBeGreaterThanOrEqual(0);
      expect(parent).toBeLessThan(id);
    }
  });

  it('receive: the states a batch brings that were new, and the same batch again brings none', () => {
    const w = seed(2);
    const opts = { symmetry: false, deadRegisters: false, maxDepth: 100 };
    const a = newPartition(w, 0, 2, opts);
    const b = newPartition(w, 1, 2, opts);
    const c = newPartition(w, 1, 2, opts);
    const holder = [a, b].find((p) => (p.seed(), p.count === 1))!;
    if (holder !== a) a.seed();
    c.seed();
    const batches: Batch[] = [];
    let depth = 0;
    while (batches.length === 0 && depth < 10) {
      for (const p of [a, b]) {
        p.expand(depth, 0, p.frontier, emptyReport());
        const out = p.drain(true);
        for (const x of out) {
          const to = x.to === 0 ? a : b;
          if (x.from === 0) batches.push(x);
          to.receive(x.data, x.words);
        }
      }
      a.nextLevel();
      b.nextLevel();
      depth++;
    }
    expect(batches.length).toBeGreaterThan(0);
    // a fresh partition 1 (c), with the same component tables, stores as many new states as the batches hold records
    let records = 0;
    for (const x of batches) {
      const before = c.count;
      const added = c.receive(x.data, x.words);
      expect(added).toBe(c.count - before);
      records += added;
    }
    expect(records).toBeGreaterThan(0);
    expect(records).toBeLessThanOrEqual(a.traffic.records);
    for (const x of batches) expect(c.receive(x.data, x.words)).toBe(0);
  });

  it('owners: by the shared objects (the default on tuples) fewer successors cross than by the whole tuple, for the same states', () => {
    const w = seed(3);
    const crossing = (owners?: 'state' | 'shared') => {
      const parts = [0, 1].map((i) => newPartition(w, i, 2, { maxDepth: 100, owners }));
      runAll(parts);
      // every stored state is its owner's, by the rule the partitions used
      for (const p of parts) for (const id of [0, p.count >> 1, p.count - 1]) expect(p.owner(p.state(id).state)).toBe(p.self);
      return { states: parts[0].count + parts[1].count, records: parts[0].traffic.records + parts[1].traffic.records };
    };
    const byState = crossing('state');
    const byShared = crossing('shared');
    expect(crossing()).toEqual(byShared);
    expect(byShared.states).toBe(byState.states);
    expect(byShared.records).toBeLessThan(0.85 * byState.records);
  });

  it('an outbox recycled after its batch was delivered carries a later batch; one of another size is not taken', () => {
    const w = seed(3);
    const parts = [0, 1].map((i) => newPartition(w, i, 2, { maxDepth: 100 }));
    parts.forEach((p) => p.seed());
    const seen = new Set<Int32Array>();
    let reused = 0;
    let batches = 0;
    for (let depth = 0; parts.some((p) => p.frontier > 0); depth++) {
      for (const p of parts) {
        p.expand(depth, 0, p.frontier, emptyReport());
        for (const b of p.drain(true)) {
          batches++;
          if (seen.has(b.data)) reused++;
          seen.add(b.data);
          parts[b.to].receive(b.data, b.words);
          p.recycle(b.data);
          // a foreign array is never handed out as an outbox
          p.recycle(new Int32Array(7));
        }
      }
      parts.forEach((p) => p.nextLevel());
    }
    // every batch after each partition's first reuses an outbox (one level's batch at a time here)
    expect(batches).toBeGreaterThan(4);
    expect(reused).toBe(batches - 2);
    expect([...seen].every((d) => d.length > 7)).toBe(true);
    expect(parts[0].count + parts[1].count).toBe(explore(w, { partialOrder: false, tuples: false }).statesStored);
  });

  it('traffic and batches: records and words sent, one batch a partition a level when it is small, the counter reset each level', () => {
    const w = seed(2);
    const parts = [0, 1].map((i) => newPartition(w, i, 2, { maxDepth: 100 }));
    parts.forEach((p) => p.seed());
    const arity = stateComponents(parts[0].m).length;
    let words = 0;
    let records = 0;
    for (let depth = 0; parts.some((p) => p.frontier > 0); depth++) {
      for (const p of parts) {
        const before = p.traffic.records;
        p.expand(depth, 0, p.frontier, emptyReport());
        // nothing is ready before the level's end while a batch is not full
        expect(p.drain(false)).toEqual([]);
        const out = p.drain(true);
        const sentNow = p.traffic.records - before;
        expect(out.length).toBe(sentNow > 0 ? 1 : 0);
        expect(Array.from(p.sent)).toEqual(parts.map((_, o) => (o !== p.self && sentNow > 0 ? 1 : 0)));
        expect(p.drain(true)).toEqual([]);
        for (const b of out) {
          expect(b.from).toBe(p.self);
          expect(b.to).toBe(1 - p.self);
          words += b.words;
          // records of the tuple's hash, the parent and the tuple, each for the partition it was sent to
          let at = 0;
          for (; at < b.words; records++, at += arity + 2) {
            expect(p.ownerAt(new Uint32Array(b.data.buffer, b.data.byteOffset, b.words), at + 2, b.data[at])).toBe(b.to);
            expect(p.store.hashAt(new Uint32Array(b.data.buffer, b.data.byteOffset, b.words), at + 2)).toBe(b.data[at]);
          }
          expect(at).toBe(b.words);
          parts[b.to].receive(b.data, b.words);
        }
      }
      for (const p of parts) {
        p.nextLevel();
        expect(Array.from(p.sent)).toEqual([0, 0]);
      }
    }
    expect(records).toBe(parts[0].traffic.records + parts[1].traffic.records);
    expect(words).toBe(parts[0].traffic.words + parts[1].traffic.words);
    expect(records).toBeGreaterThan(0);
    expect(words).toBe(records * (2 + arity));
  });

  it('a level larger than a batch: full batches are ready before the level ends, each under its capacity, the rest at its end', () => {
    // seed 3x3 unreduced: level 46 is the first to send more than a batch (about 42,000 states by then)
    const w = seed(3);
    const parts = [0, 1].map((i) => newPartition(w, i, 2, { symmetry: false, deadRegisters: false, maxDepth: 47 }));
    parts.forEach((p) => p.seed());
    const arity = stateComponents(parts[0].m).length;
    const record = 2 + arity;
    let early = 0;
    for (let depth = 0; parts.some((p) => p.frontier > 0); depth++) {
      for (const p of parts) {
        let done = 0;
        let batches = 0;
        while (done < p.frontier) {
          done = p.expand(depth, done, 64, emptyReport());
          for (const b of p.drain(false)) {
            early++;
            batches++;
            // full: the next record would not have fitted
            expect(b.words).toBe(b.data.length);
            expect(b.data.length).toBe(Math.floor((1 << 14) / record) * record);
            parts[b.to].receive(b.data, b.words);
          }
        }
        const last = p.drain(true);
        batches += last.length;
        last.forEach((b) => parts[b.to].receive(b.data, b.words));
        expect(p.sent[1 - p.self]).toBe(batches);
      }
      parts.forEach((p) => p.nextLevel());
    }
    expect(early).toBeGreaterThan(0);
  });

  it('bytes: the store, the parent links and the outgoing batch', () => {
    const w = seed(2);
    const parts = [0, 1].map((i) => newPartition(w, i, 2, { symmetry: false, deadRegisters: false, maxDepth: 100 }));
    parts.forEach((p) => p.seed());
    const parentsBytes = 4 << 14;
    for (const p of parts) expect(p.bytes).toBe(p.store.bytes + parentsBytes);
    let checked = 0;
    for (let depth = 0; parts.some((p) => p.frontier > 0); depth++) {
      for (const p of parts) {
        const before = p.traffic.records;
        p.expand(depth, 0, p.frontier, emptyReport());
        const full = p.bytes;
        const out = p.drain(true);
        if (p.traffic.records > before) {
          // the partly filled batch counted until it is drained
          expect(full - p.bytes).toBe(out[0].data.byteLength);
          expect(p.bytes).toBe(p.store.bytes + parentsBytes);
          checked++;
        }
        out.forEach((b) => parts[b.to].receive(b.data, b.words));
      }
      parts.forEach((p) => p.nextLevel());
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('bytes on tuples: the step and enabledness memos are counted beside the store and the parent links', () => {
    // seed 2x2 with symmetry on: canonicalised as tuples, with the memos (tuple-steps.ts)
    const p = newPartition(seed(2), 0, 1, { maxDepth: 100 });
    runAll([p]);
    expect(p.count).toBeLessThan(1 << 14);
    // one partition: no outbox, so what is over the store and the parent links is the memos'
    expect(p.bytes - p.store.bytes - (4 << 14)).toBeGreaterThan(0);
  });

  it('expanding a level in slices stores what expanding it at once does', () => {
    const w = seed(2);
    const whole = newPartition(w, 0, 1, { maxDepth: 100 });
    const sliced = newPartition(w, 0, 1, { maxDepth: 100 });
    whole.seed();
    sliced.seed();
    for (let depth = 0; whole.frontier > 0; depth++) {
      const r1 = emptyReport();
      expect(whole.expand(depth, 0, whole.frontier + 5, r1)).toBe(whole.frontier);
      const r2 = emptyReport();
      for (let done = 0; done < sliced.frontier;) {
        const next = sliced.expand(depth, done, 3, r2);
        expect(next).toBe(Math.min(done + 3, sliced.frontier));
        done = next;
      }
      expect(r2).toEqual(r1);
      expect(sliced.nextLevel()).toBe(whole.nextLevel());
      expect(sliced.count).toBe(whole.count);
    }
  });

  it('the depth bound: a level at the bound is not expanded and reports bound depth; the level below it is', () => {
    const w = seed(2);
    const p = newPartition(w, 0, 1, { maxDepth: 1 });
    p.seed();
    const r0 = emptyReport();
    expect(p.expand(0, 0, 10, r0)).toBe(1);
    expect(r0.boundHit).toBeNull();
    expect(r0.transitions).toBeGreaterThan(0);
    const frontier = p.nextLevel();
    const r1 = emptyReport();
    expect(p.expand(1, 0, frontier, r1)).toBe(frontier);
    expect(r1).toMatchObject({ boundHit: 'depth', transitions: 0, endStates: 0 });
    expect(p.nextLevel()).toBe(0);
  });

  it('cancellation and the deadline are polled every 1,024 states of a level, from its first', () => {
    const w = seed(2);
    const p = newPartition(w, 0, 1, { symmetry: false, deadRegisters: false, maxDepth: 100_000 });
    runAll([p]);
    // count the polls over a whole search of seed 2x2 unreduced (10,442 states)
    let polls = 0;
    const q = newPartition(w, 0, 1, { symmetry: false, deadRegisters: false, maxDepth: 100_000, cancelled: () => (polls++, false) });
    q.seed();
    const levelStarts: number[] = [];
    for (let depth = 0; q.frontier > 0; depth++) {
      levelStarts.push(q.count - q.frontier);
      q.expand(depth, 0, q.frontier, emptyReport());
      q.nextLevel();
    }
    expect(q.count).toBe(p.count);
    let expected = 0;
    for (let i = 0; i < levelStarts.length; i++) {
      const end = i + 1 < levelStarts.length ? levelStarts[i + 1] : q.count;
      for (let head = levelStarts[i]; head < end; head++) if ((head & 1023) === 0) expected++;
    }
    expect(expected).toBeGreaterThan(1);
    expect(polls).toBe(expected);

    const cancelled = newPartition(w, 0, 1, { maxDepth: 100, cancelled: () => true });
    cancelled.seed();
    const rc = emptyReport();
    expect(cancelled.expand(0, 0, 10, rc)).toBe(0);
    expect(rc).toMatchObject({ boundHit: 'cancelled', transitions: 0 });
    const late = newPartition(w, 0, 1, { maxDepth: 100, deadline: performance.now() - 1 });
    late.seed();
    const rt = emptyReport();
    expect(late.expand(0, 0, 10, rt)).toBe(0);
    expect(rt).toMatchObject({ boundHit: 'time', transitions: 0 });
    const early = newPartition(w, 0, 1, { maxDepth: 100, deadline: performance.now() + 60_000, cancelled: () => false });
    early.seed();
    const re = emptyReport();
    expect(early.expand(0, 0, 10, re)).toBe(1);
    expect(re.boundHit).toBeNull();
  });

  it('a violation: the level stops at the state that found it, with the step and the state global id', () => {
    const w = seed(2, 'install-before-lock');
    const parts = [0, 1].map((i) => newPartition(w, i, 2, { symmetry: false, deadRegisters: false, maxDepth: 100 }));
    parts.forEach((p) => p.seed());
    for (let depth = 0; ; depth++) {
      const reports = parts.map(() => emptyReport());
      const starts = parts.map((p) => p.count - p.frontier);
      const stops = parts.map((p, i) => p.expand(depth, 0, p.frontier, reports[i]));
      const found = reports.findIndex((r) => r.violationAt >= 0);
      if (found >= 0) {
        const r = reports[found];
        expect(r.violationAt % 2).toBe(found);
        const local = Math.floor(r.violationAt / 2);
        const p = parts[found];
        // it stopped just past the violating state
        expect(stops[found]).toBe(local - starts[found] + 1);
        expect(r.invariant).not.toBe('');
        expect(r.message).not.toBe('');
        if (r.violationStep) {
          const s = p.state(local).state;
          expect(p.m.isRunnable(s, r.violationStep.thread)).toBe(true);
          expect(r.violationStep.choice).toBeLessThan(p.m.choiceCount(s, r.violationStep.thread));
          const next = s.slice();
          expect(p.m.step(next, r.violationStep.thread, r.violationStep.choice)).toBe(false);
        }
        break;
      }
      parts.forEach((p) => p.drain(true).forEach((b) => parts[b.to].receive(b.data, b.words)));
      parts.forEach((p) => p.nextLevel());
      expect(depth).toBeLessThan(100);
    }
  });
});
