import { describe, expect, it } from 'vitest';
import { LITMUS_EXPECTATIONS, resolveModel, type MemoryModelName, type ResolveRequest } from '@mmreplay/model';
import { Machine, ReplayScheduler, Runtime, type StepEvent } from '@mmreplay/engine';
import { explore } from './explorer.js';
import { referenceEnumerate } from './reference-enumerator.js';
import { Symmetry } from './symmetry.js';
import { PartialOrder } from './partial-order.js';

// The memory models (docs/memory-model.md), checked exhaustively: the litmus shapes against the
// Linux kernel memory model's documented results, and reference §5 row C11.

const MODELS: readonly MemoryModelName[] = ['sc', 'tso', 'lkmm'];
const NO_REDUCTIONS = { symmetry: false, partialOrder: false, deadRegisters: false };
const world = (req: ResolveRequest) => resolveModel(req).world;

/** The verdict with every reduction, checked against no reduction and the reference enumerator. */
function verdict(req: ResolveRequest): 'violated' | 'holds' {
  const reduced = explore(world(req));
  const plain = explore(world(req), NO_REDUCTIONS);
  const ref = referenceEnumerate(req);
  expect(reduced.verdict).toBe(plain.verdict);
  expect(plain.verdict === 'violated').toBe(ref.violated);
  if (!ref.violated) expect(plain.statesStored).toBe(ref.states);
  expect(reduced.counterexample?.length).toBe(plain.counterexample?.length);
  expect(['violated', 'holds']).toContain(reduced.verdict);
  return reduced.verdict as 'violated' | 'holds';
}

/** What each model must answer: sc forbids every weak outcome, tso allows only SB's, lkmm the kernel's. */
function expected(model: MemoryModelName, e: (typeof LITMUS_EXPECTATIONS)[number]): 'Never' | 'Sometimes' {
  if (model === 'sc') return 'Never';
  if (model === 'tso') return e.scenario === 'litmus-sb' && e.barrier !== 'mb' ? 'Sometimes' : 'Never';
  // lkmm answers the LKMM's own result on every row, 2+2W with smp_wmb() (allowed: stores
  // propagate to each CPU on their own) included.
  return e.lkmm;
}

describe('litmus tests against the kernel memory model', () => {
  it('covers MP, SB, LB and 2+2W, each with the barriers that forbid the weak outcome and without', () => {
    for (const shape of ['litmus-mp', 'litmus-sb', 'litmus-lb', 'litmus-2+2w']) {
      const rows = LITMUS_EXPECTATIONS.filter((e) => e.scenario === shape);
      expect(rows.some((e) => e.lkmm === 'Never')).toBe(true);
      expect(rows.some((e) => e.lkmm === 'Sometimes')).toBe(true);
    }
  });
  for (const model of MODELS) {
    for (const e of LITMUS_EXPECTATIONS) {
      const want = expected(model, e);
      it(`${model}: ${e.test} is ${want === 'Never' ? 'forbidden' : 'allowed'} (LKMM: ${e.lkmm}), with and without reductions`, () => {
        const got = verdict({ scenario: e.scenario, variant: { switches: { BARRIER: e.barrier } }, memoryModel: model });
        expect(got === 'violated' ? 'Sometimes' : 'Never').toBe(want);
      });
    }
  }
  it("lkmm's weak MP outcome replays, and its events say which write each load read", () => {
    const req = { scenario: 'litmus-mp', variant: 'MP+poonceonces', memoryModel: 'lkmm' as const };
    const r = explore(world(req));
    expect(r.counterexample?.invariant).toBe('weak-outcome');
    const events = replay(req, r.counterexample!.schedule);
    const loads = events.flatMap((e) => e.memory ?? []).filter((a) => a.access === 'load' || a.access === 'load-satisfied');
    expect(loads.find((a) => a.location === 'var:y')?.value).toBe(1);
    expect(loads.find((a) => a.location === 'var:x')).toMatchObject({ value: 0, readFrom: { step: null } });
  });
});

