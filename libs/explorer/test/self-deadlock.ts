import { parseScenarioDocument, resolveScenarioModel, type ResolveRequest, type World } from '@mmreplay/model';

// Two threads take the same PTL, one of them twice: every interleaving deadlocks (a thread sleeps
// on a lock it holds). The smallest world whose every run ends in a deadlock, shared by the specs
// that check a search reports one (exhaustive, sampled, the reference enumerator).

const src = { file: 'mm/memory.c', fn: 'do_fault', version: 'v6.6' };

/** The scenario document, with the invariants the caller audits. */
export const selfDeadlockDocument = (invariants: string[]) => ({
  name: 'self-deadlock',
  title: 'a thread takes the PTL it holds',
  pages: [{ name: 'P', ref: 1, map: 1, mapping: 'anon', index: 0 }],
  vmas: [{ name: 'vma', start: 16, pgoff: 0 }],
  ptls: ['ptl'],
  ptes: [{ name: 'e', addr: 16, ptl: 'ptl', init: { kind: 'present', page: 'P', writable: true } }],
  threads: [
    { name: 'a', path: 'twice', args: { pte: 'e' } },
    { name: 'b', path: 'once', args: { pte: 'e' } },
  ],
  paths: {
    twice: {
      regs: { pte: 'pte' },
      steps: [
        { label: 'A1', op: 'ptl_lock', args: ['pte'], src },
        { label: 'A2', op: 'ptl_lock', args: ['pte'] },
      ],
    },
    once: {
      regs: { pte: 'pte' },
      steps: [
        { label: 'B1', op: 'ptl_lock', args: ['pte'], src },
        { label: 'B2', op: 'ptl_unlock', args: ['pte'] },
      ],
    },
  },
  invariants,
});

/** The document as a resolve request (what the API and the reference enumerator take). */
export const selfDeadlockRequest = (invariants: string[]): ResolveRequest => ({ scenario: 'self-deadlock', document: selfDeadlockDocument(invariants) });

/** The document resolved to a world. */
export function selfDeadlockWorld(invariants: string[]): World {
  const r = parseScenarioDocument(selfDeadlockDocument(invariants));
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return resolveScenarioModel(r.scenario, {}).world;
}
