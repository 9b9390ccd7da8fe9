import type { ResolveRequest } from '@mmreplay/model';

// Two worlds that a state key can get wrong, for the specs of the searches' and the reference
// enumerators' keys.

// digit-runs: two end states whose numbers run together the same way once their separators are dropped: thread
// a's trylock of P succeeds or fails (b holds P), and the two ways leave r0, r1 = 1, 23 and 12, 3,
// with everything else equal (ok cleared, b done, P unlocked). A state key that joins the numbers
// without a separator takes them for one state.

const src = { file: 'mm/filemap.c', fn: 'folio_trylock', version: 'v6.6' };

export const digitRunsRequest: ResolveRequest = {
  scenario: 'digit-runs',
  document: {
    name: 'digit-runs',
    title: 'two states whose numbers run together alike',
    pages: [{ name: 'P', ref: 1, map: 0, mapping: 'anon', index: 0 }],
    threads: [
      { name: 'a', path: 'try', args: { page: 'P' } },
      { name: 'b', path: 'hold', args: { page: 'P' } },
    ],
    paths: {
      try: {
        regs: { page: 'page', r0: 'int', r1: 'int', ok: 'int' },
        steps: [
          { label: 'T1', op: 'trylock_page', args: ['page', 'ok'], src },
          { label: 'T2', op: 'beq', args: ['ok', 0, 'T7'] },
          { label: 'T3', op: 'mov', args: ['r0', 1] },
          { label: 'T4', op: 'mov', args: ['r1', 23] },
          { label: 'T5', op: 'unlock_page', args: ['page'] },
          { label: 'T6', op: 'jmp', args: ['T9'] },
          { label: 'T7', op: 'mov', args: ['r0', 12] },
          { label: 'T8', op: 'mov', args: ['r1', 3] },
          { label: 'T9', op: 'mov', args: ['ok', 0] },
        ],
      },
      hold: {
        regs: { page: 'page' },
        steps: [
          { label: 'H1', op: 'lock_page', args: ['page'], src },
          { label: 'H2', op: 'unlock_page', args: ['page'] },
        ],
      },
    },
    invariants: ['bug-on'],
  },
};

// back-to-start: a thread that takes the PTL, drops it and jumps back to its first step, so the
// search comes back to the initial state; a key of the initial state made unlike the others' stores
// it twice.
export const backToStartRequest: ResolveRequest = {
  scenario: 'back-to-start',
  document: {
    name: 'back-to-start',
    title: 'a loop back to the initial state',
    pages: [{ name: 'P', ref: 1, map: 1, mapping: 'anon', index: 0 }],
    vmas: [{ name: 'vma', start: 16, pgoff: 0 }],
    ptls: ['ptl'],
    ptes: [{ name: 'e', addr: 16, ptl: 'ptl', init: { kind: 'present', page: 'P', writable: true } }],
    threads: [{ name: 'a', path: 'spin', args: { pte: 'e' } }],
    paths: {
      spin: {
        regs: { pte: 'pte' },
        steps: [
          { label: 'S1', op: 'ptl_lock', args: ['pte'], src: { file: 'mm/memory.c', fn: 'do_fault', version: 'v6.6' } },
          { label: 'S2', op: 'ptl_unlock', args: ['pte'] },
          { label: 'S3', op: 'jmp', args: ['S1'] },
        ],
      },
    },
    invariants: ['deadlock'],
  },
};
