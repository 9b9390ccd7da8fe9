import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { contentHash } from './hash.js';
import { litmusPointer } from './isa.js';
import { Layout } from './layout.js';
import type { PathDef, Step } from './program.js';
import { namedVariants, resolveModel, scenarios } from './scenarios/registry.js';
import type { MemoryModelName, World } from './world.js';

// The state layout (layout.ts) of every catalogue world (each named variant and switch value,
// under sc, tso and lkmm where the world has relaxed accesses) and of four hand-made lkmm worlds
// with what the catalogue lacks (spinlocks, spin_trylock, smp_mb__after_unlock_lock, release
// stores, pointers, control dependencies): every section's offset and size, every per-thread and
// per-location array, the initial state, the name of every slot and every accessor, pinned as a
// digest per world in test/layout-golden.json. The engine's and the litmus library's suites check
// that these layouts run right; this pins them for the model's own suite, which a per-library
// mutation run executes alone (BENCHMARKS.md, mutation batch `core`). MMREPLAY_UPDATE_LAYOUTS=1
// rewrites the file after a change of the layout made on purpose.

const file = fileURLToPath(new URL('../test/layout-golden.json', import.meta.url));

const step = (label: string, op: string, ...args: (string | number)[]): Step => ({
  label,
  op: op as Step['op'],
  args,
  src: { file: 'test', fn: label, version: '-' },
});
const path = (name: string, regs: string[], steps: Step[]): PathDef => ({ name, title: name, regs: regs.map((r) => ({ name: r, type: 'int' })), steps });

/** A litmus world built by hand: threads P0.. on paths of the same names. */
function litmus(name: string, memoryModel: MemoryModelName, paths: PathDef[], litmusDecl: World['litmus']): World {
  return {
    scenario: name,
    params: {},
    memoryModel,
    rmapOrder: 'any',
    pages: [],
    vmas: [],
    ptes: [],
    ptls: [],
    threads: paths.map((p) => ({ name: p.name, path: p.name, args: {} })),
    paths: Object.fromEntries(paths.map((p) => [p.name, p])),
    invariants: ['weak-outcome'],
    symmetry: [],
    litmus: litmusDecl,
  };
}

const R = ['one', 'zero', 'ok', 'r0', 'r1', 'p'];
const HAND: readonly World[] = (['sc', 'tso', 'lkmm'] as const).flatMap((mm) => [
  // a lock (var 2) around a release store and wmb; the other side trylocks, reads with acquire and
  // rmb, branches on a relaxed load (a control dependency) and fences after the lock
  litmus(
    `locks-${mm}`,
    mm,
    [
      path('P0', R, [
        step('init', 'mov', 'one', 1),
        step('lock', 'spin_lock_var', 2),
        step('after_lock', 'fence_after_spinlock'),
        step('wx', 'store_var', 0, 'one', 0),
        step('wmb', 'fence', 2),
        step('wy', 'store_var', 1, 'one', 1),
        step('unlock', 'store_var', 2, 'zero', 1),
        step('relock', 'spin_lock_var', 2),
        step('aul', 'fence_after_unlock_lock'),
        step('wx2', 'store_var', 0, 'one', 0),
        step('unlock2', 'store_var', 2, 'zero', 1),
      ]),
      path('P1', R, [
        step('try', 'spin_trylock_var', 'ok', 2),
        step('ry', 'load_var', 'r0', 1, 1),
        step('rmb', 'fence', 1),
        step('rx', 'load_var', 'r1', 0, 0),
        step('dep', 'beq', 'r1', 0, 'end'),
        step('wy', 'store_var', 1, 'one', 0),
        step('end', 'observe', 0, 'r0'),
        step('end2', 'observe', 1, 'r1'),
      ]),
    ],
    { vars: ['x', 'y', 'l'], results: ['1:r0', '1:r1'], exists: [{ name: '1:r0', value: 1 }] },
  ),
  // pointers: p = &x at the start; loads and stores through it, and an observer of y
  litmus(
    `pointers-${mm}`,
    mm,
    [
      path('P0', R, [step('init', 'mov', 'one', 1), step('wx', 'store_var', 0, 'one', 0), step('wmb', 'fence', 2), step('wp', 'store_var', 2, 'one', 1)]),
      path('P1', R, [
        step('rp', 'load_var', 'p', 2, 1),
        step('rx', 'load_ptr', 'r0', 'p', 0),
        step('wx', 'store_ptr', 'p', 'r0', 1),
        step('ob', 'observe', 0, 'r0'),
      ]),
      path('P2', R, [step('ry', 'load_var', 'r1', 1, 0), step('mb', 'fence', 3), step('ob', 'observe', 1, 'r1')]),
    ],
    { vars: ['x', 'y', 'p'], init: [{ name: 'p', value: litmusPointer(1) }], targets: ['x', 'y'], results: ['1:r0', '2:r1'], exists: [] },
  ),
]);

