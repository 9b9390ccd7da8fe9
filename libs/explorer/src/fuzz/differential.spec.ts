import { afterEach, describe, expect, it, vi } from 'vitest';
import { exploreOnce, type ExplorationResult, type ExploreOptions } from '../explorer.js';
import { resolveModel, type Variant } from '@mmreplay/model';
import { ReplayScheduler, RoundRobinScheduler, Runtime } from '@mmreplay/engine';
import { referenceEnumerate } from '../reference-enumerator.js';
import { checkCase, checkCaseOnWorkers, fuzzReductions, type CaseOutcome } from './differential.js';
import { generateCase, type GeneratedCase } from './variant-generator.js';

// The differential check itself (issue 20: a checker must be able to fail). The searches it
// compares are the real ones, wrapped so that a test can make one of them wrong (a verdict, a
// counterexample, a state count, a throw) for one set of options; each wrong answer must come out
// as a failure that names it, and each case the check cannot judge as skipped with its reason.
// The cases are fixed requests (small catalogue worlds as variants), so that a catalogue that grows
// does not change them; fuzzReductions is held to checkCase on the generator's first seeds.

const fault = vi.hoisted(() => ({
  explore: null as null | ((r: ExplorationResult, opts: ExploreOptions) => ExplorationResult),
  alone: null as null | ((r: ExplorationResult, opts: object) => ExplorationResult),
  parallel: null as null | ((r: ExplorationResult, opts: object) => ExplorationResult),
  exploreCalls: [] as ExploreOptions[],
  aloneCalls: [] as object[],
  /** the whole state space has a step the machine refuses (the enumeration to the end throws; the one that stops at a violation does not) */
  refuseAll: false,
  /** seeds for which the generator finds no linking variant */
  noCase: new Set<number>(),
}));
vi.mock('../explorer.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../explorer.js')>();
  return {
    ...real,
    explore: (world: Parameters<typeof real.explore>[0], opts: ExploreOptions = {}) => {
      fault.exploreCalls.push(opts);
      const r = real.explore(world, opts);
      return fault.explore ? fault.explore(r, opts) : r;
    },
  };
});
vi.mock('../parallel.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../parallel.js')>();
  return {
    ...real,
    exploreParallel: async (...args: Parameters<typeof real.exploreParallel>) => {
      const r = await real.exploreParallel(...args);
      return fault.parallel ? { ...fault.parallel(r, args[1]), workers: r.workers } : r;
    },
    exploreSharedAlone: (...args: Parameters<typeof real.exploreSharedAlone>) => {
      fault.aloneCalls.push(args[1] ?? {});
      const r = real.exploreSharedAlone(...args);
      return fault.alone ? fault.alone(r, args[1] ?? {}) : r;
    },
  };
});

vi.mock('../reference-enumerator.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../reference-enumerator.js')>();
  return {
    ...real,
    referenceEnumerate: (...args: Parameters<typeof real.referenceEnumerate>) => {
      if (fault.refuseAll && !args[2]) throw new Error('thread mig: ret with an empty call stack');
      return real.referenceEnumerate(...args);
    },
  };
});
vi.mock('./variant-generator.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('./variant-generator.js')>();
  return { ...real, generateCase: (seed: number) => (fault.noCase.has(seed) ? null : real.generateCase(seed)) };
});

afterEach(() => {
  fault.refuseAll = false;
  fault.noCase.clear();
  fault.explore = null;
  fault.alone = null;
  fault.parallel = null;
  fault.exploreCalls.length = 0;
  fault.aloneCalls.length = 0;
});

