/**
 * Random small C litmus tests for differential testing against herd7: 2-4 processes over 2-3
 * locations, built from the primitives the checker models (marked and plain accesses,
 * release/acquire, fences, xchg/cmpxchg/atomic_* with their orderings, spinlocks and trylock,
 * RCU read-side sections and synchronize_rcu, control, data and address dependencies through a
 * pointer published with rcu_assign_pointer). The same seed
 * always gives the same test text.
 */

import { mulberry32 } from '@mmreplay/model';

/** A small seeded PRNG (mulberry32), enough for test generation. */
export const prng = mulberry32;

export interface GeneratedTest {
  readonly seed: number;
  readonly name: string;
  readonly text: string;
}

interface Gen {
  readonly rnd: () => number;
  int(n: number): number;
  pick<T>(xs: readonly T[]): T;
  chance(p: number): boolean;
}

function gen(seed: number): Gen {
  const rnd = prng(seed);
  return {
    rnd,
    int: (n) => Math.floor(rnd() * n),
    pick: (xs) => xs[Math.floor(rnd() * xs.length)],
    chance: (p) => rnd() < p,
  };
}

const ORDER_SUFFIXES = ['', '_relaxed', '_acquire', '_release'];

interface ThreadState {
  readonly lines: string[];
  readonly regs: string[];
  /** Registers that hold a loaded value, with the location and the values it might have read. */
  readonly loaded: { reg: string; loc: string }[];
  nextReg: number;
}

