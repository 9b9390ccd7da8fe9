import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { INSN_WIDTH, opDecl, opNames, resolveModel, successors } from '@mmreplay/model';
import { Machine } from '@mmreplay/engine';
import { conflicts, futureFootprints, nextFootprint, opFootprints, type Footprint } from './footprint.js';
import { PartialOrder } from './partial-order.js';
import { catalogueRequests, describeRequest } from '../test/worlds.js';

// The partial-order reduction's condition C1 (issue 20, from the mutation run over footprint.ts
// and partial-order.ts): a thread's future footprint against a plain reachability search, and
// every ample set the reduction picks against the states the other threads can really reach
// before it moves.

describe('future footprints', () => {
  it('at every pc of every path of the catalogue, the union of the footprints of the steps reachable from it (up to the next PTL spin when asked)', () => {
    let checked = 0;
    for (const req of catalogueRequests()) {
      const m = new Machine(resolveModel(req).world);
      const ops = opFootprints(m);
      for (const path of m.paths) {
        const succ = successors(path);
        const op = (pc: number) => path.code[pc * INSN_WIDTH];
        for (const untilPtlLock of [false, true]) {
          const future = futureFootprints(path, ops, untilPtlLock);
          expect(future).toHaveLength(path.length);
          for (let pc0 = 0; pc0 < path.length; pc0++) {
            let read = 0;
            let write = 0;
            const seen = new Set([pc0]);
            const todo = [pc0];
            while (todo.length > 0) {
              const pc = todo.pop()!;
              if (path.visible[pc]) {
                read |= ops[op(pc)]?.read ?? 0;
                write |= ops[op(pc)]?.write ?? 0;
              }
              if (untilPtlLock && opDecl(op(pc)).spinsOnPtl) continue;
              for (const s of succ[pc]) {
                if (seen.has(s)) continue;
                seen.add(s);
                todo.push(s);
              }
            }
            const got = future[pc0];
            if (got.read !== read || got.write !== write)
              expect(got, `${describeRequest(req)} ${path.def.name ?? ''} pc ${pc0} ${opNames[op(pc0)]} untilPtlLock=${untilPtlLock}`).toEqual({ read, write });
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(5000);
  });
});

describe('ample sets: condition C1 against the reachable states', () => {
  it('from random reachable states, no step the other threads can reach before the ample thread moves conflicts with its step, and it stays enabled', () => {
    let ampleStates = 0;
    let checkedStates = 0;
    for (const req of catalogueRequests()) {
      const m = new Machine(resolveModel(req).world);
      const ops = opFootprints(m);
      const por = new PartialOrder(m);
      fc.assert(
        fc.property(fc.array(fc.nat(), { minLength: 5, maxLength: 120 }), (walk) => {
          let s = m.initialState();
          for (const r of walk) {
            const t = por.ample(s);
            if (t >= 0) {
              ampleStates++;
              expect(m.isRunnable(s, t)).toBe(true);
              const fp: Footprint = nextFootprint(m, ops, s, t);
              const choices = m.choiceCount(s, t);
              // the states the other threads reach while t stands still (bounded)
              const seen = new Set([s.join(',')]);
              const todo = [s];
              while (todo.length > 0 && seen.size < 300) {
                const x = todo.pop()!;
                checkedStates++;
                const what = `${describeRequest(req)}: ${opNames[m.opAt(s, t)]} (thread ${t}) chosen as ample`;
                expect(m.isRunnable(x, t), `${what}: disabled by the others`).toBe(true);
                expect(m.choiceCount(x, t), what).toBe(choices);
                for (let u = 0; u < m.threadCount; u++) {
                  if (u === t || !m.isRunnable(x, u)) continue;
                  const fu = nextFootprint(m, ops, x, u);
                  if (conflicts(fp, fu)) expect.fail(`${what}, but ${opNames[m.opAt(x, u)]} (thread ${u}) conflicts with it`);
                  for (let c = 0; c < m.choiceCount(x, u); c++) {
                    const y = x.slice();
                    if (!m.step(y, u, c)) continue;
                    const key = y.join(',');
                    if (!seen.has(key)) {
                      seen.add(key);
                      todo.push(y);
                    }
                  }
                }
              }
            }
            const runnable: number[] = [];
            for (let u = 0; u < m.threadCount; u++) if (m.isRunnable(s, u)) runnable.push(u);
            if (runnable.length === 0) return;
            const u = runnable[r % runnable.length];
            const next = s.slice();
            if (!m.step(next, u, r % m.choiceCount(s, u))) return;
            s = next;
          }
        }),
        { numRuns: 4, seed: 22 },
      );
    }
    expect(ampleStates).toBeGreaterThan(300);
    expect(checkedStates).toBeGreaterThan(2500);
  }, 120_000);
});
