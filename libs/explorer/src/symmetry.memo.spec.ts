import { describe, expect, it } from 'vitest';
import { resolveModel, type ResolveRequest } from '@mmreplay/model';
import { Machine, Rng } from '@mmreplay/engine';
import { Symmetry } from './symmetry.js';
import { DeadRegisters } from './dead-registers.js';
import { StateStore } from './state-store.js';
import { stateComponents } from './explorer.js';
import { randomWalk } from '../test/random-walk.js';

// What canonicalTuple and canonicalIds remember by component id (issue 20: mutants that forget it,
// or never find it, only cost time, so symmetry-tuples.spec, which compares results, cannot see
// them). The point of the memo is that a state met again is canonicalised from what the first
// time learnt: no component renamed and interned again, no state vector decoded again. (Groups of
// fewer than ten tuples: from ten on, a permutation's code may pass 31 bits, and the images under
// it are not kept.)

const worlds: [string, ResolveRequest][] = [
  ['seed 2x2', { scenario: 'seed', params: { ptes: 2, faults: 2 } }],
  ['seed 3x3', { scenario: 'seed', params: { ptes: 3, faults: 3 } }],
  ['c10', { scenario: 'c10-device-private' }],
];

describe('canonicalTuple remembers what it learnt', () => {
  for (const [name, req] of worlds) {
    it(`${name}: a state met again is canonicalised from the memo alone`, () => {
      const m = new Machine(resolveModel(req).world);
      const sym = new Symmetry(m);
      expect(sym.tuples).toBe(true);
      const store = new StateStore(m.layout.size, stateComponents(m));
      const raw = new Uint32Array(stateComponents(m).length);
      const first = new Uint32Array(raw.length);
      const again = new Uint32Array(raw.length);
      let interned = 0;
      const intern = (v: Int32Array, k: number) => {
        interned++;
        return store.intern(v, k);
      };
      // dead registers cleared, as the explorer does: a thread outside the group then often refers
      // to none of its objects, and its component is its own image
      const dead = new DeadRegisters(m);
      const rng = new Rng(11);
      let moved = 0;
      for (let run = 0; run < 30; run++) {
        randomWalk(m, rng, rng.below(40), (s, t) => {
          dead.clearThread(s, t);
          store.tupleOf(s, -1, raw);
          interned = 0;
          sym.canonicalTuple(s, raw, first, intern);
          // its own representative (the identity: tuples told apart by their keys are never swapped
          // into the same state) is the tuple itself, nothing renamed
          if (first.some((x, k) => x !== raw[k])) moved++;
          else expect(interned, `run ${run}`).toBe(0);
          interned = 0;
          sym.canonicalTuple(s, raw, again, intern);
          expect(Array.from(again)).toEqual(Array.from(first));
          expect(interned, `run ${run}`).toBe(0);
        });
      }
      expect(moved).toBeGreaterThan(10);
    });
  }
});

describe('canonicalIds decodes a state only for what it does not know', () => {
  for (const [name, req] of worlds) {
    it(`${name}: a tuple met again is not decoded`, () => {
      const m = new Machine(resolveModel(req).world);
      const sym = new Symmetry(m);
      const store = new StateStore(m.layout.size, stateComponents(m));
      let decoded = 0;
      const tables = {
        componentData: (k: number) => store.componentData(k),
        decode: (tuple: Uint32Array, out: Int32Array) => {
          decoded++;
          return store.decode(tuple, out);
        },
      };
      const raw = new Uint32Array(stateComponents(m).length);
      const first = new Uint32Array(raw.length);
      const again = new Uint32Array(raw.length);
      const intern = (v: Int32Array, k: number) => store.intern(v, k);
      const dead = new DeadRegisters(m);
      const rng = new Rng(13);
      let moved = 0;
      for (let run = 0; run < 30; run++) {
        randomWalk(m, rng, rng.below(40), (s, t) => {
          dead.clearThread(s, t);
          store.tupleOf(s, -1, raw);
          decoded = 0;
          sym.canonicalIds(tables, raw, first, intern);
          const moves = first.some((x, k) => x !== raw[k]);
          if (moves) moved++;
          else expect(decoded).toBe(0);
          decoded = 0;
          sym.canonicalIds(tables, raw, again, intern);
          expect(Array.from(again)).toEqual(Array.from(first));
          expect(decoded, `run ${run}`).toBe(0);
        });
      }
      expect(moved).toBeGreaterThan(10);
    });
  }
});
