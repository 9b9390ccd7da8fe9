import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { INSN_WIDTH, ThreadField, opDecl, parseScenarioDocument, resolveModel, resolveScenarioModel, successors, type LinkedPath } from '@mmreplay/model';
import { Machine } from '@mmreplay/engine';
import { DeadRegisters } from './dead-registers.js';
import { catalogueRequests, describeRequest } from '../test/worlds.js';

// The dead-register reduction (issue 20, from the mutation run over dead-registers.ts): which
// registers it clears at each pc, against a reference liveness written as a plain search, and the
// reduction's soundness against the machine itself: clearing dead registers before a step changes
// nothing the step does once the dead registers of its result are cleared too.

const SENTINEL = 0x5a5a;

/** Registers live at pc by definition: some path from pc reads r before every write of it. */
function referenceLive(path: LinkedPath, pc0: number, r: number): boolean {
  const code = path.code;
  const decl = (pc: number) => opDecl(code[pc * INSN_WIDTH]);
  for (let pc = 0; pc < path.length; pc++) if (decl(pc).flow === 'call' || decl(pc).flow === 'ret') return true;
  const access = (pc: number): 'use' | 'def' | 'defOnNext' | null => {
    let out: 'use' | 'def' | 'defOnNext' | null = null;
    decl(pc).operands.forEach((o, j) => {
      if (o.kind === 'imm' || o.kind === 'label' || code[pc * INSN_WIDTH + 1 + j] !== r) return;
      const a = o.access ?? 'read';
      // a read anywhere in the instruction comes before its write
      if (a === 'read' || a === 'update' || a === 'readMayWrite') out = 'use';
      else if (out === null) out = a === 'write' ? 'def' : 'defOnNext';
    });
    return out;
  };
  const succ = successors(path);
  const seen = new Set<number>([pc0]);
  const todo = [pc0];
  while (todo.length > 0) {
    const pc = todo.pop()!;
    const a = access(pc);
    if (a === 'use') return true;
    if (a === 'def') continue;
    succ[pc].forEach((s, i) => {
      if (a === 'defOnNext' && i === 0 && s === pc + 1) return;
      if (!seen.has(s)) {
        seen.add(s);
        todo.push(s);
      }
    });
  }
  return false;
}

