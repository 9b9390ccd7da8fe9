import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { resolveModel } from '@mmreplay/model';
import { Machine } from '@mmreplay/engine';
import { StateStore } from './state-store.js';
import { explore, stateComponents } from './explorer.js';

describe('the collapse-compressed state store (issue 15)', () => {
  it('reads back every state it stored, finds each once, and tells states apart that differ in one word', () => {
    const components = [
      { offset: 0, width: 3, table: 0 },
      { offset: 3, width: 2, table: 1 },
      { offset: 5, width: 2, table: 1 },
    ];
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 7, maxLength: 7 }), { maxLength: 300 }), (states) => {
        const store = new StateStore(7, components);
        const ids = new Map<string, number>();
        for (const s of states) {
          const key = s.join(',');
          const id = store.add(Int32Array.from(s));
          if (ids.has(key)) expect(id).toBe(-1);
          else {
            expect(id).toBe(ids.size);
            ids.set(key, id);
          }
          expect(store.has(Int32Array.from(s))).toBe(true);
        }
        expect(store.count).toBe(ids.size);
        for (const [key, id] of ids) expect([...store.read(id, new Int32Array(7))].join(',')).toBe(key);
      }),
      { numRuns: 200 },
    );
  });

  it('the seed at N = 4 costs at most 100 bytes a stored state, tables and parents included', () => {
    const world = resolveModel({ scenario: 'seed', params: { ptes: 4, faults: 4 } }).world;
    const m = new Machine(world);
    // a state is (threads + 1) indices: the shared objects, then each thread's local vector
    expect(stateComponents(m).length).toBe(m.threadCount + 1);
    const stats = { bytes: 0 };
    const r = explore(world, { stats });
    expect(r.statesStored).toBeGreaterThan(100_000);
    expect(stats.bytes / r.statesStored).toBeLessThanOrEqual(100);
    // uncompressed, a state is its whole vector
    expect(m.layout.size * 4).toBeGreaterThan(400);
  });
});
