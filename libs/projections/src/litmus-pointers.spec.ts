import { describe, expect, it } from 'vitest';
import { LITMUS_POINTER, litmusPointer } from '@mmreplay/model';
import { recordRun } from '../test/engine-runs.js';
import { RunModel } from './run-model.js';
import { locationValue, memoryViewOf } from './memory-view.js';
import { formatField, formatRegister, litmusValueOf } from './values.js';

// A litmus pointer (`int *p = &x;`, isa.ts litmusPointer) is a value no litmus constant takes;
// every readable form of the projections shows it as the address it holds, `&x` (issue 20: the
// mutation batches `values` and `memview` of session 15 found no spec of the library reaching
// litmusValueOf or the memory view's `*r0` forms; the engine's pointer runs live in libs/runs).
// litmus-mp has variables x and y; under lkmm P0 has two store-buffer slots and P1 two load-queue
// slots, and both threads the registers one, two, r0, r1 (indices 0-3).

const model = new RunModel(recordRun({ scenario: 'litmus-mp', memoryModel: 'lkmm' }, 'random', 1, 0).started);
const L = model.layout;

describe('litmus pointers', () => {
  it('read as the address of the variable they point to; other values, and pointers past the last variable, stay numbers', () => {
    expect(litmusValueOf(model, litmusPointer(0))).toBe('&x');
    expect(litmusValueOf(model, litmusPointer(1))).toBe('&y');
    expect(litmusValueOf(model, litmusPointer(2))).toBe(LITMUS_POINTER + 2);
    expect(litmusValueOf(model, 1)).toBe(1);
    // a kernel world has no litmus variables: nothing is a pointer there
    const kernel = new RunModel(recordRun({ scenario: 'c11-split-order', memoryModel: 'sc' }, 'random', 1, 0).started);
    expect(litmusValueOf(kernel, LITMUS_POINTER)).toBe(LITMUS_POINTER);
  });

  it('show as &x in registers, variables, results and memory locations', () => {
    expect(formatRegister(model, 'int', litmusPointer(1))).toBe('&y');
    expect(formatRegister(model, 'int', 7)).toBe(7);
    expect(formatField(model, 'var:x', 'value', litmusPointer(1))).toBe('&y');
    expect(formatField(model, 'litmus', '1:r0', litmusPointer(0))).toBe('&x');
    expect(formatField(model, 'thread:P1', 'reg.r0', litmusPointer(0))).toBe('&x');
    expect(locationValue(model, 0, litmusPointer(1))).toBe('&y');

    const s = model.initial.slice();
    s[L.vars] = litmusPointer(1);
    s[L.observed] = 1;
    s[L.results] = litmusPointer(0);
    const m = memoryViewOf(model, s);
    expect(m.vars).toEqual({ x: '&y', y: 0 });
    expect(m.results).toEqual({ '1:r0': '&x', '1:r1': null });
    // a run recorded before the `observed` flags existed: a non-zero result reads as recorded
    s[L.results + 1] = 3;
    expect(memoryViewOf(model, s).results).toEqual({ '1:r0': '&x', '1:r1': 3 });
  });

  it('name the register holding the address of an outstanding load or store whose address is not known yet', () => {
    const s = model.initial.slice();
    expect([L.sbCapacity[0], L.lqCapacity[1]]).toEqual([2, 2]);
    // P1's load queue: r0 <- *r1 (the address is the value r1's outstanding load returns), r1 <- y
    const l0 = L.lqEntry(1, 0);
    const l1 = L.lqEntry(1, 1);
    [s[l0], s[l0 + 1]] = [2 + 1, -(3 + 1)];
    [s[l1], s[l1 + 1]] = [3 + 1, 1];
    // P0's pending stores: *r1 := two, a release; y := r1 (value registers unlike the slots before them)
    const e0 = L.sbEntry(0, 0);
    const e1 = L.sbEntry(0, 1);
    [s[e0], s[e0 + 1], s[e0 + 2]] = [-(3 + 1), 1, 1];
    [s[e1], s[e1 + 1], s[e1 + 2]] = [1 + 1, 3, 0];
    const m = memoryViewOf(model, s);
    expect(m.threads.P1.pendingLoads).toEqual(['r0 <- *r1', 'r1 <- y']);
    expect(m.threads.P0.pendingStores).toEqual(['*r1 := two (release)', 'y := r1']);
    expect(m.threads.P0.storeBuffer).toEqual([]);
  });

  it('name a register the thread does not declare by its index', () => {
    const s = model.initial.slice();
    const l0 = L.lqEntry(1, 0);
    [s[l0], s[l0 + 1]] = [9 + 1, 0];
    expect(memoryViewOf(model, s).threads.P1.pendingLoads).toEqual(['r9 <- x']);
  });
});