const REQUESTS = {
  holds: { scenario: 'litmus-2+2w', variant: { name: 'fixture-holds', patches: [] } },
  holds2: { scenario: 'c6-ttu-sync', variant: { name: 'fixture-holds', patches: [] } },
  violated: { scenario: 'c6-ttu-sync', variant: { name: 'fixture-violated', base: 'c6-no-ttu-sync', patches: [] } },
  violated2: { scenario: 'litmus-sb', variant: { name: 'fixture-violated', base: 'SB+poonceonces', patches: [] }, memoryModel: 'tso' },
  // a ret with an empty call stack on migrate_pages' path
  refused: {
    scenario: 'seed',
    params: { ptes: 2, faults: 2 },
    variant: { name: 'fixture-ret', patches: [{ op: 'insert', path: 'migrate_pages', after: 'U2.locked', steps: [{ label: 'X1', op: 'ret', args: [] }] }] },
  },
  // partial order alone finds a 17-step counterexample, the search without it one of 16
  longer: { scenario: 'seed', params: { ptes: 2, faults: 1 }, variant: { name: 'fixture-longer', base: 'install-before-lock', patches: [] } },
  // seed 3x3 unreduced: far more states than the reference enumerates
  large: { scenario: 'seed', params: { ptes: 3, faults: 3 }, variant: { name: 'fixture-large', patches: [] } },
} satisfies Record<string, GeneratedCase['request']>;
const HOLDS = 'holds';
const VIOLATED = 'violated';
const c = (name: keyof typeof REQUESTS, seed = 1): GeneratedCase => ({ seed, request: REQUESTS[name] as GeneratedCase['request'] });
const ALL_OFF = { symmetry: false, partialOrder: false, deadRegisters: false };
const COMBOS = [false, true].flatMap((symmetry) =>
  [false, true].flatMap((partialOrder) => [false, true].map((deadRegisters) => ({ symmetry, partialOrder, deadRegisters }))),
);
const isAllOff = (o: ExploreOptions) => o.symmetry === false && o.partialOrder === false && o.deadRegisters === false;
const failed = (o: CaseOutcome) => (o.kind === 'failed' ? o.reason : `not failed: ${JSON.stringify(o)}`);

describe('checkCase: the searches agree with the reference enumerator', () => {
  it('cases that hold and cases violated: agree, with the reference verdict and state count', () => {
    for (const name of ['holds', 'holds2', 'violated', 'violated2'] as const) {
      const ref = referenceEnumerate(c(name).request, 12_000, true);
      expect(ref.complete).toBe(true);
      expect(checkCase(c(name)), name).toEqual({ kind: 'agree', verdict: ref.violated ? 'violated' : 'holds', states: ref.states });
      expect(checkCase(c(name, 4), true), name).toEqual({ kind: 'agree', verdict: ref.violated ? 'violated' : 'holds', states: ref.states });
    }
    expect(checkCase(c(HOLDS))).toMatchObject({ verdict: 'holds' });
    expect(checkCase(c(VIOLATED))).toMatchObject({ verdict: 'violated' });
  });

  it('runs explore with every reduction, none, the seed extra combination, and partial order with symmetry, bounded; the parallel search alone only when asked', () => {
    for (const seed of [0, 1, 2, 3, 4, 5, 6]) {
      fault.exploreCalls.length = 0;
      checkCase(c(seed % 2 ? HOLDS : VIOLATED, seed));
      const bounds = { maxStates: 48_000, maxSeconds: 60 };
      expect(fault.exploreCalls, `seed ${seed}`).toEqual([
        { bounds },
        { ...ALL_OFF, bounds },
        { ...COMBOS[1 + (seed % 6)], bounds },
        { partialOrderWithSymmetry: true, bounds },
      ]);
      expect(fault.aloneCalls).toEqual([]);
    }
    fault.exploreCalls.length = 0;
    checkCase(c(HOLDS), true);
    expect(fault.aloneCalls).toEqual([
      { bounds: { maxStates: 48_000, maxSeconds: 60 } },
      { symmetry: false, deadRegisters: false, bounds: { maxStates: 48_000, maxSeconds: 60 } },
    ]);
    // and the sequential search with the same reductions, partial order off, to compare the counts
    expect(fault.exploreCalls.slice(4)).toEqual([
      { partialOrder: false, bounds: { maxStates: 48_000, maxSeconds: 60 } },
      { symmetry: false, deadRegisters: false, partialOrder: false, bounds: { maxStates: 48_000, maxSeconds: 60 } },
    ]);
  });

  it('cases it cannot judge are skipped, with the reason: no resolution, a program the machine refuses, too many states, the state bound before a violation', () => {
    const base = c(HOLDS);
    const broken: GeneratedCase = {
      ...base,
      request: { ...base.request, variant: { ...(base.request.variant as Variant), patches: [{ op: 'delete', path: 'nope', step: 'x' }] } },
    };
    expect(checkCase(broken)).toMatchObject({ kind: 'skipped', reason: expect.stringMatching(/^does not resolve: /) });
    expect(checkCase(c('refused'))).toEqual({ kind: 'skipped', reason: 'the machine refuses it: thread mig: ret with an empty call stack' });
    expect(checkCase(c('large'))).toEqual({ kind: 'skipped', reason: 'more than 12000 states' });
    fault.explore = (r) => ({ ...r, verdict: 'inconclusive', boundHit: 'states', counterexample: null });
    expect(checkCase(c(VIOLATED))).toEqual({ kind: 'skipped', reason: "the explorer's state bound (states)" });
    fault.explore = null;
    fault.alone = (r) => ({ ...r, verdict: 'inconclusive', boundHit: 'time', counterexample: null });
    expect(checkCase(c(VIOLATED), true)).toEqual({ kind: 'skipped', reason: "the explorer's state bound (time)" });
  });
});

