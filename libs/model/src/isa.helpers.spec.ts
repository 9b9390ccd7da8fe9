// The small helpers next to the instruction set's declaration tables (isa.ts, op-decl.ts) and the
// reasons invariantScope gives (invariant-scope.ts): the bkind mask, litmus pointers, an op's
// declaration by name or opcode, state-class masks, the kind of argument linking resolves. The
// explorer's and the engine's suites reach them; these hold them in the model's own suite, which
// a per-library mutation run executes alone (mutation batch `isa`, BENCHMARKS.md, session 13).
import { describe, expect, it } from 'vitest';
import { invariantScope, type ScopedWorld } from './invariant-scope.js';
import { isRmwKind, kindMask, LITMUS_POINTER, litmusPointee, litmusPointer, OP, opDecl, OPS, rmwApply, RmwKind } from './isa.js';
import { argKind, classMask, StateClass } from './op-decl.js';
import type { Step } from './program.js';

describe('isa helpers', () => {
  it('rmwApply: what each read-modify-write kind writes and answers', () => {
    expect(rmwApply(RmwKind.xchg, 3, 7, 0)).toEqual({ writes: true, next: 7, result: 3 });
    expect(rmwApply(RmwKind.add, 3, 2, 0)).toEqual({ writes: true, next: 5, result: 3 });
    expect(rmwApply(RmwKind.add | RmwKind.new, 3, 2, 0)).toEqual({ writes: true, next: 5, result: 5 });
    expect(rmwApply(RmwKind.add | RmwKind.sub | RmwKind.new, 3, 2, 0)).toEqual({ writes: true, next: 1, result: 1 });
    expect(rmwApply(RmwKind.add | RmwKind.sub | RmwKind.zero, 1, 1, 0)).toEqual({ writes: true, next: 0, result: 1 });
    expect(rmwApply(RmwKind.add | RmwKind.sub | RmwKind.zero, 2, 1, 0).result).toBe(0);
    expect(rmwApply(RmwKind.add | RmwKind.sub | RmwKind.negative, 1, 2, 0)).toEqual({ writes: true, next: -1, result: 1 });
    expect(rmwApply(RmwKind.add | RmwKind.negative, 0, 0, 0).result).toBe(0);
    expect(rmwApply(RmwKind.cmpxchg, 4, 9, 4)).toEqual({ writes: true, next: 9, result: 4 });
    expect(rmwApply(RmwKind.cmpxchg, 4, 9, 5)).toEqual({ writes: false, next: 4, result: 4 });
  });

  it('isRmwKind: the three operations, sub only with add, four orderings', () => {
    for (const kind of [0, 1, 2, 5, 8, 13, 16, 26]) expect(isRmwKind(kind, 3)).toBe(true);
    for (const kind of [3, 4, 6, 32, -1, 1.5]) expect(isRmwKind(kind, 0)).toBe(false);
    expect(isRmwKind(0, 0)).toBe(true);
    expect(isRmwKind(0, 4)).toBe(false);
    expect(isRmwKind(0, -1)).toBe(false);
  });

  it('kindMask sets one bit per PTE kind', () => {
    expect(kindMask()).toBe(0);
    expect(kindMask(1, 3)).toBe(0b1010);
    expect(kindMask(0, 0)).toBe(1);
  });

  it('litmus pointers: a value at or past LITMUS_POINTER names a variable, below the number of variables', () => {
    expect(litmusPointer(2)).toBe(LITMUS_POINTER + 2);
    expect([0, 1, 2].map((v) => litmusPointee(litmusPointer(v), 3))).toEqual([0, 1, 2]);
    expect(litmusPointee(litmusPointer(3), 3)).toBe(-1);
    expect(litmusPointee(LITMUS_POINTER - 1, 3)).toBe(-1);
    expect(litmusPointee(1, 3)).toBe(-1);
    expect(litmusPointee(litmusPointer(0), 0)).toBe(-1);
  });

  it('an op by name or by opcode', () => {
    expect(opDecl('beq')).toBe(OPS.beq);
    expect(opDecl(OP.beq)).toBe(OPS.beq);
    expect(opDecl(OP.store_ptr)).toBe(OPS.store_ptr);
  });

  it('state-class masks and argument kinds', () => {
    expect(classMask()).toBe(0);
    expect(classMask(['mem', 'wait'])).toBe(StateClass.mem | StateClass.wait);
    expect(OPS.beq.operands.map(argKind)).toEqual(['reg', 'imm', 'label']);
    expect(OPS.call.operands.map(argKind)).toEqual(['label']);
    expect(OPS.bkind.operands.map(argKind)).toEqual(['reg', 'imm', 'label']);
  });
});

describe('invariantScope reasons', () => {
  const st = (op: string): Step => ({ label: op, op: op as Step['op'], args: [], src: { file: 'test', fn: op, version: '-' } });
  const world = (ops: string[], litmus?: ScopedWorld['litmus']): ScopedWorld => ({
    paths: { p: { name: 'p', title: 'p', regs: [], steps: ops.map(st) } },
    threads: [{ name: 't', path: 'p', args: {} }],
    ptes: [],
    litmus,
  });

  it('deadlock always, weak-outcome for a litmus exists clause, the others by the ops that check them', () => {
    expect(invariantScope(world([]), 'deadlock')).toEqual({ applies: true, reason: 'every model has threads that must finish' });
    expect(invariantScope(world([], { vars: ['x'], results: ['0:r0'], exists: [{ name: '0:r0', value: 1 }] }), 'weak-outcome')).toEqual({
      applies: true,
      reason: "the litmus test's exists clause",
    });
    expect(invariantScope(world(['put_page', 'lock_page', 'nop']), 'use-after-free')).toEqual({ applies: true, reason: 'checked by lock_page, put_page' });
  });
});
