// How single values read (issue 20: the mutation run over values.ts and fold.ts left alive the
// readings of a reference that names nothing, of rmap counts, of an unknown thread's and a
// non-register thread field, the split of an object name, and the step a refused delta names).
import { describe, expect, it } from 'vitest';
import type { StepRecorded } from '@mmreplay/events';
import { seedCounterexample } from '../test/seed-counterexample.js';
import { RunModel } from './run-model.js';
import { applyStep } from './fold.js';
import { formatField, formatRegister, splitObject } from './values.js';

const run = seedCounterexample();
const model = new RunModel(run.started);
const w = model.world;

describe('readable values', () => {
  it('a page, PTE or VMA register names its object, and reads `-` when it holds none (negative or past the last)', () => {
    for (const [type, objects] of [
      ['page', w.pages],
      ['pte', w.ptes],
      ['vma', w.vmas],
    ] as const) {
      expect(objects.length, type).toBeGreaterThan(0);
      expect(formatRegister(model, type, 0), type).toBe(objects[0].name);
      expect(formatRegister(model, type, objects.length - 1), type).toBe(objects[objects.length - 1].name);
      for (const v of [-1, objects.length, objects.length + 1]) expect(formatRegister(model, type, v), `${type} ${v}`).toBe('-');
    }
  });

  it('the rmap lock: `write`, free `-`, or the number of readers', () => {
    expect([-1, 0, 1, 3].map((v) => formatField(model, 'rmap', 'lock', v))).toEqual(['write', '-', 'read x1', 'read x3']);
  });

  it("a thread field: a register by its type, other fields and unknown threads' as the number", () => {
    const t = 0;
    const thread = w.threads[t].name;
    const page = model.regsOf(t).find((r) => r.type === 'page');
    expect(page, 'a page register of the first thread').toBeDefined();
    expect(formatField(model, `thread:${thread}`, `reg.${page!.name}`, 0)).toBe(w.pages[0].name);
    expect(formatField(model, `thread:${thread}`, 'reg.no-such-register', 7)).toBe(7);
    expect(formatField(model, `thread:${thread}`, 'sp', 2)).toBe(2);
    expect(formatField(model, 'thread:no-such-thread', 'waitPage', 0)).toBe(0);
    expect(formatField(model, 'thread:no-such-thread', 'reg.page', 0)).toBe(0);
  });

  it('object names split at the first colon', () => {
    expect(splitObject('page:P')).toEqual(['page', 'P']);
    expect(splitObject('rmap')).toEqual(['rmap', '']);
    expect(splitObject('var:a:b')).toEqual(['var', 'a:b']);
    expect(splitObject(':x')).toEqual(['', 'x']);
  });
});

describe('a refused step', () => {
  it('names its step, thread and label', () => {
    const step = run.steps[3] as unknown as StepRecorded;
    expect(() => applyStep(model.initial.slice(), step)).toThrow(`step 3 (${step.thread} ${step.label}): delta `);
  });
});