describe('checkCase: a wrong search is a failure that says which', () => {
  it('a wrong verdict from each of the four explore runs', () => {
    const runs: [string, (o: ExploreOptions) => boolean][] = [
      ['{}', (o) => o.symmetry === undefined && o.partialOrderWithSymmetry === undefined && o.partialOrder === undefined],
      [JSON.stringify(ALL_OFF), isAllOff],
      [JSON.stringify(COMBOS[1 + (1 % 6)]), (o) => !isAllOff(o) && o.symmetry !== undefined],
      ['{"partialOrderWithSymmetry":true}', (o) => o.partialOrderWithSymmetry === true],
    ];
    for (const [name, which] of runs) {
      fault.explore = (r, o) => (which(o) ? { ...r, verdict: 'violated' } : r);
      expect(failed(checkCase(c(HOLDS)))).toBe(`explore ${name}: violated, the reference enumerator: holds`);
      fault.explore = (r, o) => (which(o) ? { ...r, verdict: 'holds', counterexample: null } : r);
      expect(failed(checkCase(c(VIOLATED)))).toBe(`explore ${name}: holds, the reference enumerator: violated`);
    }
    // inconclusive where the reference holds is wrong too: the reference saw every state
    fault.explore = (r) => ({ ...r, verdict: 'inconclusive', boundHit: 'states' });
    expect(failed(checkCase(c(HOLDS)))).toBe('explore {}: inconclusive, the reference enumerator: holds');
  });

  it('a counterexample that does not replay to its invariant', () => {
    fault.explore = (r, o) => (isAllOff(o) ? { ...r, counterexample: { ...r.counterexample!, invariant: 'not-this-one' } } : r);
    expect(failed(checkCase(c(VIOLATED)))).toMatch(
      new RegExp(`^explore ${escape(JSON.stringify(ALL_OFF))}: counterexample \\S+ \\(not-this-one\\) replays to violation \\S+`),
    );
  });

  it('a counterexample longer than the others: a failure naming each length; one that says it may not be a shortest is not compared', () => {
    const longer = exploreOnce(resolveModel(REQUESTS.longer).world).counterexample!;
    expect(longer.length).toBe(17);
    const isDefault = (o: ExploreOptions) => o.symmetry === undefined && o.partialOrder === undefined && o.partialOrderWithSymmetry === undefined;
    fault.explore = (r, o) => (isDefault(o) ? { ...r, counterexample: longer } : r);
    expect(failed(checkCase(c('longer')))).toBe(
      `counterexamples of 17 steps (explore {}), 16 steps (explore ${JSON.stringify(ALL_OFF)}), 16 steps (explore ${JSON.stringify(COMBOS[2])}), 16 steps (explore {"partialOrderWithSymmetry":true}): not all shortest`,
    );
    fault.explore = (r, o) => (isDefault(o) ? { ...r, counterexample: { ...longer, notShortest: 'time' } } : r);
    expect(checkCase(c('longer'))).toMatchObject({ kind: 'agree', verdict: 'violated' });
  });

  it('a search that throws: a failure, unless the program is one the machine refuses', () => {
    fault.explore = (r, o) => {
      if (isAllOff(o)) throw new Error('counterexample reconstruction failed at step 3');
      return r;
    };
    expect(failed(checkCase(c(VIOLATED)))).toBe(`explore ${JSON.stringify(ALL_OFF)} threw: counterexample reconstruction failed at step 3`);
    fault.explore = () => {
      throw new Error('something else');
    };
    expect(failed(checkCase(c(HOLDS)))).toBe('explore {} threw: something else');
    fault.alone = () => {
      throw new Error('lost a batch');
    };
    fault.explore = null;
    expect(failed(checkCase(c(HOLDS), true))).toBe('the parallel search alone {} threw: lost a batch');
    fault.alone = () => {
      throw new Error('counterexample reconstruction: no decision');
    };
    expect(failed(checkCase(c(VIOLATED), true))).toBe('the parallel search alone {} threw: counterexample reconstruction: no decision');
  });

  it('a search that throws where the whole state space has a step the machine refuses: skipped, unless a counterexample could not be rebuilt', () => {
    fault.refuseAll = true;
    fault.explore = (r, o) => {
      if (isAllOff(o)) throw new Error('thread mig: ret with an empty call stack');
      return r;
    };
    expect(checkCase(c(VIOLATED))).toEqual({ kind: 'skipped', reason: 'the machine refuses it: thread mig: ret with an empty call stack' });
    fault.explore = (r, o) => {
      if (isAllOff(o)) throw new Error('counterexample reconstruction failed at step 3');
      return r;
    };
    expect(failed(checkCase(c(VIOLATED)))).toBe(`explore ${JSON.stringify(ALL_OFF)} threw: counterexample reconstruction failed at step 3`);
    fault.explore = null;
    fault.alone = () => {
      throw new Error('thread mig: ret with an empty call stack');
    };
    expect(checkCase(c(VIOLATED), true)).toEqual({ kind: 'skipped', reason: 'the machine refuses it: thread mig: ret with an empty call stack' });
    fault.alone = () => {
      throw new Error('counterexample reconstruction: no decision');
    };
    expect(failed(checkCase(c(VIOLATED), true))).toBe('the parallel search alone {} threw: counterexample reconstruction: no decision');
    // where the machine runs every step, the same throw is a failure
    fault.refuseAll = false;
    fault.alone = () => {
      throw new Error('thread mig: ret with an empty call stack');
    };
    expect(failed(checkCase(c(VIOLATED), true))).toBe('the parallel search alone {} threw: thread mig: ret with an empty call stack');
  });

  it('a counterexample whose replay breaks nothing: the failure says so, with no invariant', () => {
    // a complete run of the fixed variant, where no schedule breaks anything, handed in as a counterexample
    const world = resolveModel(REQUESTS.holds2).world;
    const run = new Runtime(world).run({ scheduler: new RoundRobinScheduler(), maxSteps: 1000 });
    expect(run.violation).toBeNull();
    const replay = new Runtime(world).run({ scheduler: new ReplayScheduler(run.schedule), maxSteps: run.steps });
    fault.explore = (r, o) =>
      isAllOff(o) ? { ...r, counterexample: { invariant: 'I1', schedule: run.schedule, length: run.steps, step: run.steps, thread: '', message: '' } } : r;
    expect(failed(checkCase(c('holds2')))).toBe(`explore ${JSON.stringify(ALL_OFF)}: counterexample ${run.schedule} (I1) replays to ${replay.outcome} `);
    fault.explore = null;
    fault.alone = (r) => ({
      ...r,
      counterexample: { invariant: 'I1', schedule: run.schedule, length: run.steps, step: run.steps, thread: '', message: '' },
    });
    expect(failed(checkCase(c('holds2'), true))).toBe(`the parallel search alone {}: counterexample ${run.schedule} (I1) replays to ${replay.outcome}`);
  });

  it('the parallel search alone: a wrong verdict, other counts than the sequential search, a counterexample that does not replay or is longer', () => {
    const offOnly = (o: object) => (o as { symmetry?: boolean }).symmetry === false;
    fault.alone = (r, o) => (offOnly(o) ? { ...r, verdict: 'violated' } : r);
    expect(failed(checkCase(c(HOLDS), true))).toBe(
      'the parallel search alone {"symmetry":false,"deadRegisters":false}: violated, the reference enumerator: holds',
    );
    fault.alone = (r) => ({ ...r, statesStored: r.statesStored + 1 });
    expect(failed(checkCase(c(HOLDS), true))).toMatch(/^the parallel search alone \{\}: (\d+) states, (\d+) transitions; one thread: \d+, \d+$/);
    fault.alone = (r) => ({ ...r, transitions: r.transitions - 1 });
    const m = /^the parallel search alone \{\}: (\d+) states, (\d+) transitions; one thread: (\d+), (\d+)$/.exec(failed(checkCase(c(HOLDS), true)));
    expect(m).not.toBeNull();
    expect([Number(m![1]) - Number(m![3]), Number(m![2]) - Number(m![4])]).toEqual([0, -1]);
    // a violated case's counts are not compared (the searches stop at different states of the level)
    fault.alone = (r) => ({ ...r, statesStored: r.statesStored + 1, transitions: r.transitions + 1 });
    expect(checkCase(c(VIOLATED), true).kind).toBe('agree');
    fault.alone = (r) => ({ ...r, counterexample: { ...r.counterexample!, invariant: 'not-this-one' } });
    expect(failed(checkCase(c(VIOLATED), true))).toMatch(/^the parallel search alone \{\}: counterexample \S+ \(not-this-one\) replays to violation$/);
    // one step longer than the sequential search's: the schedule run once more, past the violation
    fault.alone = (r) => ({ ...r, counterexample: { ...r.counterexample!, length: r.counterexample!.length + 1 } });
    expect(failed(checkCase(c(VIOLATED), true))).toMatch(/^the parallel search alone \{\}: counterexample of (\d+) steps, one thread: (\d+)$/);
    fault.alone = (r) => ({ ...r, counterexample: { ...r.counterexample!, length: r.counterexample!.length - 1 } });
    expect(checkCase(c(VIOLATED), true).kind).toBe('agree');
  });
});