/** lkmm: a spinlock only locked (var 0) and one only trylocked (var 1); a bsame whose second register was loaded. */
const SPLIT_LOCKS = litmus(
  'split-locks-lkmm',
  'lkmm',
  [
    path('P0', R, [step('lock', 'spin_lock_var', 0), step('wx', 'store_var', 2, 'one', 0), step('unlock', 'store_var', 0, 'zero', 1)]),
    path('P1', R, [
      step('init', 'mov', 'one', 1),
      step('try', 'spin_trylock_var', 'ok', 1),
      step('rx', 'load_var', 'r0', 2, 0),
      step('same', 'bsame', 'one', 'r0', 'end'),
      step('end', 'observe', 0, 'r0'),
    ]),
  ],
  { vars: ['l0', 'l1', 'x'], results: ['1:r0'], exists: [{ name: '1:r0', value: 1 }] },
);

function catalogueWorlds(): World[] {
  const out: World[] = [];
  for (const s of scenarios()) {
    const requests = [undefined, ...namedVariants(s).map((v) => v.name)];
    for (const variant of requests)
      for (const memoryModel of ['sc', 'tso', 'lkmm'] as const) {
        const world = resolveModel({ scenario: s.name, variant, memoryModel }).world;
        // worlds without relaxed accesses lay out alike under every model: sc only
        if (memoryModel !== 'sc' && !new Layout(world).weak) continue;
        out.push(world);
      }
  }
  return out;
}

const key = (w: World) => `${w.scenario}${w.memoryModel === 'sc' ? '' : `@${w.memoryModel}`}#${contentHash(w).slice(0, 12)}`;

