import { describe, expect, it } from 'vitest';
import { parseScenarioDocument, resolveScenarioModel } from '@mmreplay/model';
import { Machine } from './machine.js';
import { walkStates } from '../test/walk-states.js';

// The orderings lkmm adds to the LKMM's (model-bounds.ts MODEL_ORDERINGS) are recorded where one
// holds a thread back, like the engine's bounds (docs/memory-model.md, "The engine's own bounds"):
// `page-address` where an access through a page register whose load is outstanding holds up a
// later relaxed access, `sc-step` where an SC step waits for an outstanding access of its CPU or
// shows another CPU a store it had not seen. Each world is searched in full; each expectation
// failed on the engine before these were recorded (it recorded no ordering at all), and the
// negative ones guard that nothing is recorded where the ordering changes nothing. Since issue
// 16's session 12 a kernel acquire (ACQUIRE_SC_OPS) waits for nothing and publishes nothing, so
// none is reported there: the acquire cases below failed on the engine before (it reported
// `sc-step` at each), and the SC steps the worlds use to show a wait are PTE reads.

const page = (name: string) => ({ name, ref: 1, map: 0, mapping: 'anon', index: 0 });

/** Every bound and ordering a full search of the world under lkmm meets. */
function met(a: unknown[], b: unknown[]): { bound: string; thread: string; label: string }[] {
  const r = parseScenarioDocument({
    name: 'orderings',
    title: 'orderings',
    pages: [page('P'), page('Q')],
    vmas: [{ name: 'vma', start: 16, pgoff: 0 }],
    ptls: ['ptl'],
    ptes: [{ name: 'e', addr: 16, ptl: 'ptl', init: { kind: 'none' } }],
    threads: [
      { name: 'A', path: 'a', args: { p: 'P', q: 'Q', e: 'e' } },
      { name: 'B', path: 'b', args: { p: 'P', q: 'Q' } },
    ],
    paths: {
      a: { regs: { p: 'page', q: 'page', e: 'pte', h: 'page', f: 'int', g: 'int', ok: 'int', v: 'int', o: 'pteval' }, steps: a },
      b: { regs: { p: 'page', q: 'page', f: 'int', v: 'int' }, steps: b },
    },
    invariants: ['deadlock'],
  });
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  const m = new Machine(resolveScenarioModel(r.scenario, { memoryModel: 'lkmm' }).world);
  walkStates(m, {});
  return m.boundsMet.map(({ bound, thread, label }) => ({ bound, thread, label }));
}

// B publishes a head for P (Q) so that A's load of it can go either way.
const publisher = [{ label: 'B1', op: 'store', args: [0, 'p', 'q', 0] }];
const headThenFlags = [
  { label: 'A1.head', op: 'load', args: ['h', 0, 'p', 0] },
  { label: 'A2.flags_of_head', op: 'load', args: ['f', 1, 'h', 0] },
];

