import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScenarioDocument, resolveModel, resolveScenarioModel, USER_INVARIANT_BACKING, type UserInvariant, type World } from '@mmreplay/model';
import { ReplayScheduler, Runtime } from '@mmreplay/engine';
import { runAudit } from './audit.js';
import { explore, exploreOnce, type ExplorationResult } from './explorer.js';

// User invariants (a scenario document's `always` / `never` predicates) are checked by the engine
// after every step, so the explorer finds them like I1 or I3: a verdict, a shortest counterexample
// that replays. The reductions must stay sound: a step that changes what a predicate reads is
// visible to the partial order, registers a predicate reads are never cleared as dead, and a
// predicate that names objects turns symmetry off. Checked differentially: generated invariants
// over real worlds, every reduction against none.

const example = readFileSync(fileURLToPath(new URL('../../../examples/scenarios/user-invariant.yaml', import.meta.url)), 'utf8');
const loaded = parseScenarioDocument(example);
if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
const scenario = loaded.scenario;

const NONE = { symmetry: false, partialOrder: false, deadRegisters: false };

const replays = (world: World, r: ExplorationResult) => {
  const cx = r.counterexample!;
  const replay = new ReplayScheduler(cx.schedule);
  const run = new Runtime(world).run({ scheduler: replay, maxSteps: replay.length });
  return { outcome: run.outcome, invariant: run.violation?.invariant, step: run.violation?.step, message: run.violation?.message };
};

// Two threads that share nothing: a takes and drops a PTL, b takes and drops a reference to Q.
// Partial order explores one order of their steps only, unless a user invariant reads what they
// change (their PTL, Q's refcount, where each thread is).
const independent = parseScenarioDocument({
  name: 'two-independent',
  title: 'two threads that touch nothing in common',
  pages: [
    { name: 'P', ref: 1, map: 1, mapping: 'anon', index: 0 },
    { name: 'Q', ref: 1, map: 0, mapping: 'anon', index: 0 },
  ],
  vmas: [{ name: 'vma', start: 16, pgoff: 0 }],
  ptls: ['ptl'],
  ptes: [{ name: 'e', addr: 16, ptl: 'ptl', init: { kind: 'present', page: 'P', writable: true } }],
  threads: [
    { name: 'a', path: 'a', args: { pte: 'e' } },
    { name: 'b', path: 'b', args: { page: 'Q' } },
  ],
  paths: {
    a: {
      regs: { pte: 'pte' },
      steps: [
        { label: 'A1', op: 'ptl_lock', args: ['pte'], src: { file: 'mm/memory.c', fn: 'do_fault', version: 'v6.6' } },
        { label: 'A2', op: 'ptl_unlock', args: ['pte'] },
      ],
    },
    b: {
      regs: { page: 'page' },
      steps: [
        { label: 'B1', op: 'get_page', args: ['page'], src: { file: 'mm/gup.c', fn: 'try_grab_folio', version: 'v6.6' } },
        { label: 'B2', op: 'put_page', args: ['page'] },
      ],
    },
  },
  invariants: ['deadlock'],
});
if (!independent.ok) throw new Error(JSON.stringify(independent.problems));
const independentWorld = resolveScenarioModel(independent.scenario, {}).world;