describe('checkCaseOnWorkers: the parallel search on worker threads, held to explore', () => {
  it('agrees where checkCase does, and a wrong verdict, other counts or a counterexample that does not replay is a failure naming the workers', async () => {
    expect(await checkCaseOnWorkers(c(HOLDS), 2)).toEqual(checkCase(c(HOLDS)));
    expect(await checkCaseOnWorkers(c(VIOLATED), 2)).toEqual(checkCase(c(VIOLATED)));
    const offOnly = (o: object) => (o as { symmetry?: boolean }).symmetry === false;
    fault.parallel = (r, o) => (offOnly(o) ? { ...r, verdict: 'violated' } : r);
    expect(failed(await checkCaseOnWorkers(c(HOLDS), 2))).toBe('2 workers {"symmetry":false,"deadRegisters":false}: violated, the reference enumerator: holds');
    fault.parallel = (r) => ({ ...r, statesStored: r.statesStored - 1 });
    expect(failed(await checkCaseOnWorkers(c(HOLDS), 2))).toMatch(/^2 workers \{\}: (\d+) states, (\d+) transitions; one thread: \d+, \d+$/);
    fault.parallel = (r) => ({ ...r, counterexample: { ...r.counterexample!, invariant: 'not-this-one' } });
    expect(failed(await checkCaseOnWorkers(c(VIOLATED), 2))).toMatch(/^2 workers \{\}: counterexample \S+ \(not-this-one\) replays to violation$/);
    // a case checkCase does not pass is not searched on the workers
    fault.explore = (r) => ({ ...r, verdict: 'holds' });
    expect((await checkCaseOnWorkers(c(VIOLATED), 2)).kind).toBe('failed');
  });
});

