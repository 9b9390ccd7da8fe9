/**
 * The seed thread's question as a predicate (reference §3): "a fault holds the PTL and reads a
 * migration entry whose page is unlocked". `firstWhere` with it finds the step before the BUG_ON.
 */
export const SEED_QUESTION = {
  exists: 'thread',
  as: '$t',
  where: {
    exists: 'pte',
    as: '$e',
    where: {
      all: [
        { event: { thread: '$t', op: 'pte_read', args: { pte: '$e' } } },
        { pte: '$e', kind: 'migration' },
        { page: { of: '$e' }, locked: false },
        { ptl: { of: '$e' }, heldBy: '$t' },
      ],
    },
  },
} as const;
