import { describe, expect, it, vi } from 'vitest';
import { resolveModel } from '@mmreplay/model';
import { Machine } from '@mmreplay/engine';
import { explore, stateComponents } from './explorer.js';
import { internTables } from './state-store.js';
import { SharedVisited, type LevelHeads } from './shared-visited.js';
import { SharedSearcher, Stop, raiseStop, searchFigures, statsBuffer, teamBuffers, type SearcherOptions } from './shared-search.js';

// One thread of the shared-set search on this thread (teams of one), where the order it claims
// heads in and its decisions can be watched.

const world = resolveModel({ scenario: 'seed', params: { ptes: 2, faults: 2 } }).world;
const options = { maxDepth: 1000, maxStates: 1e6, memoryBytes: 2 ** 30, deadline: Date.now() + 60_000, heapUsed: () => 0 };

function setUp(writers: number, opts: SearcherOptions = options) {
  const arity = stateComponents(new Machine(world)).length;
  const visited = new SharedVisited(SharedVisited.buffers(arity, 1 << 16, writers));
  const tables = internTables(stateComponents(new Machine(world)));
  const stats = statsBuffer(writers);
  const searcher = (writer: number, lists: number, team = teamBuffers(lists)) => new SharedSearcher(world, opts, visited, tables, team, stats, 0, 1, writer);
  return { visited, tables, stats, searcher };
}

describe('a thread of the shared-set search, alone', () => {
  it("a team of one stores explore's states, level after level, and decides Done when a level has no heads", () => {
    const { stats, searcher } = setUp(1);
    const s = searcher(0, 1);
    s.seed();
    let depth = 0;
    for (; s.level(depth, [0]) === Stop.None; depth++);
    const one = explore(world, { partialOrder: false });
    expect(searchFigures(stats)).toMatchObject({ stored: one.statesStored, transitions: one.transitions, endStates: one.schedules, maxDepth: one.maxDepth });
    expect(depth).toBe(one.maxDepth + 1);
  });

  it("expands the heads it stored itself before another writer's", () => {
    const { searcher } = setUp(2);
    const other = searcher(0, 1);
    other.seed();
    expect(other.level(0, [0])).toBe(Stop.None);
    // level 1's heads are all writer 0's; writer 1 looks at its own (empty) list first
    const self = searcher(1, 2);
    const claimed: number[] = [];
    const expand = vi.spyOn(SharedSearcher.prototype as unknown as { expandLevel: (d: number, h: LevelHeads, c: number) => void }, 'expandLevel');
    expand.mockImplementation(function (this: unknown, _d: number, heads: LevelHeads) {
      claimed.push(heads.total);
    });
    try {
      expect(self.level(1, [0, 1])).toBe(Stop.None);
    } finally {
      expand.mockRestore();
    }
    expect(claimed.length).toBe(2);
    expect(claimed[0]).toBe(0);
    expect(claimed[1]).toBeGreaterThan(0);
  });

  it('a STOP raised from outside is the decision at the next level, and nothing more is expanded', () => {
    const { stats, searcher } = setUp(1);
    const team = teamBuffers(1);
    const s = searcher(0, 1, team);
    s.seed();
    expect(s.level(0, [0])).toBe(Stop.None);
    const before = searchFigures(stats).stored;
    raiseStop(team, Stop.Cancelled);
    expect(s.level(1, [0])).toBe(Stop.Cancelled);
    expect(searchFigures(stats).stored).toBe(before);
  });

  it("the memory bound counts the visited set, the component tables and the thread's memos, to the byte", () => {
    // the bytes held after level 0, as the leader sums them at level 1's start (this thread's heap: 0 here)
    const { visited, tables, stats, searcher } = setUp(1);
    const s = searcher(0, 1);
    s.seed();
    expect(s.level(0, [0])).toBe(Stop.None);
    const memos = searchFigures(stats).memoBytes;
    // the step memo and the symmetry memo of seed 2x2 (symmetric, on tuples)
    expect(memos).toBeGreaterThan(0);
    const held = visited.bytes + tables.reduce((a, t) => a + t.bytes, 0) + memos;
    for (const [bound, decision] of [
      [held - 1, Stop.Memory],
      [held, Stop.None],
    ] as const) {
      const again = setUp(1, { ...options, memoryBytes: bound });
      const t = again.searcher(0, 1);
      t.seed();
      // level 0 (one head) stays under either bound
      expect(t.level(0, [0])).toBe(Stop.None);
      expect(t.level(1, [0]), `bound ${bound}`).toBe(decision);
    }
  });
});