describe('a user invariant in the explorer', () => {
  it('holds for the kernel order, every interleaving', () => {
    const r = explore(resolveScenarioModel(scenario, {}).world);
    expect(r.verdict).toBe('holds');
    expect(r.boundHit).toBeNull();
  });

  it('is violated by the early unlock, with a shortest counterexample that replays to the same violation', () => {
    const world = resolveScenarioModel(scenario, { variant: 'unlock-early' }).world;
    const r = explore(world);
    expect(r.verdict).toBe('violated');
    const message = "mig: a migration entry exists while mig does not hold its page's lock";
    // M1.lock, M2.ptl, M2.clear, M2.install, M2.unlock_ptl, M3.unlock_early: the sixth step breaks it
    expect(r.counterexample).toMatchObject({ invariant: 'entry-under-page-lock', length: 6, step: 5, thread: 'mig', message });
    expect(replays(world, r)).toEqual({ outcome: 'violation', invariant: 'entry-under-page-lock', step: 5, message });
    // without any reduction the shortest counterexample is as long
    expect(explore(world, { symmetry: false, partialOrder: false, deadRegisters: false }).counterexample?.length).toBe(6);
  });

  it("an audit labels the violation a user invariant (the document's author's claim), not one of mmreplay's protocol invariants", () => {
    const r = runAudit({ scenario: scenario.name, document: example, variant: 'unlock-early', strategy: 'exhaustive' });
    expect(r.verdict).toBe('violated');
    expect(r.violated).toEqual({ invariant: 'entry-under-page-lock', class: 'user', backing: USER_INVARIANT_BACKING });
    // a built-in the same document checks keeps its own class
    const builtIn = runAudit({ scenario: scenario.name, document: example, variant: 'unlock-early', invariants: ['I1'], strategy: 'exhaustive' });
    expect(builtIn.violated).toMatchObject({ invariant: 'I1', class: 'protocol' });
  });

  it('a thread state predicate (flt decodes while P is unlocked) is found through partial order: a step of flt is visible', () => {
    const world: World = {
      ...resolveScenarioModel(scenario, { variant: 'unlock-early', invariants: ['deadlock'] }).world,
      userInvariants: [
        {
          name: 'decode-locked',
          kind: 'never',
          predicate: {
            all: [
              { thread: 'flt', at: 'F1.decode' },
              { page: 'P', locked: false },
            ],
          },
          message: 'm',
        },
      ],
    };
    const r = exploreOnce(world);
    expect(r.reductions).toContain('partial-order');
    expect(r.verdict).toBe('violated');
    expect(replays(world, r).invariant).toBe('decode-locked');
  });

  it('partial order keeps a step visible when a predicate reads its thread (where a and b are at once)', () => {
    const world: World = {
      ...independentWorld,
      userInvariants: [
        {
          name: 'both-inside',
          kind: 'never',
          predicate: {
            all: [
              { thread: 'a', at: 'A2' },
              { thread: 'b', at: 'B2' },
            ],
          },
          message: 'both inside',
        },
      ],
    };
    expect(explore(independentWorld).reductions).toContain('partial-order');
    const r = explore(world);
    expect(r.verdict).toBe('violated');
    expect(r.counterexample).toMatchObject({ invariant: 'both-inside', length: 2 });
  });

  it('partial order keeps a step visible when a predicate reads the state class it writes (the PTL held while Q has 2 references)', () => {
    const world: World = {
      ...independentWorld,
      userInvariants: [
        {
          name: 'ptl-and-ref',
          kind: 'never',
          predicate: {
            all: [
              { ptl: 'ptl', held: true },
              { page: 'Q', ref: 2 },
            ],
          },
          message: 'm',
        },
      ],
    };
    expect(explore(world).verdict).toBe('violated');
  });

  it('dead registers are kept when a predicate reads them (mig.old after the PTE is restored)', () => {
    // `old` is dead once M4.restore has read it: the explorer would clear it to 0.
    const world: World = {
      ...resolveScenarioModel(scenario, { invariants: ['deadlock'] }).world,
      userInvariants: [
        {
          name: 'old-kept',
          kind: 'never',
          predicate: {
            all: [
              { thread: 'mig', at: 'M5.unlock' },
              { thread: 'mig', regs: { old: 0 } },
            ],
          },
          message: 'm',
        },
      ],
    };
    expect(explore(world, NONE).verdict).toBe('holds');
    expect(explore(world).verdict).toBe('holds');
  });
});

// -- the differential: generated invariants, every reduction against none --------------------

/** Predicates over the objects, threads, labels and registers of a world. */
function predicates(w: World): fc.Arbitrary<unknown> {
  const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);
  const threads = w.threads.map((t) => t.name);
  const labels = [...new Set(w.threads.flatMap((t) => w.paths[t.path].steps.map((s) => s.label)))];
  const regsOf = (t: string) => w.paths[w.threads.find((x) => x.name === t)!.path].regs.map((r) => r.name);
  const atoms: fc.Arbitrary<unknown>[] = [
    fc.record({ pte: pick(w.ptes.map((e) => e.name)), kind: pick(['none', 'present', 'migration']) }),
    fc.record({ page: pick(w.pages.map((p) => p.name)), locked: fc.boolean() }),
    fc.record({ page: pick(w.pages.map((p) => p.name)), ref: fc.record({ le: fc.integer({ min: 0, max: 3 }) }) }),
    fc.record({ ptl: pick(w.ptls), held: fc.boolean() }),
    fc.record({ thread: pick(threads), at: pick(labels) }),
    fc.record({ thread: pick(threads), status: pick(['runnable', 'sleeping', 'spinning', 'done']) }),
    pick(threads).chain((t) =>
      fc.record({ thread: fc.constant(t), regs: fc.dictionary(pick(regsOf(t)), fc.integer({ min: -1, max: 2 }), { minKeys: 1, maxKeys: 1 }) }),
    ),
    // symmetric ones: quantified, naming nothing
    pick(labels).map((label) => ({ exists: 'thread', as: '$t', where: { thread: '$t', at: label } })),
    fc.boolean().map((locked) => ({
      exists: 'pte',
      as: '$e',
      where: {
        all: [
          { pte: '$e', kind: 'migration' },
          { page: { of: '$e' }, locked },
        ],
      },
    })),
    fc.integer({ min: 1, max: 3 }).map((n) => ({ exists: 'page', as: '$p', where: { page: '$p', ref: { ge: n }, locked: true } })),
    pick(labels).map((label) => ({ every: 'thread', as: '$t', where: { not: { thread: '$t', at: label } } })),
  ];
  const atom = fc.oneof(...atoms);
  return fc.oneof(
    { weight: 3, arbitrary: fc.array(atom, { minLength: 2, maxLength: 3 }).map((all) => ({ all })) },
    { weight: 1, arbitrary: fc.array(atom, { minLength: 1, maxLength: 2 }).map((any) => ({ any })) },
    { weight: 1, arbitrary: atom.map((p) => ({ not: p })) },
    { weight: 1, arbitrary: atom },
  );
}