describe("lkmm: the engine's orderings, recorded where they hold a thread back", () => {
  it('page-address: a load through a loaded page register holds up a later load', () => {
    expect(met([...headThenFlags, { label: 'A3.flags_of_q', op: 'load', args: ['g', 1, 'q', 0] }], publisher)).toEqual([
      { bound: 'page-address', thread: 'A', label: 'A2.flags_of_head' },
    ]);
  });

  it('page-address: not where an SC step comes first (it waits for every outstanding load anyway); the SC step is', () => {
    expect(met([...headThenFlags, { label: 'A3.pte', op: 'pte_read', args: ['e', 'o'] }], publisher)).toEqual([
      { bound: 'sc-step', thread: 'A', label: 'A3.pte' },
    ]);
  });

  it('page-address: where an acquire comes first, what follows it is held up too (the acquire waits for nothing)', () => {
    const a = [...headThenFlags, { label: 'A3.lock', op: 'ptl_lock', args: ['e'] }, { label: 'A4.flags_of_q', op: 'load', args: ['g', 1, 'q', 0] }];
    expect(met(a, publisher)).toEqual([{ bound: 'page-address', thread: 'A', label: 'A2.flags_of_head' }]);
  });

  it('sc-step: an SC step that shows another CPU a store it had not seen (no access outstanding)', () => {
    const a = [
      { label: 'A0.one', op: 'mov', args: ['v', 1] },
      { label: 'A1.store', op: 'store', args: [1, 'p', 'v', 0] },
      { label: 'A2.pte', op: 'pte_read', args: ['e', 'o'] },
    ];
    expect(met(a, [{ label: 'B1.flags', op: 'load', args: ['f', 1, 'p', 0] }])).toEqual([{ bound: 'sc-step', thread: 'A', label: 'A2.pte' }]);
  });

  it.each([
    ['spin_lock of the PTL', { label: 'A2.acquire', op: 'ptl_lock', args: ['e'] }],
    ['folio_trylock', { label: 'A2.acquire', op: 'trylock_page', args: ['q', 'ok'] }],
    ['folio_lock', { label: 'A2.acquire', op: 'lock_page', args: ['q'] }],
    ['down_write of the rmap lock', { label: 'A2.acquire', op: 'rmap_lock', args: ['q', 1] }],
  ])('sc-step: not where an acquire (%s) follows a store another CPU has not seen: an acquire publishes nothing', (_name, acquire) => {
    const a = [{ label: 'A0.one', op: 'mov', args: ['v', 1] }, { label: 'A1.store', op: 'store', args: [1, 'p', 'v', 0] }, acquire];
    expect(met(a, [{ label: 'B1.flags', op: 'load', args: ['f', 1, 'p', 0] }])).toEqual([]);
  });

  // the load of P's head waits between a take and a release of a lock (or a frozen refcount)
  const around = (take: unknown, release: unknown) => [take, { label: 'A2.head', op: 'load', args: ['h', 0, 'p', 0] }, release];
  it.each([
    ['spin_unlock of the PTL', { label: 'A1.ptl', op: 'ptl_lock', args: ['e'] }, { label: 'A3.unlock', op: 'ptl_unlock', args: ['e'] }],
    ['folio_unlock', { label: 'A1.lock', op: 'lock_page', args: ['p'] }, { label: 'A3.unlock', op: 'unlock_page', args: ['p'] }],
    ['up_read of the rmap lock', { label: 'A1.rmap', op: 'rmap_lock', args: ['q', 0] }, { label: 'A3.unlock', op: 'rmap_unlock', args: ['q', 0] }],
    ['folio_ref_unfreeze', { label: 'A1.freeze', op: 'ref_freeze', args: ['q', 0, 'ok'] }, { label: 'A3.unfreeze', op: 'ref_unfreeze', args: ['q', 0] }],
  ])("sc-step: not where a release (%s) waits for its CPU's earlier load: the LKMM orders that too (po-rel)", (_name, take, release) => {
    // (folio_ref_freeze(), an SC step, holds back the load after it: reported there, scStepFollows)
    expect(met(around(take, release), publisher).filter((b) => b.label === (release as { label: string }).label)).toEqual([]);
  });

  it("sc-step: the same wait at an SC step that is neither a release nor an acquire (a PTE read) is the engine's", () => {
    expect(met(around({ label: 'A1.lock', op: 'lock_page', args: ['p'] }, { label: 'A3.pte', op: 'pte_read', args: ['e', 'o'] }), publisher)).toEqual([
      { bound: 'sc-step', thread: 'A', label: 'A3.pte' },
    ]);
  });

  it.each([
    ['spin_lock of the PTL', { label: 'A3.acquire', op: 'ptl_lock', args: ['e'] }],
    ['folio_trylock', { label: 'A3.acquire', op: 'trylock_page', args: ['q', 'ok'] }],
    ['down_read of the rmap lock', { label: 'A3.acquire', op: 'rmap_lock', args: ['q', 0] }],
  ])("sc-step: not where an acquire (%s) comes after its CPU's outstanding load: po ; [Acquire] is not in ppo", (_name, acquire) => {
    expect(met(around({ label: 'A1.lock', op: 'lock_page', args: ['p'] }, acquire), publisher)).toEqual([]);
  });

  it("sc-step: an acquire held back while its CPU's access to the page lock's flags word is outstanding is the engine's", () => {
    // A's load of Q's flags (B stores them) is outstanding when A tries Q's lock: the trylock waits for it
    const b = [
      { label: 'B0.one', op: 'mov', args: ['v', 1] },
      { label: 'B1.flags', op: 'store', args: [1, 'q', 'v', 0] },
    ];
    const a = [
      { label: 'A1.flags_of_q', op: 'load', args: ['f', 1, 'q', 0] },
      { label: 'A2.trylock', op: 'trylock_page', args: ['q', 'ok'] },
      { label: 'A3.head', op: 'load', args: ['h', 0, 'p', 0] },
    ];
    // (a failed trylock may be left outstanding too, a read with no ordering: with it and the load of
    // Q's flags outstanding, A's third load meets the bound on outstanding loads)
    expect(met(a, b)).toEqual([
      { bound: 'loads', thread: 'A', label: 'A3.head' },
      { bound: 'sc-step', thread: 'A', label: 'A2.trylock' },
    ]);
  });

  it("sc-step: a release that shows another CPU a store it had not seen is still the engine's (the unlock reaches every CPU at once)", () => {
    const a = [
      { label: 'A0.one', op: 'mov', args: ['v', 1] },
      { label: 'A1.lock', op: 'lock_page', args: ['q'] },
      { label: 'A2.store', op: 'store', args: [1, 'p', 'v', 0] },
      { label: 'A3.unlock', op: 'unlock_page', args: ['q'] },
    ];
    expect(met(a, [{ label: 'B1.flags', op: 'load', args: ['f', 1, 'p', 0] }])).toEqual([{ bound: 'sc-step', thread: 'A', label: 'A3.unlock' }]);
  });

  it('nothing where no ordering holds a thread back: relaxed accesses alone', () => {
    expect(
      met(
        [
          { label: 'A1.head', op: 'load', args: ['h', 0, 'p', 0] },
          { label: 'A2.flags_of_q', op: 'load', args: ['g', 1, 'q', 0] },
        ],
        publisher,
      ),
    ).toEqual([]);
  });
});
