// The projection checked against something other than the engine's own diffs. Runs are recorded
// by the production path (RunService) into SQLite and read back with `stateAt`; at every step the
// page locks (PG_locked and the owner) and PTL holders of that state are compared with a second
// fold written from the event schema alone: a `PageLocked` step makes its thread the owner of the
// page its operands name, `PageUnlocked` releases it (no owner), `PtlAcquired` / `PtlReleased` do
// the same for the PTL of the PTE they name. The fold never looks at the recorded deltas, so an
// engine (or projection) that records a wrong effect, such as an unlock that leaves the owner in
// place, disagrees with it. Litmus results are folded the same way from `Observed` steps (an
// outcome observed as 0 is recorded as 0). Every scenario, variant and memory model is covered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Layout, PageField, PageFlag, resolveModel, scenarios, type MemoryModelName, type World } from '@mmreplay/model';
import type { StepRecorded } from '@mmreplay/events';
import type { SqliteEventStore } from '@mmreplay/event-store';
import { tempSqliteStore } from '../test/temp-store.js';
import { RunService } from './run.service.js';
import { QueryService } from './query.service.js';

const MEMORY_MODELS: readonly MemoryModelName[] = ['sc', 'tso', 'lkmm'];
const targets = scenarios().flatMap((s) =>
  [undefined, ...s.variants.map((v) => v.name)].flatMap((variant) => MEMORY_MODELS.map((memoryModel) => ({ scenario: s.name, variant, memoryModel }))),
);
/** Steps compared per run: all of them up to this many, else this many spread over the run. */
const MAX_COMPARED = 120;

/** PG_locked of a page and the thread recorded as its owner (null: none). */
interface PageLock {
  locked: boolean;
  owner: string | null;
}

/** Plain stores of PG_locked still in a store buffer (tso, lkmm): page -> the value stored. */
type Pending = Map<string, boolean>;

/** What the event schema says about locks: page -> lock, PTL -> holder. */
interface Locks {
  pages: Map<string, PageLock>;
  ptls: Map<string, string | null>;
  /** exclusive waiters of each page (a contended lock_page: `LockWaitQueued`), first queued first */
  waiters: Map<string, string[]>;
}

/**
 * The locks before step 0, from the model document: `locked` and `owner` as declared (a THP
 * tail's owner is the holder of its head's lock, handed over when a split copies PG_locked).
 */
function initialLocks(world: World): Locks {
  return {
    pages: new Map(world.pages.map((p) => [p.name, { locked: p.locked ?? false, owner: p.owner ?? null }])),
    ptls: new Map(world.ptls.map((name) => [name, null])),
    waiters: new Map(),
  };
}

/** The page (or PTE) a step's operands name: its one operand value that is the name of one. */
function named(e: StepRecorded, names: ReadonlySet<string>): string {
  const hits = [...new Set(Object.values(e.args).filter((v): v is string => typeof v === 'string' && names.has(v)))];
  if (hits.length !== 1) throw new Error(`step ${e.step} (${e.kind} ${e.label}) names ${hits.length === 0 ? 'nothing' : hits.join(', ')}`);
  return hits[0];
}

/**
 * Applies one step's meaning under the event schema (kind, thread, operands), never its deltas.
 * A THP split copies PG_locked into a tail with a plain store (`Stored`, operand `locked`): under
 * sc it is visible at once; under tso and lkmm (`StoreBuffered`) it sits in the store buffer and becomes visible by
 * its `StoreVisible` (location `page:<tail>.flags`) or by a drain inside another step (an atomic
 * operation of its thread), which has no event of its own: until then either value is allowed.
 */
function foldLocks(world: World, memoryModel: MemoryModelName, locks: Locks, pending: Pending, e: StepRecorded): void {
  const pages = new Set(world.pages.map((p) => p.name));
  const ptes = new Set(world.ptes.map((p) => p.name));
  const ptlOf = (pte: string) => world.ptes.find((p) => p.name === pte)!.ptl;
  switch (e.kind) {
    case 'LockWaitQueued': {
      const page = named(e, pages);
      locks.waiters.set(page, [...(locks.waiters.get(page) ?? []).filter((t) => t !== e.thread), e.thread]);
      break;
    }
    case 'PageLocked': {
      const page = named(e, pages);
      locks.pages.set(page, { locked: true, owner: e.thread });
      locks.waiters.set(
        page,
        (locks.waiters.get(page) ?? []).filter((t) => t !== e.thread),
      );
      break;
    }
    case 'PageUnlocked': {
      // folio_unlock -> wake_up_page_bit: the first exclusive waiter in the queue is handed the
      // lock (wake_page_function takes PG_locked on its behalf); with none, the page is unlocked.
      const page = named(e, pages);
      const [next, ...rest] = locks.waiters.get(page) ?? [];
      locks.pages.set(page, next === undefined ? { locked: false, owner: null } : { locked: true, owner: next });
      locks.waiters.set(page, rest);
      break;
    }
    case 'PtlAcquired':
      locks.ptls.set(ptlOf(named(e, ptes)), e.thread);
      break;
    case 'PtlReleased':
      locks.ptls.set(ptlOf(named(e, ptes)), null);
      break;
    case 'Stored':
    case 'StoreBuffered':
      if (typeof e.args.locked === 'number') {
        const page = named(e, pages);
        if (e.kind === 'Stored' && memoryModel === 'sc') locks.pages.set(page, { ...locks.pages.get(page)!, locked: e.args.locked !== 0 });
        else pending.set(page, e.args.locked !== 0);
      }
      break;
    case 'StoreVisible': {
      const m = /^page:(.+)\.flags$/.exec(String(e.args.location));
      if (m) {
        locks.pages.set(m[1], { ...locks.pages.get(m[1])!, locked: e.args.value === 'locked' });
        pending.delete(m[1]);
      }
      break;
    }
  }
}

