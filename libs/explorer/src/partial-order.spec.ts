import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { opNames, resolveModel, scenarios, type ResolveRequest } from '@mmreplay/model';
import { Machine } from '@mmreplay/engine';
import { conflicts, nextFootprint, opFootprints } from './footprint.js';
import { PartialOrder } from './partial-order.js';

// The partial-order reduction's two premises, tested directly (issue 20): steps whose footprints do
// not conflict commute, and a step that changes what a state invariant reads is never reduced.

/** Every scenario and named variant with small parameters, each memory model a scenario offers. */
function requests(): ResolveRequest[] {
  const out: ResolveRequest[] = [];
  for (const s of scenarios()) {
    for (const variant of [undefined, ...s.variants.map((v) => v.name)]) {
      const params = s.name === 'seed' ? { ptes: 2, faults: 2 } : undefined;
      out.push({ scenario: s.name, params, variant });
      for (const memoryModel of ['tso', 'lkmm'] as const) {
        try {
          if (resolveModel({ scenario: s.name, params, variant, memoryModel }).world.memoryModel === memoryModel)
            out.push({ scenario: s.name, params, variant, memoryModel });
        } catch {
          // no relaxed accesses to put under that model
        }
      }
    }
  }
  return out;
}

describe('partial-order footprints', () => {
  it('independent steps commute: from reachable states, both orders of a non-conflicting pair reach the same state', () => {
    let pairs = 0;
    const seenOps = new Set<string>();
    for (const req of requests()) {
      const m = new Machine(resolveModel(req).world);
      const ops = opFootprints(m);
      fc.assert(
        fc.property(fc.array(fc.nat(), { minLength: 20, maxLength: 300 }), (walk) => {
          let s = m.initialState();
          for (const r of walk) {
            const runnable: number[] = [];
            for (let t = 0; t < m.threadCount; t++) if (m.isRunnable(s, t)) runnable.push(t);
            if (runnable.length === 0) return;
            for (const t of runnable) {
              for (const u of runnable) {
                if (u <= t || conflicts(nextFootprint(m, ops, s, t), nextFootprint(m, ops, s, u))) continue;
                for (let ct = 0; ct < m.choiceCount(s, t); ct++) {
                  for (let cu = 0; cu < m.choiceCount(s, u); cu++) {
                    const tu = s.slice();
                    const okT = m.step(tu, t, ct);
                    const uEnabled = m.isRunnable(tu, u) && m.choiceCount(tu, u) === m.choiceCount(s, u);
                    const okTU = okT && uEnabled && m.step(tu, u, cu);
                    const ut = s.slice();
                    const okU = m.step(ut, u, cu);
                    const tEnabled = m.isRunnable(ut, t) && m.choiceCount(ut, t) === m.choiceCount(s, t);
                    const okUT = okU && tEnabled && m.step(ut, t, ct);
                    const what = `${req.scenario} ${req.variant ?? ''} ${req.memoryModel ?? ''}: ${opNames[m.opAt(s, t)]} (thread ${t}) and ${opNames[m.opAt(s, u)]} (thread ${u})`;
                    // each stays enabled, with the same choices, after the other
                    expect(okT ? uEnabled : true, `${what}: the first disables the second`).toBe(true);
                    expect(okU ? tEnabled : true, `${what}: the second disables the first`).toBe(true);
                    if (okT && okU) {
                      expect(okTU, `${what}: ok in one order`).toBe(okUT);
                      if (okTU) expect(tu.join(','), what).toBe(ut.join(','));
                    }
                    pairs++;
                    seenOps.add(opNames[m.opAt(s, t)]).add(opNames[m.opAt(s, u)]);
                  }
                }
              }
            }
            const t = runnable[r % runnable.length];
            const next = s.slice();
            if (!m.step(next, t, r % m.choiceCount(s, t))) return;
            s = next;
          }
        }),
        { numRuns: 8, seed: 20 },
      );
    }
    // the test is about something: many pairs, among them the reads the reduction relies on
    expect(pairs).toBeGreaterThan(1000);
    for (const op of ['pte_read', 'pte_read_lockless', 'ref_check', 'ptl_lock', 'lock_page']) expect(seenOps).toContain(op);
  }, 240_000);
});

describe('ample sets: condition C2 (visibility)', () => {
  /** The migration thread alone, walked to its first step of `op`. */
  function at(op: string, invariants: string[]): { m: Machine; s: Int32Array } {
    const m = new Machine(resolveModel({ scenario: 'seed', params: { ptes: 1, faults: 0 }, invariants }).world);
    const s = m.initialState();
    for (let i = 0; i < 200 && opNames[m.opAt(s, 0)] !== op; i++) m.step(s, 0, 0);
    expect(opNames[m.opAt(s, 0)]).toBe(op);
    return { m, s };
  }
  it('a step that writes a PTE is never an ample set while I1 or I3 is audited, and is one otherwise', () => {
    for (const invariants of [['I1'], ['I3']]) {
      const { m, s } = at('set_migration_pte', invariants);
      expect(new PartialOrder(m).ample(s), `${invariants}`).toBe(-1);
    }
    const { m, s } = at('set_migration_pte', ['bug-on']);
    expect(new PartialOrder(m).ample(s)).toBe(0);
  });
  it('a step that writes nothing an invariant reads is an ample set under I1', () => {
    const { m, s } = at('rmap_next', ['I1']);
    expect(new PartialOrder(m).ample(s)).toBe(0);
  });
});