describe('C11: THP split publishing a tail vs a PTL holder (reference §4 #11, §5 C11)', () => {
  const kernel = { scenario: 'c11-split-order' };
  const buggy = ['c11-no-barriers', 'c11-wmb-only', 'c11-fault-no-barriers', 'c11-fault-wmb-only'];

  for (const check of ['zap', 'fault']) {
    it(`${check}: SPLITBAR=wmb+rmb holds under sc, tso and lkmm`, () => {
      for (const memoryModel of MODELS) expect(verdict({ ...kernel, variant: { switches: { CHECK: check } }, memoryModel })).toBe('holds');
    });
  }
  for (const variant of buggy) {
    it(`${variant}: violated (bug-on) under lkmm; holds under sc and tso`, () => {
      expect(verdict({ ...kernel, variant })).toBe('violated');
      expect(verdict({ ...kernel, variant, memoryModel: 'sc' })).toBe('holds');
      expect(verdict({ ...kernel, variant, memoryModel: 'tso' })).toBe('holds');
    });
  }

  it('the counterexample replays, and its trace shows the stale read of the flags', () => {
    for (const variant of ['c11-wmb-only', 'c11-no-barriers']) {
      const req = { ...kernel, variant };
      const r = explore(world(req));
      expect(r.counterexample).toMatchObject({ invariant: 'bug-on', thread: 'zap' });
      const events = replay(req, r.counterexample!.schedule);
      const last = events[events.length - 1];
      expect(last.op).toBe('check_locked_loaded');
      const check = last.memory?.find((a) => a.access === 'check');
      // zap checked the flags of t1 as they were before the split's `flags.locked := 1`
      expect(check).toMatchObject({ location: 'page:t1.flags', value: 0, readFrom: { step: null } });
      const split = check!.newer!.find((w) => w.thread === 'split' && w.label === 'S4.t1.flags');
      expect(split).toBeDefined();
      expect(check!.note).toMatch(/stale: split's store at step \d+ \(S4\.t1\.flags/);
      // ... while the head it loaded is already the new one: t1 is its own folio
      const head = events.flatMap((e) => e.memory ?? []).find((a) => a.location === 'page:t1.head' && (a.access === 'load' || a.access === 'load-satisfied'));
      expect(head).toMatchObject({ readFrom: { thread: 'split', label: 'S4.t1.clear_compound_head' } });
    }
  });
});

/**
 * End states and violations reachable with every decision, and with the ample sets of the
 * partial-order reduction alone (the worlds below have acyclic state graphs, so no cycle proviso
 * is needed): a footprint that missed a dependency would lose some of them.
 */
function endings(req: ResolveRequest, reduce: boolean): { out: Set<string>; states: number } {
  const m = new Machine(world(req));
  const por = reduce ? new PartialOrder(m) : null;
  const seen = new Set<string>();
  const out = new Set<string>();
  const stack = [m.initialState()];
  while (stack.length) {
    const s = stack.pop()!;
    const ample = por ? por.ample(s) : -1;
    let any = false;
    for (let t = 0; t < m.threadCount; t++) {
      if (!m.isRunnable(s, t) || (ample >= 0 && t !== ample)) continue;
      any = true;
      for (let c = 0; c < m.choiceCount(s, t); c++) {
        const next = s.slice();
        if (!m.step(next, t, c)) {
          out.add(`${m.violation!.invariant}: ${m.violation!.message}`);
          continue;
        }
        const key = next.join(',');
        if (!seen.has(key)) {
          seen.add(key);
          stack.push(next);
        }
      }
    }
    if (!any) out.add(s.join(','));
  }
  return { out, states: seen.size };
}

describe('reductions under weak memory models', () => {
  it('partial-order reduction keeps every end state and every violation of the litmus and C11 worlds', () => {
    const reqs: ResolveRequest[] = [
      ...LITMUS_EXPECTATIONS.flatMap((e) =>
        MODELS.map((memoryModel) => ({ scenario: e.scenario, variant: { switches: { BARRIER: e.barrier } }, memoryModel })),
      ),
      ...MODELS.flatMap((memoryModel) =>
        [undefined, 'c11-no-barriers', 'c11-wmb-only'].map((variant) => ({ scenario: 'c11-split-order', variant, memoryModel })),
      ),
    ];
    let reduced = 0;
    for (const req of reqs) {
      const full = endings(req, false);
      const por = endings(req, true);
      expect([...por.out].sort(), JSON.stringify(req)).toEqual([...full.out].sort());
      if (por.states < full.states) reduced++;
    }
    // ... and it does reduce some of them
    expect(reduced).toBeGreaterThan(0);
  });
  it('symmetry is off for a world whose threads have store buffers or load queues', () => {
    const store = { label: 'X.store', op: 'store', args: [1, 'page', 'n', 0] };
    const patched = (memoryModel: MemoryModelName) =>
      world({
        scenario: 'seed',
        params: { ptes: 2, faults: 2 },
        memoryModel,
        variant: { patches: [{ op: 'insert', path: 'handle_mm_fault', before: 'F9.accessed', steps: [store as never] }] },
      });
    expect(new Symmetry(new Machine(patched('sc'))).active).toBe(true);
    expect(new Symmetry(new Machine(patched('lkmm'))).active).toBe(false);
    // a world without relaxed accesses pays nothing for a weak model: same layout, same states
    const plain = (memoryModel: MemoryModelName) => world({ scenario: 'seed', params: { ptes: 2, faults: 2 }, memoryModel });
    expect(new Machine(plain('lkmm')).layout.size).toBe(new Machine(plain('sc')).layout.size);
    expect(explore(plain('lkmm')).statesStored).toBe(explore(plain('sc')).statesStored);
  });
});

function replay(req: ResolveRequest, schedule: string): StepEvent[] {
  const events: StepEvent[] = [];
  const scheduler = new ReplayScheduler(schedule);
  const r = new Runtime(world(req)).run({ scheduler, maxSteps: scheduler.length, onEvent: (e) => events.push(e) });
  expect(r.outcome).toBe('violation');
  return events;
}