const invariantOf = (w: World): fc.Arbitrary<UserInvariant> =>
  fc.record({ kind: fc.constantFrom('always' as const, 'never' as const), predicate: predicates(w) }).map(({ kind, predicate }) => ({
    name: 'generated',
    kind,
    predicate,
    message: 'the generated invariant breaks',
  }));

/** Same verdict with and without reductions; a counterexample of either replays to the invariant it names. */
function agrees(base: World, inv: UserInvariant): void {
  const world: World = { ...base, userInvariants: [inv] };
  const bounds = { maxStates: 200_000, maxSeconds: 60 };
  const reduced = explore(world, { bounds });
  const plain = explore(world, { ...NONE, bounds });
  expect({ verdict: reduced.verdict, invariant: reduced.counterexample?.invariant }).toEqual({
    verdict: plain.verdict,
    invariant: plain.counterexample?.invariant,
  });
  for (const r of [reduced, plain]) if (r.counterexample) expect(replays(world, r).invariant).toBe(r.counterexample.invariant);
  // Symmetry and dead registers keep shortest counterexamples shortest; a violation found with
  // partial order is searched again without it (explore), so every counterexample is a shortest.
  if (plain.counterexample) expect(reduced.counterexample?.length).toBe(plain.counterexample.length);
}

describe('reductions with user invariants (differential, fast-check)', () => {
  // Only the user invariant (and use-after-free, always on) is checked, so the verdict is its own.
  const worldsList: [string, World][] = [
    ['two threads that share nothing (partial order reduces most)', independentWorld],
    ['the example, kernel order (partial order)', resolveScenarioModel(scenario, { invariants: ['deadlock'] }).world],
    ['the example, early unlock', resolveScenarioModel(scenario, { variant: 'unlock-early', invariants: ['deadlock'] }).world],
    ['seed, 2 PTEs, 2 faults (symmetric fault threads)', resolveModel({ scenario: 'seed', params: { ptes: 2, faults: 2 }, invariants: ['deadlock'] }).world],
    ['c10-device-private (symmetric)', resolveModel({ scenario: 'c10-device-private', invariants: ['deadlock'] }).world],
    // lkmm: invariants over a thread's own state wait for its outstanding loads (Machine.checkUser)
    ['c11-split-order under lkmm (outstanding loads)', resolveModel({ scenario: 'c11-split-order', memoryModel: 'lkmm', invariants: ['deadlock'] }).world],
  ];
  for (const [name, world] of worldsList) {
    it(
      name,
      () => {
        fc.assert(
          fc.property(invariantOf(world), (inv) => agrees(world, inv)),
          { numRuns: 40, seed: 13 },
        );
      },
      120_000,
    );
  }

  it('the generated invariants are not all trivial: some hold, some break late, on a symmetric world too', () => {
    const world = worldsList[3][1];
    const verdicts = fc.sample(invariantOf(world), { numRuns: 40, seed: 13 }).map((inv) => explore({ ...world, userInvariants: [inv] }));
    expect(verdicts.filter((r) => r.verdict === 'holds').length).toBeGreaterThan(3);
    expect(verdicts.filter((r) => (r.counterexample?.length ?? 0) > 3).length).toBeGreaterThan(3);
    expect(verdicts.filter((r) => r.reductions.includes('symmetry')).length).toBeGreaterThan(3);
  }, 120_000);
});