export function generateLitmus(seed: number): GeneratedTest {
  const g = gen(seed);
  // Mostly 2-3 processes; herd7's time grows fast with the writes per location (coherence orders).
  const nThreads = g.pick([2, 2, 2, 3, 3, 4]);
  const maxWrites = 3;
  const writes = new Map<string, number>();
  const locs = ['x', 'y', 'z'].slice(0, 2 + g.int(2));
  const useLock = g.chance(0.2);
  const useRcu = !useLock && g.chance(0.12);
  // A pointer p to one of the locations: rcu_assign_pointer / rcu_dereference and address dependencies.
  const usePointer = g.chance(0.15);
  const written = new Map<string, Set<number>>(locs.map((l) => [l, new Set([0])]));
  const threads: ThreadState[] = [];
  let rcuSyncUsed = false;

  const newReg = (t: ThreadState, pointer = false): string => {
    const r = `r${t.nextReg++}`;
    t.regs.push(pointer ? `*${r}` : r);
    return r;
  };
  const val = (loc: string): number => {
    const v = 1 + g.int(2);
    written.get(loc)!.add(v);
    return v;
  };

  /** One access or fence, appended to t (indent: inside an if or a critical section). */
  const instruction = (t: ThreadState, indent: string, allowNested: boolean): void => {
    const loc = g.pick(locs);
    if (usePointer && g.chance(0.25)) {
      if (g.chance(0.4) && (writes.get('p') ?? 0) < maxWrites) {
        writes.set('p', (writes.get('p') ?? 0) + 1);
        t.lines.push(`${indent}rcu_assign_pointer(*p, ${loc});`);
      } else {
        const rp = newReg(t, true);
        const r = newReg(t);
        t.lines.push(`${indent}${rp} = rcu_dereference(*p);`);
        t.lines.push(`${indent}${r} = READ_ONCE(*${rp});`);
        t.loaded.push({ reg: r, loc: '*' });
      }
      return;
    }
    let k = g.int(100);
    // Everything but plain reads, marked reads and fences may write; past the budget, read instead.
    const writing = k < 18 || (k >= 36 && k < 42) || (k >= 58 && k < 75) || (k >= 75 && k < 80 && t.loaded.length > 0) || k >= 87;
    if (writing && (writes.get(loc) ?? 0) >= maxWrites) k = 18;
    else if (writing) writes.set(loc, (writes.get(loc) ?? 0) + 1);
    if (k < 18) {
      t.lines.push(`${indent}WRITE_ONCE(*${loc}, ${val(loc)});`);
    } else if (k < 36) {
      const r = newReg(t);
      t.lines.push(`${indent}${r} = READ_ONCE(*${loc});`);
      t.loaded.push({ reg: r, loc });
    } else if (k < 42) {
      t.lines.push(`${indent}smp_store_release(${loc}, ${val(loc)});`);
    } else if (k < 48) {
      const r = newReg(t);
      t.lines.push(`${indent}${r} = smp_load_acquire(${loc});`);
      t.loaded.push({ reg: r, loc });
    } else if (k < 58) {
      t.lines.push(`${indent}${g.pick(['smp_mb()', 'smp_rmb()', 'smp_wmb()', 'smp_mb()', 'smp_rmb()', 'smp_wmb()', 'barrier()'])};`);
    } else if (k < 64) {
      const r = newReg(t);
      t.lines.push(`${indent}${r} = xchg${g.pick(ORDER_SUFFIXES)}(${loc}, ${val(loc)});`);
      t.loaded.push({ reg: r, loc });
    } else if (k < 69) {
      const r = newReg(t);
      const old = g.pick([...written.get(loc)!]);
      t.lines.push(`${indent}${r} = cmpxchg${g.pick(ORDER_SUFFIXES)}(${loc}, ${old}, ${val(loc)});`);
      t.loaded.push({ reg: r, loc });
    } else if (k < 75) {
      const form = g.int(3);
      if (form === 0) {
        if (g.chance(0.5)) t.lines.push(`${indent}smp_mb__before_atomic();`);
        t.lines.push(`${indent}atomic_inc(${loc});`);
        if (g.chance(0.5)) t.lines.push(`${indent}smp_mb__after_atomic();`);
      } else {
        const r = newReg(t);
        const fn = form === 1 ? `atomic_add_return${g.pick(ORDER_SUFFIXES)}(1, ${loc})` : `atomic_fetch_inc${g.pick(ORDER_SUFFIXES)}(${loc})`;
        t.lines.push(`${indent}${r} = ${fn};`);
        t.loaded.push({ reg: r, loc });
      }
      for (const v of [...written.get(loc)!]) if (v < 3) written.get(loc)!.add(v + 1);
    } else if (k < 80 && t.loaded.length > 0) {
      // Data dependency: store a loaded value (or one computed from it).
      const src = g.pick(t.loaded);
      const expr = g.chance(0.5) ? src.reg : `${src.reg} + 1`;
      t.lines.push(`${indent}WRITE_ONCE(*${loc}, ${expr});`);
      for (const v of [0, 1, 2, 3]) written.get(loc)!.add(v);
    } else if (k < 87 && allowNested && t.loaded.length > 0) {
      // Control dependency.
      const src = g.pick(t.loaded);
      t.lines.push(`${indent}if (${src.reg} == ${g.int(3)}) {`);
      instruction(t, `${indent}\t`, false);
      t.lines.push(`${indent}}`);
    } else if (k < 93) {
      // Plain accesses (data races are flagged, plain-coherence is checked).
      if (g.chance(0.5)) t.lines.push(`${indent}*${loc} = ${val(loc)};`);
      else {
        const r = newReg(t);
        t.lines.push(`${indent}${r} = *${loc};`);
        t.loaded.push({ reg: r, loc });
      }
    } else if (useRcu && allowNested) {
      if (g.chance(0.5) && !rcuSyncUsed) {
        rcuSyncUsed = true;
        t.lines.push(`${indent}synchronize_rcu();`);
      } else {
        t.lines.push(`${indent}rcu_read_lock();`);
        instruction(t, `${indent}\t`, false);
        instruction(t, `${indent}\t`, false);
        t.lines.push(`${indent}rcu_read_unlock();`);
      }
    } else {
      t.lines.push(`${indent}WRITE_ONCE(*${loc}, ${val(loc)});`);
    }
  };

  for (let i = 0; i < nThreads; i++) {
    const t: ThreadState = { lines: [], regs: [], loaded: [], nextReg: 0 };
    const n = 1 + g.int(nThreads === 4 ? 2 : 3);
    let locked = false;
    for (let j = 0; j < n; j++) {
      // At most one critical section per process: herd7's lock model grows fast with more.
      if (useLock && !locked && g.chance(0.5)) {
        locked = true;
        if (g.chance(0.25)) {
          t.lines.push('\tif (spin_trylock(l)) {');
          instruction(t, '\t\t', false);
          t.lines.push('\t\tspin_unlock(l);');
          t.lines.push('\t}');
        } else {
          t.lines.push('\tspin_lock(l);');
          if (g.chance(0.3)) t.lines.push('\tsmp_mb__after_spinlock();');
          instruction(t, '\t', false);
          t.lines.push('\tspin_unlock(l);');
        }
      } else instruction(t, '\t', true);
    }
    threads.push(t);
  }
  if (useRcu && !rcuSyncUsed) threads[threads.length - 1].lines.push('\tsynchronize_rcu();');

  // The condition: 1-3 atoms over loaded registers and final values, with plausible values.
  const atoms: string[] = [];
  const candidates: string[] = [];
  threads.forEach((t, i) => {
    for (const { reg, loc } of t.loaded) {
      const values = loc === '*' ? [...new Set(locs.flatMap((l) => [...written.get(l)!]))] : [...written.get(loc)!];
      candidates.push(`${i}:${reg}=${g.pick(values)}`);
    }
  });
  for (const loc of locs) candidates.push(`${loc}=${g.pick([...written.get(loc)!])}`);
  const nAtoms = 1 + g.int(3);
  for (let i = 0; i < nAtoms && candidates.length > 0; i++) {
    const c = candidates.splice(g.int(candidates.length), 1)[0];
    atoms.push(c);
  }
  const quantifier = g.pick(['exists', 'exists', 'exists', '~exists', 'forall']);
  const joiner = quantifier === 'forall' ? ' \\/ ' : ' /\\ ';

  const name = `gen-${seed}`;
  const params = [...locs.map((l) => `int *${l}`), ...(usePointer ? ['int **p'] : []), ...(useLock ? ['spinlock_t *l'] : [])].join(', ');
  const out: string[] = [`C ${name}`, '', '{', ...locs.map((l) => `\tint ${l} = 0;`), ...(usePointer ? [`\tint *p = ${locs[0]};`] : []), '}', ''];
  threads.forEach((t, i) => {
    out.push(`P${i}(${params})`, '{');
    for (const r of t.regs) out.push(`\tint ${r};`);
    if (t.regs.length > 0) out.push('');
    out.push(...t.lines, '}', '');
  });
  out.push(`${quantifier} (${atoms.join(joiner)})`, '');
  return { seed, name, text: out.join('\n') };
}
