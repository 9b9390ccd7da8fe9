import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hashRange, InternTable, StateStore, TupleQueue, internTables, type Component } from './state-store.js';

// The state store where its shortcuts could lie (issue 20, survivors of the mutation run over
// state-store.ts): states met again and again (the search's common case: most successors are
// known), hash collisions of components and of whole tuples (a 32-bit hash must never merge two
// states), the component entry points the parallel search uses, and exact memory accounting.

const COMPONENTS: Component[] = [
  { offset: 0, width: 3, table: 0 },
  { offset: 3, width: 2, table: 1 },
  { offset: 5, width: 2, table: 1 },
  { offset: 7, width: 1, table: 2 },
];
const WIDTH = 8;
const key = (s: ArrayLike<number>) => Array.from(s).join(',');

/** Two distinct two-word vectors with the same hashRange (a birthday search over [i, j]). */
function hashCollision(): [Int32Array, Int32Array] {
  const seen = new Map<number, number>();
  const v = new Int32Array(2);
  for (let i = 0; ; i++) {
    v[0] = i;
    v[1] = i * 7 + 1;
    const h = hashRange(v, 0, 2);
    const other = seen.get(h);
    if (other !== undefined) return [Int32Array.of(other, other * 7 + 1), Int32Array.of(i, i * 7 + 1)];
    seen.set(h, i);
  }
}

describe('the state store with states met many times', () => {
  it('add, has and the tuple path agree with a Map when most states are already stored', () => {
    // two values a word: 256 states, so a list of 300 repeats most of them
    const small = fc.array(fc.integer({ min: 0, max: 1 }), { minLength: WIDTH, maxLength: WIDTH }).map((a) => Int32Array.from(a));
    fc.assert(
      fc.property(fc.array(fc.tuple(small, fc.nat(), fc.constantFrom('add', 'has', 'tuple')), { minLength: 50, maxLength: 300 }), (ops) => {
        const store = new StateStore(WIDTH, COMPONENTS);
        const ids = new Map<string, number>();
        const tuple = new Uint32Array(COMPONENTS.length);
        for (const [s, hint, op] of ops) {
          const k = key(s);
          const like = ids.size === 0 ? -1 : hint % ids.size;
          if (op === 'has') {
            expect(store.has(s, like)).toBe(ids.has(k));
            continue;
          }
          let id: number;
          if (op === 'tuple') {
            store.tupleOf(s, like, tuple);
            expect(store.hasTuple(tuple)).toBe(ids.has(k));
            id = store.addTuple(tuple);
          } else id = store.add(s, like);
          expect(id).toBe(ids.has(k) ? -1 : ids.size);
          if (!ids.has(k)) ids.set(k, id);
        }
        for (const [k, id] of ids) expect(key(store.read(id, new Int32Array(WIDTH)))).toBe(k);
      }),
      { numRuns: 40 },
    );
  });

  it('every state of a small space once, then each again: found, never added twice', () => {
    const store = new StateStore(WIDTH, COMPONENTS);
    const s = new Int32Array(WIDTH);
    const state = (i: number) => {
      for (let k = 0, x = i; k < WIDTH; k++, x = Math.floor(x / 3)) s[k] = x % 3;
      return s;
    };
    const n = 3 ** WIDTH;
    let wrong = 0;
    for (let i = 0; i < n; i++) if (store.add(state(i), i > 0 ? i - 1 : -1) !== i) wrong++;
    for (let i = n - 1; i >= 0; i--) if (store.add(state(i), (i * 31) % n) !== -1 || !store.has(state(i))) wrong++;
    expect(wrong).toBe(0);
    expect(store.count).toBe(n);
    expect(store.has(Int32Array.from([0, 0, 0, 0, 0, 0, 0, 3]))).toBe(false);
  });
});

