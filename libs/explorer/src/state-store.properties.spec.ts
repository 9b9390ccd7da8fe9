import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hashRange, InternTable, internTables, StateStore, TupleQueue, type Component } from './state-store.js';

// The state store against a Map of the states' texts (issue 20, for the mutation run over
// state-store.ts): every entry point the searches use (add/has with and without a parent hint,
// the tuple path of symmetric worlds, decode, the frontier queue of the approximate search),
// across the chunk and table sizes where the store grows.

const COMPONENTS: Component[] = [
  { offset: 0, width: 3, table: 0 },
  { offset: 3, width: 2, table: 1 },
  { offset: 5, width: 2, table: 1 },
  { offset: 7, width: 1, table: 2 },
];
const WIDTH = 8;
const stateArb = fc.array(fc.integer({ min: -2, max: 2 }), { minLength: WIDTH, maxLength: WIDTH }).map((a) => Int32Array.from(a));
const key = (s: ArrayLike<number>) => Array.from(s).join(',');

/** The i-th of many distinct states (a mixed-radix counter over small values), so that tables and chunks grow. */
function nth(i: number): Int32Array {
  const s = new Int32Array(WIDTH);
  for (let k = 0, x = i; k < WIDTH; k++, x = Math.floor(x / 5)) s[k] = (x % 5) - 2;
  return s;
}

describe('the state store against a Map of its states', () => {
  it('add, has, the parent hint and the tuple path agree with a Map, and every stored state reads back', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(stateArb, fc.nat(), fc.constantFrom('add', 'has', 'tuple')), { maxLength: 200 }), (ops) => {
        const store = new StateStore(WIDTH, COMPONENTS);
        const ids = new Map<string, number>();
        const tuple = new Uint32Array(COMPONENTS.length);
        for (const [s, hint, op] of ops) {
          const k = key(s);
          // a hint names any stored state (the parent): it only saves hashing, never changes the answer
          const like = ids.size === 0 ? -1 : hint % ids.size;
          if (op === 'has') {
            expect(store.has(s, like)).toBe(ids.has(k));
            expect(store.has(s)).toBe(ids.has(k));
            continue;
          }
          let id: number;
          if (op === 'tuple') {
            store.tupleOf(s, like, tuple);
            expect(store.hasTuple(tuple)).toBe(ids.has(k));
            expect(key(store.decode(tuple, new Int32Array(WIDTH)))).toBe(k);
            id = store.addTuple(tuple);
          } else id = store.add(s, like);
          expect(id).toBe(ids.has(k) ? -1 : ids.size);
          if (!ids.has(k)) ids.set(k, id);
          expect(store.count).toBe(ids.size);
        }
        for (const [k, id] of ids) expect(key(store.read(id, new Int32Array(WIDTH)))).toBe(k);
      }),
      { numRuns: 60 },
    );
  });

  it('componentSince gives the id interning would, whether none, some or all of the component words changed', () => {
    // the successor path (successor.ts) asks for the ids of a step's successor against its parent:
    // a component left as it was keeps the parent's id without a look-up, any other is interned
    fc.assert(
      fc.property(stateArb, stateArb, fc.array(fc.boolean(), { minLength: WIDTH, maxLength: WIDTH }), (parent, other, changed) => {
        const next = Int32Array.from(parent, (x, i) => (changed[i] ? other[i] : x));
        const store = new StateStore(WIDTH, COMPONENTS);
        const was = store.tupleOf(parent, -1, new Uint32Array(COMPONENTS.length)).slice();
        const want = store.tupleOf(next, -1, new Uint32Array(COMPONENTS.length));
        for (let k = 0; k < COMPONENTS.length; k++) expect(store.componentSince(k, next, parent, was[k])).toBe(want[k]);
      }),
      { numRuns: 200 },
    );
  });

  it('past one chunk of states and many table doublings: every state found once, read back, and the bytes grow with it', () => {
    // one word a state, so that the 2^16 states of a chunk are cheap to store under mutation testing
    const one: Component[] = [{ offset: 0, width: 1, table: 0 }];
    const store = new StateStore(1, one);
    const empty = store.bytes;
    const n = (1 << 16) + 3000;
    const s = new Int32Array(1);
    let wrong = 0;
    for (let i = 0; i < n; i++) {
      s[0] = i * 3;
      if (store.add(s, i > 0 ? i - 1 : -1) !== i) wrong++;
    }
    expect(wrong).toBe(0);
    expect(store.count).toBe(n);
    expect(store.componentCounts).toEqual([n]);
    for (let i = 0; i < n; i += 997) {
      s[0] = i * 3;
      expect(store.add(s)).toBe(-1);
      expect(store.has(s, i)).toBe(true);
      s[0] = i * 3 + 1;
      expect(store.has(s)).toBe(false);
    }
    for (const i of [0, 1, (1 << 16) - 1, 1 << 16, n - 1]) expect(store.read(i, new Int32Array(1))[0]).toBe(i * 3);
    // two chunks of tuples, a table of at least 2n slots, and the interned components (n words and n hashes)
    expect(store.bytes).toBeGreaterThanOrEqual(2 * (1 << 16) * 4 + 2 * n * 4 + 2 * n * 4);
    expect(store.bytes).toBeGreaterThan(empty);
    // and with several components: each distinct component once, 5^3 for table 0, 5^2 for table 1
    // (shared by two components), the last word's 5 values for table 2
    const many = new StateStore(WIDTH, COMPONENTS);
    for (let i = 0; i < 5 ** 8; i += 7) many.add(nth(i));
    expect(many.count).toBe(Math.ceil(5 ** 8 / 7));
    expect(many.componentCounts).toEqual([125, 25, 5]);
    for (const i of [0, 7 * 1000, 7 * 5000]) expect(key(many.read(i / 7, new Int32Array(WIDTH)))).toBe(key(nth(i)));
  });

  it('the intern table: one index per distinct vector, its words and its hash kept, across growth', () => {
    const t = new InternTable(3);
    const n = 1500;
    const v = (i: number) => Int32Array.from([0, i, 0 - i, i * 3, 9]);
    let wrong = 0;
    for (let i = 0; i < n; i++) if (t.intern(v(i), 1) !== i) wrong++;
    expect(wrong).toBe(0);
    for (let i = 0; i < n; i += 37) {
      expect(t.intern(v(i), 1)).toBe(i);
      expect(t.equalsAt(i, v(i), 1)).toBe(true);
      expect(t.equalsAt(i, v(i + 1), 1)).toBe(false);
      expect(t.hashOf(i)).toBe(hashRange(v(i), 1, 3));
      const out = new Int32Array(5).fill(77);
      t.copyOut(i, out, 2);
      expect(Array.from(out)).toEqual([77, 77, i, 0 - i, i * 3]);
    }
    expect(t.count).toBe(n);
    expect(t.bytes).toBeGreaterThanOrEqual(n * 3 * 4 + n * 4 + 2 * n * 4);
    // a vector differing in its last word only is new
    expect(t.intern(Int32Array.from([0, 1, -1, 4]), 1)).toBe(n);
    // a zero-width table holds one vector, the empty one
    const z = new InternTable(0);
    expect(z.intern(new Int32Array(2), 0)).toBe(0);
    expect(z.intern(Int32Array.from([5, 6]), 1)).toBe(0);
  });

  it('hashRange hashes exactly the words of its range', () => {
    const s = Int32Array.from([1, 2, 3, 4, 5, 6]);
    expect(hashRange(s, 1, 3)).toBe(hashRange(Int32Array.from([2, 3, 4]), 0, 3));
    const t = s.slice();
    t[0] = 9;
    t[4] = 9;
    expect(hashRange(t, 1, 3)).toBe(hashRange(s, 1, 3));
    t[3] = 9;
    expect(hashRange(t, 1, 3)).not.toBe(hashRange(s, 1, 3));
    expect(hashRange(s, 0, 2)).not.toBe(hashRange(s, 0, 3));
  });

  it('the frontier queue reads back its states in order, past a chunk, and starts over when cleared', () => {
    const tables = internTables(COMPONENTS);
    expect(tables.map((t) => t.width)).toEqual([3, 2, 1]);
    const q = new TupleQueue(tables, COMPONENTS);
    expect(q.bytes).toBe(0);
    q.push(nth(42));
    q.push(nth(4242));
    expect(q.count).toBe(2);
    expect(q.bytes).toBe((1 << 16) * COMPONENTS.length * 4);
    expect(key(q.read(1, new Int32Array(WIDTH)))).toBe(key(nth(4242)));
    expect(key(q.read(0, new Int32Array(WIDTH)))).toBe(key(nth(42)));
    // past a chunk: one word a state, cheap
    const one: Component[] = [{ offset: 0, width: 1, table: 0 }];
    const big = new TupleQueue(internTables(one), one);
    const n = (1 << 16) + 10;
    const s = new Int32Array(1);
    for (let i = 0; i < n; i++) {
      s[0] = i % 50;
      big.push(s);
    }
    expect(big.count).toBe(n);
    expect(big.bytes).toBe(2 * (1 << 16) * 4);
    for (const i of [0, 5, (1 << 16) - 1, 1 << 16, n - 1]) expect(big.read(i, new Int32Array(1))[0]).toBe(i % 50);
    big.clear();
    expect(big.count).toBe(0);
    s[0] = 49;
    big.push(s);
    expect(big.count).toBe(1);
    expect(big.read(0, new Int32Array(1))[0]).toBe(49);
    // the memory is kept for the next level
    expect(big.bytes).toBe(2 * (1 << 16) * 4);
  });
});