describe('dead registers', () => {
  it('at every pc of every path of the catalogue, exactly the registers a reference liveness finds dead are cleared, each to its empty value', () => {
    let cleared = 0;
    let kept = 0;
    for (const req of catalogueRequests()) {
      const m = new Machine(resolveModel(req).world);
      const dead = new DeadRegisters(m);
      m.paths.forEach((path, t) => {
        const base = m.layout.thread(t, 0);
        const regs = path.def.regs;
        for (let pc = 0; pc < path.length; pc++) {
          // the other threads' registers as clearing leaves them at their own pcs
          const s = dead.clear(m.initialState());
          s[base + ThreadField.pc] = pc;
          for (let r = 0; r < regs.length; r++) s[base + ThreadField.regs + r] = SENTINEL;
          const other = s.slice();
          dead.clear(s);
          for (let r = 0; r < regs.length; r++) {
            const want = referenceLive(path, pc, r);
            const empty = regs[r].type === 'page' || regs[r].type === 'pte' || regs[r].type === 'vma' ? -1 : 0;
            const got = s[base + ThreadField.regs + r];
            if (got !== (want ? SENTINEL : empty))
              expect(got, `${describeRequest(req)} ${m.world.threads[t].name} pc ${pc} ${regs[r].name}`).toBe(want ? SENTINEL : empty);
            if (want) kept++;
            else cleared++;
            other[base + ThreadField.regs + r] = got;
          }
          // nothing else in the state moves
          if (s.some((x, k) => x !== other[k])) expect(Array.from(s)).toEqual(Array.from(other));
        }
      });
    }
    expect(cleared).toBeGreaterThan(1000);
    expect(kept).toBeGreaterThan(1000);
  });

  it('a path with a subroutine keeps every register at every pc (a ret goes back to any of its callers)', () => {
    // No path of the catalogue calls a subroutine (issue 20: the mutants that ignored calls survived).
    const src = { file: 'mm/memory.c', fn: 'do_fault', version: 'v6.6' };
    const parsed = parseScenarioDocument({
      name: 'subroutine',
      title: 'a thread reads a register in a subroutine it calls',
      pages: [{ name: 'P', ref: 1, map: 1, mapping: 'anon', index: 0 }],
      vmas: [{ name: 'vma', start: 16, pgoff: 0 }],
      ptls: ['ptl'],
      ptes: [{ name: 'e', addr: 16, ptl: 'ptl', init: { kind: 'present', page: 'P', writable: true } }],
      threads: [{ name: 'a', path: 'a', args: { pte: 'e' } }],
      paths: {
        a: {
          regs: { pte: 'pte', x: 'int' },
          steps: [
            { label: 'A1', op: 'mov', args: ['x', 1], src },
            { label: 'A2', op: 'call', args: ['S1'] },
            { label: 'A3', op: 'ptl_lock', args: ['pte'] },
            { label: 'A4', op: 'ptl_unlock', args: ['pte'] },
            { label: 'A5', op: 'done', args: [] },
            { label: 'S1', op: 'beq', args: ['x', 0, 'S2'] },
            { label: 'S2', op: 'ret', args: [] },
          ],
        },
      },
      invariants: ['deadlock'],
    });
    if (!parsed.ok) throw new Error(parsed.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
    const m = new Machine(resolveScenarioModel(parsed.scenario, {}).world);
    const dead = new DeadRegisters(m);
    const base = m.layout.thread(0, 0);
    expect(m.paths[0].length).toBeGreaterThanOrEqual(7);
    for (let pc = 0; pc < m.paths[0].length; pc++) {
      const s = m.initialState();
      s[base + ThreadField.pc] = pc;
      s[base + ThreadField.regs] = SENTINEL;
      s[base + ThreadField.regs + 1] = SENTINEL;
      dead.clear(s);
      expect([s[base + ThreadField.regs], s[base + ThreadField.regs + 1]], `pc ${pc}`).toEqual([SENTINEL, SENTINEL]);
    }
  });

  it("rmap_next's jump edge keeps the VMA and PTE registers it writes on the fall-through alone, even when the jump is to the next pc", () => {
    // No path of the catalogue reads those registers after its walk is done (issue 20: the mutants
    // of liveness's edge test, which let the jump edge kill them too, survived). Thread a jumps to
    // the next pc when the walk is done, thread b back to its start; each then reads the PTE
    // register, so it is live at the rmap_next.
    const src = { file: 'mm/rmap.c', fn: 'rmap_walk', version: 'v6.6' };
    const regs = { page: 'page', seen: 'vmaset', vma: 'vma', pte: 'pte' };
    const parsed = parseScenarioDocument({
      name: 'walk-done',
      title: 'registers read after an rmap walk is done',
      pages: [{ name: 'P', ref: 1, map: 1, mapping: 'anon', index: 0 }],
      vmas: [{ name: 'vma', start: 16, pgoff: 0 }],
      ptls: ['ptl'],
      ptes: [{ name: 'e', addr: 16, ptl: 'ptl', init: { kind: 'present', page: 'P', writable: true } }],
      threads: [
        { name: 'a', path: 'a', args: { page: 'P', pte: 'e' } },
        { name: 'b', path: 'b', args: { page: 'P', pte: 'e' } },
      ],
      paths: {
        a: {
          regs,
          steps: [
            { label: 'A1', op: 'rmap_next', args: ['page', 'seen', 'vma', 'pte', 'A2', 0], src },
            { label: 'A2', op: 'ptl_lock', args: ['pte'] },
            { label: 'A3', op: 'ptl_unlock', args: ['pte'] },
            { label: 'A4', op: 'done', args: [] },
          ],
        },
        b: {
          regs,
          steps: [
            { label: 'B1', op: 'ptl_lock', args: ['pte'], src },
            { label: 'B2', op: 'ptl_unlock', args: ['pte'] },
            { label: 'B3', op: 'rmap_next', args: ['page', 'seen', 'vma', 'pte', 'B1', 0] },
          ],
        },
      },
      invariants: ['deadlock'],
    });
    if (!parsed.ok) throw new Error(parsed.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
    const m = new Machine(resolveScenarioModel(parsed.scenario, {}).world);
    const dead = new DeadRegisters(m);
    m.paths.forEach((path, t) => {
      const base = m.layout.thread(t, 0);
      for (let pc = 0; pc < path.length; pc++) {
        const s = m.initialState();
        s[base + ThreadField.pc] = pc;
        for (let r = 0; r < path.def.regs.length; r++) s[base + ThreadField.regs + r] = SENTINEL;
        dead.clear(s);
        for (let r = 0; r < path.def.regs.length; r++) {
          const want = referenceLive(path, pc, r);
          expect(s[base + ThreadField.regs + r] === SENTINEL, `${m.world.threads[t].name} pc ${pc} ${path.def.regs[r].name}`).toBe(want);
        }
      }
    });
    // the world has the cases: the PTE register is live at each rmap_next
    const pte = (t: number) => m.paths[t].def.regs.findIndex((r) => r.name === 'pte');
    expect([referenceLive(m.paths[0], 0, pte(0)), referenceLive(m.paths[1], 2, pte(1))]).toEqual([true, true]);
  });

  it('lkmm: a store left outstanding keeps the register it reads (every reachable state of the litmus worlds)', () => {
    // The release store of LB+poacquireonce+pooncerelease waits for the load before it; its
    // register (a constant) is dead at the next pc, and clearing it made the store write 0.
    let checked = 0;
    for (const req of catalogueRequests().filter((r) => r.scenario.startsWith('litmus-'))) {
      {
        const model = resolveModel({ ...req, memoryModel: 'lkmm' });
        const what = describeRequest(req);
        const m = new Machine(model.world);
        const dead = new DeadRegisters(m);
        const seen = new Set<string>();
        const stack = [m.initialState()];
        while (stack.length > 0) {
          const s = stack.pop()!;
          for (let t = 0; t < m.threadCount; t++) {
            if (!m.isRunnable(s, t)) continue;
            for (let ch = 0, n = m.choiceCount(s, t); ch < n; ch++) {
              const a = s.slice();
              m.step(a, t, ch);
              const b = dead.clear(s.slice());
              m.step(b, t, ch);
              expect(Array.from(dead.clear(b.slice())), `${what}: thread ${t} choice ${ch}`).toEqual(Array.from(dead.clear(a.slice())));
              checked++;
              const key = a.join(',');
              if (!seen.has(key)) {
                seen.add(key);
                stack.push(a);
              }
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  }, 120_000);

  it('clearing is sound: from reachable states, a step from the cleared state reaches the cleared successor', () => {
    let steps = 0;
    for (const req of catalogueRequests()) {
      const m = new Machine(resolveModel(req).world);
      const dead = new DeadRegisters(m);
      fc.assert(
        fc.property(fc.array(fc.nat(), { minLength: 10, maxLength: 200 }), (walk) => {
          let s = m.initialState();
          for (const r of walk) {
            const c = dead.clear(s.slice());
            const runnable: number[] = [];
            for (let t = 0; t < m.threadCount; t++) {
              expect(m.isRunnable(c, t)).toBe(m.isRunnable(s, t));
              if (!m.isRunnable(s, t)) continue;
              runnable.push(t);
              expect(m.choiceCount(c, t)).toBe(m.choiceCount(s, t));
              for (let ch = 0; ch < m.choiceCount(s, t); ch++) {
                const a = s.slice();
                const okA = m.step(a, t, ch);
                const invA = m.violation?.invariant;
                const b = c.slice();
                const okB = m.step(b, t, ch);
                const what = `${describeRequest(req)}: thread ${t} choice ${ch}`;
                expect(okB, what).toBe(okA);
                if (!okA) expect(m.violation?.invariant, what).toBe(invA);
                else expect(Array.from(dead.clear(b)), what).toEqual(Array.from(dead.clear(a)));
                steps++;
              }
            }
            if (runnable.length === 0) {
              const endC = m.endState(c);
              expect(endC.violation?.invariant).toBe(m.endState(s).violation?.invariant);
              return;
            }
            const t = runnable[r % runnable.length];
            const next = s.slice();
            if (!m.step(next, t, r % m.choiceCount(s, t))) return;
            s = next;
          }
        }),
        { numRuns: 6, seed: 21 },
      );
    }
    expect(steps).toBeGreaterThan(5000);
  }, 120_000);
});
