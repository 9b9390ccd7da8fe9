import { resolveModel, type World } from '@mmreplay/model';

// A world whose breadth-first levels are wide: `n` threads, each locking and then unlocking a PTL
// of its own, never in each other's way. Searched without symmetry, its states are every count of
// steps each thread has taken (0, 1 or 2): 3^n, and the level at depth d holds the coefficient of
// x^d in (1 + x + x^2)^n (n = 8: 1,107 states at depth 8, the widest).

/** The world with `n` threads. */
export function wideLevelWorld(n: number): World {
  const names = Array.from({ length: n }, (_, i) => `t${i}`);
  const document = {
    name: 'wide-level',
    title: 'threads that never meet, for wide levels',
    pages: [{ name: 'P', ref: 1, map: n, mapping: 'anon', index: 0 }],
    vmas: [{ name: 'vma', start: 16, pgoff: 0 }],
    ptls: names.map((t) => `ptl-${t}`),
    ptes: names.map((t, i) => ({ name: `e-${t}`, addr: 16 + i, ptl: `ptl-${t}`, init: { kind: 'present', page: 'P', writable: true } })),
    threads: names.map((t) => ({ name: t, path: 'lock-unlock', args: { pte: `e-${t}` } })),
    paths: {
      'lock-unlock': {
        regs: { pte: 'pte' },
        steps: [
          { label: 'L', op: 'ptl_lock', args: ['pte'] },
          { label: 'U', op: 'ptl_unlock', args: ['pte'] },
        ],
      },
    },
    invariants: ['deadlock'],
  };
  // a document with problems throws, naming them
  return resolveModel({ scenario: 'wide-level', document }).world;
}