describe('hash collisions never merge states', () => {
  it('two vectors with one hashRange get two ids in an intern table, and two states in a store', () => {
    const [u, v] = hashCollision();
    expect(key(u)).not.toBe(key(v));
    expect(hashRange(u, 0, 2)).toBe(hashRange(v, 0, 2));
    const t = new InternTable(2);
    expect(t.intern(u, 0)).toBe(0);
    expect(t.intern(v, 0)).toBe(1);
    expect(t.intern(u, 0)).toBe(0);
    expect(t.intern(v, 0)).toBe(1);
    const store = new StateStore(2);
    expect(store.add(u)).toBe(0);
    expect(store.has(v)).toBe(false);
    expect(store.add(v)).toBe(1);
    expect(key(store.read(1, new Int32Array(2)))).toBe(key(v));
  });

  it('two states whose tuples of component ids share the visited table’s hash stay apart, stored or asked about', () => {
    // The visited table hashes a tuple of ids as hashRange hashes words. Ids from small ranges
    // never collide (the mix is nearly linear there), so a birthday search over random tuples of
    // ids below 2^16 finds a pair, and every such id is interned first so that ids equal values.
    let seed = 12345;
    const rnd = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) | 0;
      return (seed >>> 8) & 0xffff;
    };
    const seen = new Map<number, Int32Array>();
    let pair: [Int32Array, Int32Array] | undefined;
    while (!pair) {
      const t = Int32Array.of(rnd(), rnd(), rnd());
      const h = hashRange(t, 0, 3);
      const other = seen.get(h);
      if (other && key(other) !== key(t)) pair = [other, t];
      else seen.set(h, t);
    }
    const [u, v] = pair;
    const three: Component[] = [0, 1, 2].map((k) => ({ offset: k, width: 1, table: k }));
    const fresh = () => {
      const store = new StateStore(3, three);
      const one = new Int32Array(1);
      for (let x = 0; x < 1 << 16; x++) {
        one[0] = x;
        for (let k = 0; k < 3; k++) store.internComponent(k, one, 0);
      }
      return store;
    };
    const store = fresh();
    expect(store.tupleOf(u, -1, new Uint32Array(3))).toEqual(Uint32Array.from(u));
    expect(store.add(u)).toBe(0);
    expect(store.has(v)).toBe(false);
    expect(store.add(v)).toBe(1);
    expect(store.add(u)).toBe(-1);
    expect(store.add(v)).toBe(-1);
    const other = fresh();
    expect(other.add(v)).toBe(0);
    expect(other.has(u)).toBe(false);
    expect(other.has(v)).toBe(true);
  });
});

describe('the store’s other entry points', () => {
  it('one component by default; components read and interned one at a time', () => {
    const store = new StateStore(3);
    expect(store.componentCounts).toEqual([0]);
    expect(store.add(Int32Array.of(1, 2, 3))).toBe(0);
    expect(store.add(Int32Array.of(1, 2, 4))).toBe(1);
    expect(store.componentCounts).toEqual([2]);
    expect(key(store.read(1, new Int32Array(3)))).toBe('1,2,4');

    const many = new StateStore(WIDTH, COMPONENTS);
    const s = Int32Array.of(1, 2, 3, 4, 5, 6, 7, 8);
    expect(many.intern(s, 2)).toBe(0); // [6, 7] in table 1
    expect(many.intern(s, 1)).toBe(1); // [4, 5] in table 1
    expect(many.intern(s, 0)).toBe(0); // [1, 2, 3] in table 0
    expect(many.internComponent(2, Int32Array.of(9, 4, 5), 1)).toBe(1);
    expect(many.internComponent(2, Int32Array.of(6, 7), 0)).toBe(0);
    const out = new Int32Array(4).fill(-9);
    many.componentOut(1, 0, out, 1);
    expect(Array.from(out)).toEqual([-9, 6, 7, -9]);
    many.componentOut(0, 0, out, 0);
    expect(Array.from(out)).toEqual([1, 2, 3, -9]);
  });

  it('copyOut writes the vector’s words and not one more', () => {
    const t = new InternTable(3);
    t.intern(Int32Array.of(4, 5, 6), 0);
    t.intern(Int32Array.of(7, 8, 9), 0);
    const out = new Int32Array(6).fill(-1);
    t.copyOut(0, out, 1);
    expect(Array.from(out)).toEqual([-1, 4, 5, 6, -1, -1]);
  });

  it('bytes: a first state costs one chunk of tuples, exactly', () => {
    const store = new StateStore(WIDTH, COMPONENTS);
    const empty = store.bytes;
    store.add(Int32Array.of(1, 2, 3, 4, 5, 6, 7, 8));
    expect(store.bytes - empty).toBe((1 << 16) * COMPONENTS.length * 4);
  });

  it('a frontier queue of several components past a chunk of tuples reads back every state', () => {
    const q = new TupleQueue(internTables(COMPONENTS), COMPONENTS);
    const n = (1 << 16) + 5;
    const s = new Int32Array(WIDTH);
    for (let i = 0; i < n; i++) {
      s[0] = i % 7;
      s[3] = i % 11;
      s[7] = i % 13;
      q.push(s);
    }
    expect(q.bytes).toBe(2 * (1 << 16) * COMPONENTS.length * 4);
    let wrong = 0;
    const out = new Int32Array(WIDTH);
    for (let i = 0; i < n; i += 101) {
      q.read(i, out);
      if (out[0] !== i % 7 || out[3] !== i % 11 || out[7] !== i % 13) wrong++;
    }
    expect(wrong).toBe(0);
  });
});