/**
 * A litmus test's recorded results under the event schema: an `Observed` step records its
 * register's value (its operand) as the result its instruction names, 0 included; null before.
 */
function foldResults(world: World, results: Map<string, number | null>, e: StepRecorded): void {
  if (e.kind !== 'Observed') return;
  const thread = world.threads.find((t) => t.name === e.thread)!;
  const step = world.paths[thread.path].steps.find((st) => st.label === e.label)!;
  results.set(world.litmus!.results[Number(step.args[0])], Number(Object.values(e.args)[0]));
}

/** The recorded results read from a projected state vector: value, and whether it was recorded. */
function projectedResults(world: World, layout: Layout, state: ArrayLike<number>): Map<string, number | null> {
  return new Map((world.litmus?.results ?? []).map((r, i) => [r, state[layout.observed + i] !== 0 ? state[layout.results + i] : null]));
}

/** The same facts read from a projected state vector, decoded with the model's layout. */
function projectedLocks(world: World, layout: Layout, state: ArrayLike<number>): Pick<Locks, 'pages' | 'ptls'> {
  const holder = (v: number) => (v === 0 ? null : (world.threads[v - 1]?.name ?? `#${v}`));
  return {
    pages: new Map(
      world.pages.map((p, i) => [
        p.name,
        { locked: (state[layout.page(i, PageField.flags)] & PageFlag.locked) !== 0, owner: holder(state[layout.page(i, PageField.owner)]) },
      ]),
    ),
    ptls: new Map(world.ptls.map((name, i) => [name, holder(state[layout.ptl(i)])])),
  };
}

describe('the projection read back from SQLite agrees with a fold of the event schema', () => {
  let t: Awaited<ReturnType<typeof tempSqliteStore>>;
  let store: SqliteEventStore;
  let runs: RunService;
  let queries: QueryService;

  beforeAll(async () => {
    t = await tempSqliteStore('mmreplay-oracle-');
    store = t.store;
    runs = new RunService(store, { batchSize: 64, snapshotEvery: 16 });
    queries = new QueryService(store, { snapshotEvery: 16 });
  });
  afterAll(() => t.dispose());

  it('covers every scenario and variant under every memory model', () => {
    expect(new Set(targets.map((x) => x.scenario)).size).toBe(scenarios().length);
    expect(targets.length).toBe(scenarios().reduce((n, s) => n + (1 + s.variants.length) * MEMORY_MODELS.length, 0));
  });

  it.each(targets.map((x, i) => ({ ...x, i })))(
    '$scenario ($variant) under $memoryModel: page locks, owners and PTL holders at every step',
    async ({ scenario, variant, memoryModel, i }) => {
      const runId = `oracle-${i}`;
      const report = await runs.startRun({ runId, scenario, variant, memoryModel, strategy: 'random', seed: 1_000 + i });
      const { world } = resolveModel({ scenario, variant, memoryModel });
      const layout = new Layout(world);
      const events = await queries.events(runId);
      expect(events.map((e) => e.step)).toEqual(Array.from({ length: report.steps }, (_, k) => k));

      const expected = initialLocks(world);
      const pending: Pending = new Map();
      const results = new Map<string, number | null>((world.litmus?.results ?? []).map((r) => [r, null]));
      const stride = Math.max(1, Math.ceil(events.length / MAX_COMPARED));
      let compared = 0;
      const check = async (step: number) => {
        const { vector } = await queries.stateAt(runId, step);
        const got = projectedLocks(world, layout, vector);
        // A buffered store seen to have landed has landed for good.
        for (const [page, value] of pending) {
          if (got.pages.get(page)?.locked === value) {
            expected.pages.set(page, { ...expected.pages.get(page)!, locked: value });
            pending.delete(page);
          }
        }
        expect(Object.fromEntries(got.pages), `pages after step ${step}`).toEqual(Object.fromEntries(expected.pages));
        expect(Object.fromEntries(got.ptls), `PTLs after step ${step}`).toEqual(Object.fromEntries(expected.ptls));
        expect(Object.fromEntries(projectedResults(world, layout, vector)), `litmus results after step ${step}`).toEqual(Object.fromEntries(results));
        compared++;
      };
      await check(-1);
      for (const e of events) {
        foldLocks(world, memoryModel, expected, pending, e);
        foldResults(world, results, e);
        if (e.step % stride === 0 || e.step === events.length - 1) await check(e.step);
      }
      expect(compared).toBeGreaterThanOrEqual(Math.min(events.length, MAX_COMPARED) / 2);
    },
  );
});
