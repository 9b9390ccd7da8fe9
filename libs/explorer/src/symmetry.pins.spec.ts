import { describe, expect, it } from 'vitest';
import { resolveModel, type OpName, type PatchStep } from '@mmreplay/model';
import { Machine } from '@mmreplay/engine';
import { Symmetry } from './symmetry.js';

// Which constants in a program pin an object, so that symmetry may not rename it (pinnedObjects in
// symmetry.ts; the first fuzz finding was `mov fpte, 1` renamed anyway). One step inserted at the
// start of a path the symmetric threads run, and whether the group survives: an immediate that is
// an object of the register's type, or names a VMA or a thread; an order or offset on an object
// register, any PTE value but none, and a move or comparison between registers of different
// types pin every group. A fast spec for the mutation run of symmetry.ts (issue 20); the fuzz spec
// that holds the finding runs for a minute.

// c10-device-private: threads f0, f1 (0, 1) run do_swap_page_device; the group is PTEs e0, e1 (0, 1),
// VMAs vma0, vma1 (0, 1) and pages R0, R1 (1, 2); page D (0) is outside it.
const c10 = (step: PatchStep) =>
  resolveModel({
    scenario: 'c10-device-private',
    variant: { name: 'pin', patches: [{ op: 'insert', path: 'do_swap_page_device', before: 'D1.pte_offset_map_lock', steps: [step] }] },
  }).world;
// seed 2x2: thread mig (0) runs migrate_pages, outside the group of flt0, flt1 (1, 2), PTEs e0, e1 and VMAs vma0, vma1.
const seed = (step: PatchStep) =>
  resolveModel({
    scenario: 'seed',
    params: { ptes: 2, faults: 2 },
    variant: { name: 'pin', patches: [{ op: 'insert', path: 'handle_mm_fault', before: 'F1.access', steps: [step] }] },
  }).world;
const active = (world: ReturnType<typeof c10>) => new Symmetry(new Machine(world)).active;
const step = (op: OpName, ...args: (string | number)[]): PatchStep => ({ label: 'pin0', op, args });

describe('objects a program names pin symmetry', () => {
  it('the worlds without the step are symmetric', () => {
    expect(active(resolveModel({ scenario: 'c10-device-private' }).world)).toBe(true);
    expect(active(resolveModel({ scenario: 'seed', params: { ptes: 2, faults: 2 } }).world)).toBe(true);
    expect(active(c10(step('mov', 'ok', 0)))).toBe(true);
  });

  const cases: [string, PatchStep, boolean][] = [
    // an object register set to a constant: the object of that number, -1 names none
    ['mov fpte, -1', step('mov', 'fpte', -1), true],
    ['mov fpte, 0', step('mov', 'fpte', 0), false],
    ['mov fpte, 1', step('mov', 'fpte', 1), false],
    ['mov src, 0 (page D, outside the group)', step('mov', 'src', 0), true],
    ['mov src, 1 (R0)', step('mov', 'src', 1), false],
    ['mov src, 2 (R1)', step('mov', 'src', 2), false],
    ['mov vma, 1', step('mov', 'vma', 1), false],
    ['mov vma, -1', step('mov', 'vma', -1), true],
    // a VMA set: its members; the empty set none; a negative set cannot be renamed
    ['mov seen, 0', step('mov', 'seen', 0), true],
    ['mov seen, 2 (vma1)', step('mov', 'seen', 2), false],
    ['mov seen, 1 (vma0)', step('mov', 'seen', 1), false],
    ['mov seen, 4 (no such VMA)', step('mov', 'seen', 4), true],
    ['mov seen, 1 << 30 (no such VMA)', step('mov', 'seen', 1 << 30), true],
    ['mov seen, -1', step('mov', 'seen', -1), false],
    // a negative set pins every group, even when the bits that name VMAs are clear
    ['mov seen, 1 << 31', step('mov', 'seen', -2147483648), false],
    // a PTE value: only none names no object
    ['mov old, 0', step('mov', 'old', 0), true],
    ['mov old, 1', step('mov', 'old', 1), false],
    // not read as a VMA set: bit 2 names no VMA there, but a PTE value of 4 names a page
    ['mov old, 4', step('mov', 'old', 4), false],
    // integers name nothing
    ['mov ok, 5', step('mov', 'ok', 5), true],
    ['add ok, 3', step('add', 'ok', 3), true],
    ['blt ok, 3', step('blt', 'ok', 3, 'D1.pte_offset_map_lock'), true],
    // an offset or an order on an object register
    ['add fpte, 0', step('add', 'fpte', 0), true],
    ['add fpte, 1', step('add', 'fpte', 1), false],
    ['add fpte, -1', step('add', 'fpte', -1), false],
    ['blt fpte, 0', step('blt', 'fpte', 0, 'D1.pte_offset_map_lock'), true],
    ['blt fpte, -1', step('blt', 'fpte', -1, 'D1.pte_offset_map_lock'), true],
    ['blt fpte, 1', step('blt', 'fpte', 1, 'D1.pte_offset_map_lock'), false],
    // comparisons for equality name like a move
    ['beq fpte, 1', step('beq', 'fpte', 1, 'D1.pte_offset_map_lock'), false],
    ['beq fpte, -1', step('beq', 'fpte', -1, 'D1.pte_offset_map_lock'), true],
    ['bne vma, 0', step('bne', 'vma', 0, 'D1.pte_offset_map_lock'), false],
    // moves and comparisons between registers: the same type, or both integers
    ['copy src, dst', step('copy', 'src', 'dst'), true],
    ['copy ok, pass', step('copy', 'ok', 'pass'), true],
    ['copy src, fpte', step('copy', 'src', 'fpte'), false],
    ['copy ok, src', step('copy', 'ok', 'src'), false],
    ['copy src, ok', step('copy', 'src', 'ok'), false],
    ['bsame src, dst', step('bsame', 'src', 'dst', 'D1.pte_offset_map_lock'), true],
    ['bsame vma, pte', step('bsame', 'vma', 'pte', 'D1.pte_offset_map_lock'), false],
    // an immediate that names a VMA or a thread
    ['vma_set 1, 0, 0', step('vma_set', 1, 0, 0), false],
    ['vma_set 0, 0, 0', step('vma_set', 0, 0, 0), false],
    ['wait_thread 1', step('wait_thread', 1), false],
  ];
  for (const [what, s, expected] of cases) {
    it(`c10: ${what} ${expected ? 'keeps' : 'pins'} the group`, () => {
      expect(active(c10(s))).toBe(expected);
    });
  }

  it('seed: a thread outside the group may be named, one of the group may not; a VMA of the group may not', () => {
    expect(active(seed(step('wait_thread', 0)))).toBe(true);
    expect(active(seed(step('wait_thread', 2)))).toBe(false);
    expect(active(seed(step('wait_thread', 1)))).toBe(false);
    expect(active(seed(step('vma_set', 1, 0, 0)))).toBe(false);
    // pages P and Q are outside seed's group: naming them pins nothing
    expect(active(seed(step('mov', 'page', 0)))).toBe(true);
    expect(active(seed(step('mov', 'page', 1)))).toBe(true);
    expect(active(seed(step('mov', 'pte', 1)))).toBe(false);
  });
});