describe('an intern table grows where it says', () => {
  it('room for 256 vectors and an index of 1,024 slots at first; the vectors double at the 257th, the index at the 513th', () => {
    const t = new InternTable(1);
    const v = new Int32Array(1);
    const add = (x: number) => {
      v[0] = x;
      return t.intern(v, 0);
    };
    // vectors and hashes 256 words each, the index 1,024
    expect(t.bytes).toBe(4 * (256 + 256 + 1024));
    for (let x = 0; x < 256; x++) expect(add(x)).toBe(x);
    expect(t.bytes).toBe(4 * (256 + 256 + 1024));
    add(256);
    expect(t.bytes).toBe(4 * (512 + 512 + 1024));
    for (let x = 257; x < 512; x++) add(x);
    expect(t.bytes).toBe(4 * (512 + 512 + 1024));
    add(512);
    expect(t.bytes).toBe(4 * (1024 + 1024 + 2048));
    // every vector still found where it was put
    for (let x = 0; x <= 512; x++) expect(add(x)).toBe(x);
    expect(t.count).toBe(513);
  });

  it('a component wider than its first room (256 words) is held whole', () => {
    const t = new InternTable(1000);
    const a = Int32Array.from({ length: 1000 }, (_, k) => k);
    const b = Int32Array.from({ length: 1000 }, (_, k) => -k);
    expect([t.intern(a, 0), t.intern(b, 0), t.intern(a, 0)]).toEqual([0, 1, 0]);
    const out = new Int32Array(1000);
    t.copyOut(1, out, 0);
    expect(out).toEqual(b);
  });
});