/** Everything a layout says about a world, as plain data. */
function describeLayout(L: Layout): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(L)) {
    if (k === 'world' || typeof v === 'function') continue;
    fields[k] = v instanceof Map ? [...v] : ArrayBuffer.isView(v) ? [...(v as Int32Array)] : v;
  }
  const w = L.world;
  const T = w.threads.length;
  const K = L.nMlocs;
  const each = (n: number) => Array.from({ length: n }, (_, i) => i);
  const perThread = (f: (t: number) => unknown) => each(T).map(f);
  const locs = each(w.pages.length * 2 + (w.litmus?.vars.length ?? 0));
  return {
    fields,
    counts: [L.nPages, L.nPtes, L.nThreads, K],
    initial: [...L.initialState()],
    slots: each(L.size).map((s) => {
      const d = L.describe(s);
      return `${d.object}.${d.field}`;
    }),
    locs: locs.map((l) => [L.locSlot(l), L.locName(l), L.locShort(l)]),
    pageLocs: each(w.pages.length).map((p) => [L.pageLoc(p, 0), L.pageLoc(p, 1), L.pageName(p)]),
    varLocs: each(w.litmus?.vars.length ?? 0).map((v) => L.varLoc(v)),
    objects: [
      each(w.pages.length).map((p) => each(7).map((f) => L.page(p, f))),
      each(w.vmas.length).map((v) => each(3).map((f) => L.vma(v, f))),
      each(w.ptes.length).map((e) => L.pte(e)),
      each(w.ptls.length).map((l) => L.ptl(l)),
      perThread((t) => [each(9).map((f) => L.thread(t, f)), each(4).map((r) => L.reg(t, r)), each(w.ptes.length).map((e) => L.tlbEntry(t, e))]),
    ],
    queues: perThread((t) => [each(L.sbCapacity[t]).map((i) => L.sbEntry(t, i)), each(L.lqCapacity[t]).map((i) => L.lqEntry(t, i))]),
    propagation: L.propagation
      ? {
          msgs: each(K).map((k) => [each(L.msgCap[k]).map((i) => L.msg(k, i)), L.newestView(k), L.lockMloc[k] ? each(K).map((j) => L.lockCarry(k, j)) : []]),
          views: perThread((t) =>
            L.viewBase[t] < 0
              ? null
              : [
                  each(K).map((k) => [L.view(t, k), L.own(t, k), L.wview(t, k)]),
                  L.rmbEpoch(t),
                  L.finished(t),
                  each(L.lqCapacity[t]).map((i) => [L.lqEpoch(t, i), each(L.specDepth[t]).map((j) => (L.specBase[t] < 0 ? -1 : L.specIf(t, i, j)))]),
                  L.wprevBase[t] < 0 ? [] : each(L.wmbDepth[t]).map((d) => each(K).map((k) => L.wprev(t, k, d))),
                  L.unlockedSlot[t] < 0 ? [] : each(K).map((k) => [L.relCarry(t, k), L.ulCarry(t, k), L.ulView(t, k)]),
                  L.aulBase[t] < 0 ? [] : each(K).map((k) => [L.aul(t, k), L.ownUl(t, k)]),
                  L.relBase[t] < 0 ? [] : each(L.relDepth[t]).map((d) => each(K).map((k) => L.rel(t, d, k))),
                  L.relPend[t] < 0 ? [] : [L.relPend[t], each(K).map((k) => L.relView(t, k))],
                ],
          ),
        }
      : null,
  };
}

describe('state layouts', () => {
  it('every catalogue world and the hand-made lkmm worlds lay out as recorded', () => {
    const worlds = [...catalogueWorlds(), ...HAND];
    const got = Object.fromEntries(worlds.map((w) => [key(w), contentHash(describeLayout(new Layout(w)))]));
    if (process.env.MMREPLAY_UPDATE_LAYOUTS === '1') writeFileSync(file, `${JSON.stringify(got, null, 1)}\n`);
    const want = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
    for (const [k, digest] of Object.entries(got)) expect(digest, k).toBe(want[k]);
  });

  it('the hand-made worlds reach the lkmm sections the catalogue does not', () => {
    const locks = new Layout(HAND.find((w) => w.scenario === 'locks-lkmm')!);
    expect(locks.propagation).toBe(true);
    expect([...locks.lockMloc]).toEqual([0, 0, 1]);
    expect(locks.unlockedSlot[0]).toBeGreaterThan(0);
    expect(locks.aulBase[0]).toBeGreaterThan(0);
    expect(locks.relBase[0]).toBeGreaterThan(0);
    expect(locks.wprevBase[0]).toBeGreaterThan(0);
    expect(locks.specBase[1]).toBeGreaterThan(0);
    expect(locks.trylockRegs[1]).toBe(1 << R.indexOf('ok'));
    const pointers = new Layout(HAND.find((w) => w.scenario === 'pointers-lkmm')!);
    expect(pointers.specBranches[1]).toBeGreaterThanOrEqual(0);
    expect(pointers.initialState()[pointers.vars + 2]).toBe(litmusPointer(1));
    // under sc nothing of it: no memory section past the litmus variables and results
    // each spinlock is one whether spin_lock or only spin_trylock names it; a bsame speculates on
    // either register it compares
    const split = new Layout(SPLIT_LOCKS);
    expect([...split.lockVar]).toEqual([1, 1, 0]);
    expect([...split.lockMloc]).toEqual([1, 1, 0]);
    expect([...split.specBranches]).toEqual([0, 1]);
    const sc = new Layout(HAND.find((w) => w.scenario === 'locks-sc')!);
    expect([sc.weak, sc.propagation, [...sc.sbCapacity]]).toEqual([false, false, [0, 0]]);
  });
});