describe('fuzzReductions', () => {
  it('checks seed after seed, in order, and counts each outcome as checkCase gives it', () => {
    const seen: [number, CaseOutcome][] = [];
    const r = fuzzReductions(1, 6, (seed, o) => seen.push([seed, o]));
    expect(seen.map(([seed]) => seed)).toEqual([1, 2, 3, 4, 5, 6]);
    const expected = seen.map(([seed]) => checkCase(generateCase(seed)!));
    expect(seen.map(([, o]) => o)).toEqual(expected);
    const count = (f: (o: CaseOutcome) => boolean) => expected.filter(f).length;
    expect(r).toEqual({
      checked: 6,
      agreed: { holds: count((o) => o.kind === 'agree' && o.verdict === 'holds'), violated: count((o) => o.kind === 'agree' && o.verdict === 'violated') },
      skipped: count((o) => o.kind === 'skipped'),
      failures: [],
    });
    expect(r.agreed.holds + r.agreed.violated).toBeGreaterThan(0);
    expect(fault.aloneCalls).toEqual([]);
  });

  it('a seed without a linking variant is skipped, and says so', () => {
    fault.noCase.add(3);
    const seen: CaseOutcome[] = [];
    const r = fuzzReductions(3, 1, (_, o) => seen.push(o));
    expect(seen).toEqual([{ kind: 'skipped', reason: 'no linking variant' }]);
    expect(r).toEqual({ checked: 1, agreed: { holds: 0, violated: 0 }, skipped: 1, failures: [] });
  });

  it('a failure names its seed, the reason and the variant; the parallel search alone goes through to each case', () => {
    const agreed = [1, 2, 3, 4, 5, 6].filter((seed) => checkCase(generateCase(seed)!).kind === 'agree');
    expect(agreed.length).toBeGreaterThan(0);
    fault.aloneCalls.length = 0;
    fault.alone = (r) => ({ ...r, verdict: r.verdict === 'holds' ? 'violated' : 'holds', counterexample: null });
    const r = fuzzReductions(1, 6, undefined, true);
    // once for each case explore agrees on: its first search (every reduction) fails it
    expect(fault.aloneCalls.length).toBe(agreed.length);
    expect(r.failures.map((f) => f.seed)).toEqual(agreed);
    for (const f of r.failures) {
      expect(f.request).toEqual(generateCase(f.seed)!.request);
      expect(f.reason).toMatch(/^the parallel search alone \{\}: (holds|violated), the reference enumerator: (holds|violated)$/);
    }
    expect(r.agreed).toEqual({ holds: 0, violated: 0 });
    expect(r.skipped).toBe(6 - agreed.length);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
