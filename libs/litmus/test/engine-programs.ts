import { KernelPath, litmusPointee, type World } from '@mmreplay/model';
import { Machine, type ModelBoundMet } from '@mmreplay/engine';
import { checkLitmus, litmusEngineWorld, parseLitmus, prng, UnsupportedConstructError, type LitmusTest } from '../src/index.js';
import { litmusWorldOf } from '../src/engine-world.js';

// Random small programs in the engine's instruction subset for relaxed memory (load_var /
// store_var with READ_ONCE / WRITE_ONCE / acquire / release, fence rmb / wmb / mb, a data
// dependency into a store, a control dependency over a store), each as an engine world and as
// the same test in the kernel's C litmus format, so that the engine's exhaustive search under a
// memory model can be held to the LKMM's answer for the same program.

export type Op =
  | { kind: 'store'; loc: number; value: number; release: boolean }
  | { kind: 'store-reg'; loc: number; reg: number }
  | { kind: 'store-if'; loc: number; value: number; reg: number; unless: number }
  | { kind: 'load'; loc: number; reg: number; acquire: boolean }
  | { kind: 'load-if'; loc: number; reg: number; unless: number; dst: number }
  /** if (rA != rB) WRITE_ONCE(...): a branch between two registers (bsame) */
  | { kind: 'store-if2'; loc: number; value: number; reg: number; reg2: number }
  /** if (rN != u1) { if (rN != u2) WRITE_ONCE(...) }: two branches on one load */
  | { kind: 'store-if-if'; loc: number; value: number; reg: number; unless: number; unless2: number }
  | { kind: 'fence'; fence: 1 | 2 | 3 }
  | { kind: 'mb-after-lock' }
  | { kind: 'is-locked'; lock: number; reg: number }
  | { kind: 'lock'; lock?: number }
  | { kind: 'unlock'; lock?: number }
  /** rN = rcu_dereference(*p) (or smp_load_acquire(p)): a pointer loaded from `p` (the `ptrs` mix) */
  | { kind: 'load-ptr'; reg: number; acquire: boolean }
  /** rN = READ_ONCE(*rP): a load through the pointer in rP (an address dependency) */
  | { kind: 'load-dep'; reg: number; ptr: number }
  /** WRITE_ONCE(*rP, value) (or smp_store_release(rP, value)): a store through the pointer in rP (an address dependency) */
  | { kind: 'store-dep'; ptr: number; value: number; release: boolean }
  /** rcu_assign_pointer(*p, x) (or WRITE_ONCE(*p, x)): publish the address of location `target` */
  | { kind: 'store-ptr'; target: number; release: boolean }
  /** r = spin_trylock(lock); `if-reg` opens `if (rN) {`, `endif` closes it (the `locks-trylock` mix) */
  | { kind: 'trylock'; lock: number; reg: number }
  | { kind: 'if-reg'; reg: number }
  | { kind: 'endif' }
  /** smp_mb__after_unlock_lock() (the `locks-aul` mix) */
  | { kind: 'mb-after-unlock-lock' }
  /** a read-modify-write (the `rmw` mix): its result into rN (none for atomic_inc()); `value` its operand, `expected` a cmpxchg()'s */
  | { kind: 'rmw'; fn: RmwFn; order: RmwSuffix; loc: number; reg: number; value: number; expected: number }
  /** smp_mb__before_atomic() / smp_mb__after_atomic(), next to a read-modify-write (the `rmw` mix) */
  | { kind: 'atomic-fence'; after: boolean }
  /** rcu_read_lock(), rcu_read_unlock(), synchronize_rcu() (the `rcu` mix) */
  | { kind: 'rcu-lock' }
  | { kind: 'rcu-unlock' }
  | { kind: 'sync-rcu' };

export type RmwFn = 'xchg' | 'cmpxchg' | 'fetch_add' | 'add_return' | 'fetch_sub' | 'inc' | 'dec_and_test';
export type RmwSuffix = '' | '_relaxed' | '_acquire' | '_release';
const RMW_FNS: readonly RmwFn[] = ['xchg', 'cmpxchg', 'cmpxchg', 'fetch_add', 'add_return', 'fetch_sub', 'inc', 'dec_and_test'];
const RMW_SUFFIXES: readonly RmwSuffix[] = ['', '_relaxed', '_acquire', '_release'];

export interface Program {
  readonly seed: number;
  readonly locs: readonly string[];
  readonly threads: readonly (readonly Op[])[];
  /** the spinlock `s` that `lock`/`unlock` take (the `locks` mix) */
  readonly lock?: boolean;
  /** how many spinlocks (`s`, then `t`) `lock`/`unlock` take: 1 unless said */
  readonly locks?: number;
  /** the `ptrs` mix: a location `p` holding a pointer, at first to this location */
  readonly pointer?: number;
  /** the `rmw` mix: lowered by litmusEngineWorld (whose lowering of RMWs is part of what is held to the LKMM) */
  readonly rmw?: boolean;
  /** the `rcu` mix: lowered by litmusEngineWorld too */
  readonly rcu?: boolean;
}

const FENCES = { 1: 'smp_rmb', 2: 'smp_wmb', 3: 'smp_mb' } as const;
/** Loads a thread may have: the engine keeps at most 2 outstanding (LOAD_QUEUE_CAPACITY). */
const MAX_LOADS = 2;
/** Store sites per location: at most 3 (MESSAGE_CAPACITY is 4). */
const MAX_STORES = 3;

/**
 * `mixed`: every construct, a control dependency only as a thread's last statement (the
 * generator of the first engine differential, kept so that its seeds stay the same programs).
 * `ctrl-wmb`: branches anywhere (stores and loads in them, loads and stores after the `if`) and
 * smp_wmb() after stores that wait for a load: what the engine once ordered more than the LKMM.
 */
export type ProgramMix =
  | 'mixed'
  | 'ctrl-wmb'
  | 'locks'
  | 'locks-mb'
  | 'locks-sil'
  | 'deps'
  | 'ptrs'
  | 'locks-trylock'
  | 'locks-aul'
  | 'release'
  | 'ptrs-release'
  | 'ptrs-store'
  | 'rmw'
  | 'rcu';

export function generateProgram(seed: number, mix: ProgramMix = 'mixed'): Program {
  if (mix === 'ctrl-wmb') return generateCtrlWmb(seed);
  if (mix === 'locks') return generateLocks(seed);
  if (mix === 'locks-mb') return withMbAfterLocks(generateLocks(seed));
  if (mix === 'locks-sil') return withIsLocked(generateLocks(seed));
  if (mix === 'deps') return generateDeps(seed);
  if (mix === 'ptrs') return generatePointers(seed);
  if (mix === 'locks-trylock') return withTrylocks(generateLocks(seed));
  if (mix === 'locks-aul') return seed % 2 === 0 ? withMbAfterUnlockLock(generateLocks(seed)) : generateAul(seed);
  if (mix === 'release') return generateRelease(seed);
  if (mix === 'ptrs-release') return withReleaseBeforeDep(generatePointers(seed));
  if (mix === 'ptrs-store') return withStoreThroughPointer(generatePointers(seed));
  if (mix === 'rmw') return generateRmw(seed);
  if (mix === 'rcu') return generateRcu(seed);
  const rnd = prng(seed);
  const pick = (n: number) => Math.floor(rnd() * n);
  const nLocs = 2 + pick(2);
  const nThreads = 2 + pick(2);
  const stores = new Array<number>(nLocs).fill(0);
  const threads: Op[][] = [];
  for (let t = 0; t < nThreads; t++) {
    const ops: Op[] = [];
    let loads = 0;
    const len = 2 + pick(3);
    for (let i = 0; i < len; i++) {
      const r = rnd();
      const loc = pick(nLocs);
      const loaded = ops.flatMap((o) => (o.kind === 'load' ? [o.reg] : []));
      if (r < 0.4 && stores[loc] < MAX_STORES) {
        stores[loc]++;
        const value = stores[loc];
        const dep = rnd();
        if (loaded.length > 0 && dep < 0.15) ops.push({ kind: 'store-reg', loc, reg: loaded[pick(loaded.length)] });
        // (this mix keeps a control dependency last; `ctrl-wmb` puts them anywhere)
        else if (loaded.length > 0 && dep < 0.3 && i === len - 1) ops.push({ kind: 'store-if', loc, value, reg: loaded[pick(loaded.length)], unless: pick(2) });
        else ops.push({ kind: 'store', loc, value, release: rnd() < 0.2 });
      } else if (r < 0.85 && loads < MAX_LOADS) {
        ops.push({ kind: 'load', loc, reg: loads++, acquire: rnd() < 0.2 });
      } else {
        ops.push({ kind: 'fence', fence: (1 + pick(3)) as 1 | 2 | 3 });
      }
    }
    threads.push(ops);
  }
  return { seed, locs: ['x', 'y', 'z'].slice(0, nLocs), threads };
}

/**
 * `rmw`: xchg(), cmpxchg() (one that may fail: its expected value one the location may hold or
 * not), atomic_fetch_add() and the other families, with every suffix, among loads, stores and
 * barriers, sometimes with smp_mb__before_atomic() or smp_mb__after_atomic() next to one; a
 * read-modify-write is a store site of its location (MAX_STORES). Its result goes to r2 or r3 (the
 * loads keep r0 and r1).
 */
function generateRmw(seed: number): Program {
  const rnd = prng(seed * 40503 + 11);
  const pick = (n: number) => Math.floor(rnd() * n);
  const nLocs = rnd() < 0.7 ? 2 : 3;
  const nThreads = rnd() < 0.8 ? 2 : 3;
  const stores = new Array<number>(nLocs).fill(0);
  const adds = new Array<number>(nLocs).fill(0);
  const threads: Op[][] = [];
  for (let t = 0; t < nThreads; t++) {
    const ops: Op[] = [];
    let loads = 0;
    let rmws = 0;
    // (short: the checker's candidates grow with each RMW's values)
    const len = 2 + pick(nThreads === 2 ? 3 : 2);
    for (let i = 0; i < len; i++) {
      const r = rnd();
      const loc = pick(nLocs);
      const free = stores[loc] < MAX_STORES;
      if (r < 0.4 && free && rmws < (nThreads === 2 ? 2 : 1)) {
        // (one arithmetic RMW per location: the checker's value domains stay small)
        let fn = RMW_FNS[pick(RMW_FNS.length)];
        const arithmetic = (f: RmwFn) => f !== 'xchg' && f !== 'cmpxchg';
        if (arithmetic(fn) && adds[loc]++ > 0) fn = rnd() < 0.5 ? 'xchg' : 'cmpxchg';
        const order = fn === 'inc' || fn === 'dec_and_test' ? '' : RMW_SUFFIXES[pick(RMW_SUFFIXES.length)];
        const value = ++stores[loc];
        // (not next to a cmpxchg(), which may fail: litmusEngineWorld refuses that)
        const fenced = fn !== 'cmpxchg' && rnd() < 0.3;
        const before = fenced && rnd() < 0.5;
        if (before) ops.push({ kind: 'atomic-fence', after: false });
        ops.push({ kind: 'rmw', fn, order, loc, reg: fn === 'inc' ? -1 : 2 + rmws, value: arithmetic(fn) ? 1 : value, expected: pick(stores[loc] + 1) });
        rmws++;
        if (fenced && !before) ops.push({ kind: 'atomic-fence', after: true });
      } else if (r < 0.6 && free) ops.push({ kind: 'store', loc, value: ++stores[loc], release: rnd() < 0.15 });
      else if (r < 0.9 && loads < MAX_LOADS) ops.push({ kind: 'load', loc, reg: loads++, acquire: rnd() < 0.15 });
      else ops.push({ kind: 'fence', fence: (1 + pick(3)) as 1 | 2 | 3 });
    }
    threads.push(ops);
  }
  return { seed, locs: ['x', 'y', 'z'].slice(0, nLocs), threads, rmw: true };
}

/**
 * `rcu`: one or two updaters (accesses, synchronize_rcu(), accesses) and readers whose accesses
 * sit in an RCU read-side critical section (sometimes nested, sometimes two in a row, sometimes
 * an access before or after it), and sometimes a third thread with a barrier: the shapes of
 * RCU-MP, RCU-SB, RCU-LB and their chains through two grace periods.
 */
function generateRcu(seed: number): Program {
  const rnd = prng(seed * 69069 + 5);
  const pick = (n: number) => Math.floor(rnd() * n);
  const nLocs = rnd() < 0.6 ? 2 : 3;
  const nThreads = rnd() < 0.6 ? 2 : 3;
  const stores = new Array<number>(nLocs).fill(0);
  const threads: Op[][] = [];
  const access = (ops: Op[], loads: { n: number }) => {
    const loc = pick(nLocs);
    if ((rnd() < 0.5 || loads.n >= MAX_LOADS) && stores[loc] < MAX_STORES) ops.push({ kind: 'store', loc, value: ++stores[loc], release: rnd() < 0.1 });
    else if (loads.n < MAX_LOADS) ops.push({ kind: 'load', loc, reg: loads.n++, acquire: rnd() < 0.1 });
  };
  for (let t = 0; t < nThreads; t++) {
    const ops: Op[] = [];
    const loads = { n: 0 };
    const role = t === 0 ? 'updater' : t === 1 ? 'reader' : (['updater', 'reader', 'plain'] as const)[pick(3)];
    if (role === 'updater') {
      access(ops, loads);
      ops.push({ kind: 'sync-rcu' });
      access(ops, loads);
    } else if (role === 'reader') {
      if (rnd() < 0.15) access(ops, loads);
      ops.push({ kind: 'rcu-lock' });
      const nested = rnd() < 0.15;
      if (nested) ops.push({ kind: 'rcu-lock' });
      access(ops, loads);
      access(ops, loads);
      if (nested) ops.push({ kind: 'rcu-unlock' });
      ops.push({ kind: 'rcu-unlock' });
      if (rnd() < 0.2) ops.push({ kind: 'rcu-lock' }, ...(loads.n < MAX_LOADS ? [{ kind: 'load', loc: pick(nLocs), reg: loads.n++, acquire: false } as Op] : []), { kind: 'rcu-unlock' });
      else if (rnd() < 0.2) access(ops, loads);
    } else {
      access(ops, loads);
      ops.push({ kind: 'fence', fence: (1 + pick(3)) as 1 | 2 | 3 });
      access(ops, loads);
    }
    threads.push(ops);
  }
  return { seed, locs: ['x', 'y', 'z'].slice(0, nLocs), threads, rcu: true };
}

function generateCtrlWmb(seed: number): Program {
  const rnd = prng(seed);
  const pick = (n: number) => Math.floor(rnd() * n);
  // Mostly two threads over two locations, so that one thread's branch and barrier meet the
  // other's stores and loads.
  const nLocs = rnd() < 0.75 ? 2 : 3;
  const nThreads = rnd() < 0.7 ? 2 : 3;
  const stores = new Array<number>(nLocs).fill(0);
  const threads: Op[][] = [];
  for (let t = 0; t < nThreads; t++) {
    const ops: Op[] = [];
    let loads = 0;
    const len = 3 + pick(3);
    // Often the first thread only publishes: stores with barriers between them (an MP writer).
    const writer = t === 0 && rnd() < 0.6;
    for (let i = 0; i < len; i++) {
      const r = rnd();
      const loc = pick(nLocs);
      const loaded = ops.flatMap((o) => (o.kind === 'load' ? [o.reg] : []));
      const cond = () => loaded[pick(loaded.length)];
      if (writer) {
        if (r < 0.6 && stores[loc] < MAX_STORES) ops.push({ kind: 'store', loc, value: ++stores[loc], release: rnd() < 0.2 });
        else ops.push({ kind: 'fence', fence: r < 0.85 ? 2 : 3 });
      } else if (r < 0.35 && stores[loc] < MAX_STORES) {
        stores[loc]++;
        const dep = rnd();
        if (loaded.length > 0 && dep < 0.3) ops.push({ kind: 'store-reg', loc, reg: cond() });
        else if (loaded.length > 0 && dep < 0.6) ops.push({ kind: 'store-if', loc, value: stores[loc], reg: cond(), unless: pick(2) });
        else ops.push({ kind: 'store', loc, value: stores[loc], release: rnd() < 0.1 });
      } else if (r < 0.5 && loaded.length > 0 && loads < MAX_LOADS) {
        ops.push({ kind: 'load-if', loc, reg: cond(), unless: pick(2), dst: loads++ });
      } else if (r < 0.8 && loads < MAX_LOADS) {
        ops.push({ kind: 'load', loc, reg: loads++, acquire: rnd() < 0.1 });
      } else {
        const f = rnd();
        ops.push({ kind: 'fence', fence: f < 0.6 ? 2 : f < 0.8 ? 1 : 3 });
      }
    }
    threads.push(ops);
  }
  return { seed, locs: ['x', 'y', 'z'].slice(0, nLocs), threads };
}

/**
 * `deps`: branches between two loaded registers (`if (r0 != r1)`), two branches on one load (one
 * inside the other, or one after the other), and writers with two smp_wmb()s whose stores wait
 * for a load: what the engine once ordered more than the LKMM (a second branch on a load, a
 * branch on two registers, a second smp_wmb() with stores outstanding at the first).
 */
function generateDeps(seed: number): Program {
  const rnd = prng(seed);
  const pick = (n: number) => Math.floor(rnd() * n);
  const nLocs = rnd() < 0.7 ? 2 : 3;
  const nThreads = rnd() < 0.75 ? 2 : 3;
  const stores = new Array<number>(nLocs).fill(0);
  const threads: Op[][] = [];
  const free = (loc: number) => stores[loc] < MAX_STORES;
  const store = (loc: number): Op => ({ kind: 'store', loc, value: ++stores[loc], release: rnd() < 0.1 });
  for (let t = 0; t < nThreads; t++) {
    const ops: Op[] = [];
    if (t === 0 && rnd() < 0.5) {
      // A writer: a load and a store of its value (left outstanding), smp_wmb(), a store,
      // smp_wmb(), then a load or another store (an MP writer whose second barrier meets a store
      // still outstanding at the first).
      const src = pick(nLocs);
      ops.push({ kind: 'load', loc: src, reg: 0, acquire: false });
      const a = pick(nLocs);
      if (free(a)) {
        stores[a]++;
        ops.push({ kind: 'store-reg', loc: a, reg: 0 });
      }
      ops.push({ kind: 'fence', fence: 2 });
      const b = pick(nLocs);
      if (free(b)) ops.push(store(b));
      ops.push({ kind: 'fence', fence: rnd() < 0.85 ? 2 : 3 });
      const c = pick(nLocs);
      if (rnd() < 0.5) ops.push({ kind: 'load', loc: c, reg: 1, acquire: false });
      else if (free(c)) ops.push(store(c));
      threads.push(ops);
      continue;
    }
    // A reader: (mostly) two loads, then branches on them (between the two, nested, one after
    // another on the same load) with stores in them and stores or barriers after them.
    const r0 = { kind: 'load', loc: pick(nLocs), reg: 0, acquire: rnd() < 0.1 } as const;
    ops.push(r0);
    const two = rnd() < 0.7;
    if (two) ops.push({ kind: 'load', loc: pick(nLocs), reg: 1, acquire: false });
    const len = 2 + pick(3);
    for (let i = 0; i < len; i++) {
      const r = rnd();
      const loc = pick(nLocs);
      const reg = two && rnd() < 0.5 ? 1 : 0;
      if (!free(loc)) ops.push({ kind: 'fence', fence: rnd() < 0.5 ? 1 : 2 });
      else if (r < 0.25 && two) ops.push({ kind: 'store-if2', loc, value: ++stores[loc], reg: 0, reg2: 1 });
      else if (r < 0.45) ops.push({ kind: 'store-if-if', loc, value: ++stores[loc], reg, unless: pick(3), unless2: pick(3) });
      else if (r < 0.6) ops.push({ kind: 'store-if', loc, value: ++stores[loc], reg, unless: pick(3) });
      else if (r < 0.68) {
        stores[loc]++;
        ops.push({ kind: 'store-reg', loc, reg });
      } else if (r < 0.9) ops.push(store(loc));
      else ops.push({ kind: 'fence', fence: rnd() < 0.5 ? 1 : rnd() < 0.5 ? 2 : 3 });
    }
    threads.push(ops);
  }
  return { seed, locs: ['x', 'y', 'z'].slice(0, nLocs), threads };
}

/**
 * `ptrs`: a location `p` holding a pointer (at first to x or y), writers that store to locations, maybe
 * smp_wmb()/smp_mb(), then publish a location's address in p (rcu_assign_pointer, or WRITE_ONCE),
 * and readers that load p (rcu_dereference, sometimes smp_load_acquire), maybe smp_rmb(), load
 * through it (an address dependency), then store (plainly, its value: data, or under a branch on
 * it: ctrl) or fence; sometimes a store between the two loads. p only ever points to x or y, so
 * that with a third location z an access to z may go before the dependent load.
 */
function generatePointers(seed: number): Program {
  const rnd = prng(seed);
  const pick = (n: number) => Math.floor(rnd() * n);
  const nLocs = rnd() < 0.35 ? 2 : 3;
  const init = pick(2);
  const nThreads = rnd() < 0.7 ? 2 : 3;
  const stores = new Array<number>(nLocs).fill(0);
  let published = 0;
  const free = (loc: number) => stores[loc] < MAX_STORES;
  const store = (loc: number): Op => ({ kind: 'store', loc, value: ++stores[loc], release: rnd() < 0.1 });
  const threads: Op[][] = [];
  for (let t = 0; t < nThreads; t++) {
    const ops: Op[] = [];
    if (t === 0 || (t === 2 && rnd() < 0.5)) {
      // A writer: an optional load, stores, a barrier, then publish.
      if (rnd() < 0.25) ops.push({ kind: 'load', loc: pick(nLocs), reg: 0, acquire: false });
      for (let i = 0, n = 1 + pick(2); i < n; i++) {
        const loc = pick(nLocs);
        if (free(loc)) ops.push(store(loc));
      }
      const b = rnd();
      if (b < 0.45) ops.push({ kind: 'fence', fence: 2 });
      else if (b < 0.55) ops.push({ kind: 'fence', fence: 3 });
      if (published < MAX_STORES) {
        published++;
        ops.push({ kind: 'store-ptr', target: rnd() < 0.75 ? 1 - init : init, release: rnd() < 0.6 });
      }
      threads.push(ops);
      continue;
    }
    // A reader: load p, then through it, then accesses after it.
    ops.push({ kind: 'load-ptr', reg: 0, acquire: rnd() < 0.1 });
    const r = rnd();
    if (r < 0.15) ops.push({ kind: 'fence', fence: 1 });
    else if (r < 0.3) {
      // (not a release: the `ptrs-release` mix adds those, keeping these programs as they were)
      const loc = pick(nLocs);
      if (free(loc)) ops.push({ kind: 'store', loc, value: ++stores[loc], release: false });
    }
    ops.push({ kind: 'load-dep', reg: 1, ptr: 0 });
    for (let i = 0, n = pick(3); i < n; i++) {
      const loc = pick(nLocs);
      const k = rnd();
      if (!free(loc)) ops.push({ kind: 'fence', fence: rnd() < 0.5 ? 2 : 3 });
      else if (k < 0.45) ops.push(store(loc));
      else if (k < 0.65) {
        stores[loc]++;
        ops.push({ kind: 'store-reg', loc, reg: 1 });
      } else if (k < 0.85) ops.push({ kind: 'store-if', loc, value: ++stores[loc], reg: 1, unless: pick(2) });
      else ops.push({ kind: 'fence', fence: rnd() < 0.5 ? 2 : 3 });
    }
    threads.push(ops);
  }
  return { seed, locs: ['x', 'y', 'z'].slice(0, nLocs), threads, pointer: init };
}

/**
 * `ptrs-release`: the `ptrs` programs with, in most readers, an own store to a location the
 * pointer may name left outstanding when the load through the pointer is issued: a release store
 * (it waits for the load of p) between the two loads, and sometimes a load of another location
 * after them (which may then run before the load of p). The engine that held the dependent load
 * at its pc while such a store was outstanding missed allowed outcomes here.
 */
function withReleaseBeforeDep(p: Program): Program {
  const rnd = prng(p.seed * 7919 + 3);
  const stores = new Array<number>(p.locs.length).fill(0);
  for (const ops of p.threads) for (const o of ops) if (o.kind === 'store' || o.kind === 'store-reg' || o.kind === 'store-if') stores[o.loc]++;
  const threads = p.threads.map((ops) => {
    const at = ops.findIndex((o) => o.kind === 'load-dep');
    if (at < 0 || rnd() < 0.2) return ops;
    const out = [...ops];
    const before = out[at - 1];
    // x or y: the locations p may point to
    const loc = rnd() < 0.5 ? 0 : 1;
    if (before.kind === 'store') out[at - 1] = { ...before, release: true };
    else if (stores[loc] < MAX_STORES) out.splice(at, 0, { kind: 'store', loc, value: ++stores[loc], release: true });
    if (p.locs.length === 3 && rnd() < 0.5) out.splice(out.findIndex((o) => o.kind === 'load-dep') + 1, 0, { kind: 'load', loc: 2, reg: 2, acquire: false });
    return out;
  });
  return { ...p, threads };
}

/**
 * `ptrs-store`: the `ptrs` programs with, in most readers, a store through the loaded pointer
 * (`WRITE_ONCE(*r0, v)`, sometimes `smp_store_release(r0, v)`: an address dependency into a
 * write), before or after the load through it, and sometimes an access after it to a location
 * the pointer may name (x or y: coherence with the store, should the pointer name it) or to z. The
 * engine refused stores through a loaded pointer before; it must not make one visible before the
 * pointer's load (no speculative stores), and must let what follows go first only where the LKMM does.
 */
function withStoreThroughPointer(p: Program): Program {
  const rnd = prng(p.seed * 6007 + 11);
  const stores = new Array<number>(p.locs.length).fill(0);
  for (const ops of p.threads) for (const o of ops) if (o.kind === 'store' || o.kind === 'store-reg' || o.kind === 'store-if') stores[o.loc]++;
  // A store through the pointer may write x or y: a store site of both.
  const room = () => stores[0] < MAX_STORES && stores[1] < MAX_STORES;
  const threads = p.threads.map((ops) => {
    const at = ops.findIndex((o) => o.kind === 'load-dep');
    if (at < 0 || rnd() < 0.2 || !room()) return ops;
    stores[0]++;
    stores[1]++;
    const out = [...ops];
    const store: Op = { kind: 'store-dep', ptr: 0, value: 4 + stores[0], release: rnd() < 0.25 };
    const where = rnd() < 0.5 ? at : at + 1;
    out.splice(where, 0, store);
    const after = rnd();
    const loc = Math.floor(rnd() * p.locs.length);
    // (a load of a location in place of the load through the pointer: at most 2 loads a thread, MAX_LOADS)
    if (after < 0.35) {
      out.splice(out.indexOf(ops[at]), 1);
      out.splice(out.indexOf(store) + 1, 0, { kind: 'load', loc, reg: 1, acquire: false });
    } else if (after < 0.6 && stores[loc] < MAX_STORES) out.splice(where + 1, 0, { kind: 'store', loc, value: ++stores[loc], release: false });
    return out;
  });
  return { ...p, threads };
}

/**
 * `locks`: relaxed accesses inside and around critical sections (lock.cat: the lock read an
 * acquire, the unlock a release, po-unlock-lock-po between sections): sometimes two sections in
 * one thread with accesses between the unlock and the next lock (what po-unlock-lock-po does not
 * order), and sometimes two spinlocks `s` and `t`, a thread's second section taking the other one
 * (po-unlock-lock-po holds between an unlock and a lock of different locks too).
 */
function generateLocks(seed: number): Program {
  const rnd = prng(seed);
  const pick = (n: number) => Math.floor(rnd() * n);
  const nLocs = rnd() < 0.7 ? 2 : 3;
  const nThreads = rnd() < 0.7 ? 2 : 3;
  const nLocks = rnd() < 0.35 ? 2 : 1;
  const stores = new Array<number>(nLocs).fill(0);
  const threads: Op[][] = [];
  for (let t = 0; t < nThreads; t++) {
    // The first thread always takes a lock; another one half the time, else it observes with
    // barriers (SB, MP or WRC against a critical section).
    const locking = t === 0 || rnd() < 0.5;
    const body: Op[] = [];
    let loads = 0;
    const len = 2 + pick(3);
    // An observer half the time reads two locations in order (an MP reader: smp_rmb(), smp_mb()
    // or an acquire between them), to see the order in which a locking thread's stores propagate.
    if (!locking && rnd() < 0.5) {
      const a = pick(nLocs);
      const b = (a + 1 + pick(nLocs - 1)) % nLocs;
      const how = pick(3);
      body.push({ kind: 'load', loc: a, reg: 0, acquire: how === 2 });
      if (how < 2) body.push({ kind: 'fence', fence: how === 0 ? 1 : 3 });
      body.push({ kind: 'load', loc: b, reg: 1, acquire: false });
      threads.push(body);
      continue;
    }
    for (let i = 0; i < len; i++) {
      const r = rnd();
      const loc = pick(nLocs);
      const loaded = body.flatMap((o) => (o.kind === 'load' ? [o.reg] : []));
      if (r < 0.45 && stores[loc] < MAX_STORES) {
        stores[loc]++;
        if (loaded.length > 0 && rnd() < 0.2) body.push({ kind: 'store-reg', loc, reg: loaded[pick(loaded.length)] });
        else body.push({ kind: 'store', loc, value: stores[loc], release: rnd() < 0.1 });
      } else if (r < (locking ? 0.9 : 0.8) && loads < MAX_LOADS) body.push({ kind: 'load', loc, reg: loads++, acquire: rnd() < 0.1 });
      else body.push({ kind: 'fence', fence: rnd() < 0.5 ? 3 : ((1 + pick(2)) as 1 | 2) });
    }
    // Critical sections [a, b) of the body: one (with accesses before or after it most of the
    // time), or two, often with accesses between the first's unlock and the second's lock.
    const sections: [number, number, number][] = [];
    if (locking && rnd() < 0.6) {
      const a = pick(len);
      sections.push([a, a + 1 + pick(len - a), pick(nLocks)]);
    } else if (locking) {
      const c = [pick(len + 1), pick(len + 1), pick(len + 1), pick(len + 1)].sort((x, y) => x - y);
      // Mostly something between the unlock and the next lock.
      if (c[1] === c[2] && c[2] < len && rnd() < 0.7) {
        c[2]++;
        c[3] = Math.max(c[3], c[2]);
      }
      const first = pick(nLocks);
      // Two locks: the second section takes the other one most of the time.
      const second = nLocks === 2 && rnd() < 0.7 ? 1 - first : first;
      sections.push([c[0], c[1], first], [c[2], c[3], second]);
    }
    const ops: Op[] = [];
    for (let i = 0; i <= len; i++) {
      for (const [a, b, lock] of sections) if (b === i && a < i) ops.push({ kind: 'unlock', lock });
      for (const [a, b, lock] of sections) if (a === i) ops.push({ kind: 'lock', lock }, ...(a === b ? [{ kind: 'unlock', lock } as Op] : []));
      if (i < len) ops.push(body[i]);
    }
    threads.push(ops);
  }
  // Every lock declared is taken (a spinlock nobody takes would be an ordinary variable): if only
  // one of the two is, it is `s`.
  const used = new Set(threads.flat().flatMap((o) => (o.kind === 'lock' ? [o.lock ?? 0] : [])));
  if (used.size === 2) return { seed, locs: ['x', 'y', 'z'].slice(0, nLocs), threads, lock: true, locks: 2 };
  const one = threads.map((ops) => ops.map((o): Op => (o.kind === 'lock' || o.kind === 'unlock' ? { kind: o.kind, lock: 0 } : o)));
  return { seed, locs: ['x', 'y', 'z'].slice(0, nLocs), threads: one, lock: true, locks: 1 };
}

/**
 * `locks-mb`: the `locks` program of the same seed with smp_mb__after_spinlock() after some of its
 * spin_lock() calls (a second generator decides which, so the programs are otherwise the same).
 */
function withMbAfterLocks(p: Program): Program {
  const rnd = prng(p.seed * 7919 + 1);
  const threads = p.threads.map((ops) => ops.flatMap((o): Op[] => (o.kind === 'lock' && rnd() < 0.6 ? [o, { kind: 'mb-after-lock' }] : [o])));
  return { ...p, threads };
}

/**
 * `locks-sil`: the `locks` program of the same seed with `r = spin_is_locked(s)` put somewhere in
 * threads that have a load to spare (a second generator decides), on a lock with at most four
 * lock and unlock sites (the engine keeps at most four older stores of a location).
 */
function withIsLocked(p: Program): Program {
  const rnd = prng(p.seed * 104729 + 3);
  const sites = (l: number) => p.threads.flat().filter((o) => (o.kind === 'lock' || o.kind === 'unlock') && (o.lock ?? 0) === l).length;
  const threads = p.threads.map((ops) => {
    const regs = regsOf(ops);
    const lock = Math.floor(rnd() * (p.locks ?? 1));
    if (regs.length >= MAX_LOADS || sites(lock) > 4 || rnd() < 0.2) return ops;
    // Not after an own unlock of the lock (lock.cat leaves that no execution; the engine refuses it).
    const places = [...Array(ops.length + 1).keys()].filter((at) => {
      const last = ops.slice(0, at).filter((o) => (o.kind === 'lock' || o.kind === 'unlock') && (o.lock ?? 0) === lock);
      return last.length === 0 || last[last.length - 1].kind === 'lock';
    });
    const at = places[Math.floor(rnd() * places.length)];
    const reg = regs.includes(0) ? 1 : 0;
    return [...ops.slice(0, at), { kind: 'is-locked', lock, reg } as Op, ...ops.slice(at)];
  });
  return { ...p, threads };
}

/**
 * `locks-trylock`: the `locks` program of the same seed with `r = spin_trylock()` in threads that
 * have a register to spare (a second generator decides): a critical section taken with it
 * (`if (r) { ... spin_unlock(); }`), a trylock inside a critical section of the same lock (it
 * fails: lock.cat's LF reads the CPU's own lock write), or a probe elsewhere, after an own unlock
 * too (`if (r) spin_unlock();`); sometimes a store when it failed (`if (r != 1)`, a control
 * dependency on the failed trylock's read).
 */
function withTrylocks(p: Program): Program {
  const rnd = prng(p.seed * 15485863 + 5);
  const pick = (n: number) => Math.floor(rnd() * n);
  const stores = p.locs.map((_, l) => p.threads.flat().filter((o) => (o.kind === 'store' || o.kind === 'store-reg' || o.kind === 'store-if') && o.loc === l).length);
  // Lock and unlock sites per lock: at most 8 (more makes the engine's search slow: a trylocking
  // CPU whose view is behind keeps every lock write it may still read).
  const sites = [0, 1].map((l) => p.threads.flat().filter((o) => (o.kind === 'lock' || o.kind === 'unlock') && (o.lock ?? 0) === l).length);
  const threads = p.threads.map((ops) => {
    const regs = regsOf(ops);
    const lock = pick(p.locks ?? 1);
    if (regs.length >= MAX_LOADS || rnd() < 0.2 || sites[lock] + 2 > 8) return ops;
    sites[lock] += 2;
    const reg = regs.includes(0) ? 1 : 0;
    // Each op but the trylock's own takes one of the constant registers k0..k7 (toWorld).
    let room = 8 - ops.filter((o) => o.kind !== 'mb-after-lock' && o.kind !== 'is-locked').length;
    const failStore = (): Op[] => {
      const loc = pick(p.locs.length);
      if (stores[loc] >= MAX_STORES || rnd() < 0.6 || room-- <= 0) return [];
      return [{ kind: 'store-if', loc, value: ++stores[loc], reg, unless: 1 }];
    };
    // Where the CPU holds the lock: inside a critical section of it.
    const held = (at: number) => {
      const last = ops.slice(0, at).filter((o) => (o.kind === 'lock' || o.kind === 'unlock') && (o.lock ?? 0) === lock);
      return last.length > 0 && last[last.length - 1].kind === 'lock';
    };
    const how = rnd();
    const i = ops.findIndex((o) => o.kind === 'lock' && (o.lock ?? 0) === lock);
    if (how < 0.5 && i >= 0) {
      // The section: its lock becomes a trylock, and the section runs if it succeeded.
      const j = i + ops.slice(i).findIndex((o) => o.kind === 'unlock' && (o.lock ?? 0) === lock);
      return [...ops.slice(0, i), { kind: 'trylock', lock, reg }, { kind: 'if-reg', reg }, ...ops.slice(i + 1, j + 1), { kind: 'endif' }, ...failStore(), ...ops.slice(j + 1)] as Op[];
    }
    const places = [...Array(ops.length + 1).keys()];
    const inside = places.filter(held);
    if (how < 0.7 && inside.length > 0) {
      const at = inside[pick(inside.length)];
      return [...ops.slice(0, at), { kind: 'trylock', lock, reg }, ...failStore(), ...ops.slice(at)] as Op[];
    }
    const outside = places.filter((at) => !held(at));
    const at = outside[pick(outside.length)];
    if (room-- <= 0) return ops;
    const probe: Op[] = [{ kind: 'trylock', lock, reg }, { kind: 'if-reg', reg }, { kind: 'unlock', lock }, { kind: 'endif' }];
    return [...ops.slice(0, at), ...probe, ...failStore(), ...ops.slice(at)];
  });
  return { ...p, threads };
}

/**
 * `locks-aul`: the `locks` program of the same seed with smp_mb__after_unlock_lock() after some of
 * its spin_lock() calls, right after or further on (a second generator decides which), and now
 * and then in a thread before any lock of its own (where it orders nothing).
 */
function withMbAfterUnlockLock(p: Program): Program {
  const rnd = prng(p.seed * 32452843 + 7);
  const threads = p.threads.map((ops) => {
    const out: Op[] = [];
    let locked = false;
    let added = 0;
    ops.forEach((o, i) => {
      out.push(o);
      locked ||= o.kind === 'lock';
      const chance = !locked ? 0.05 : o.kind === 'lock' ? 0.5 : 0.2;
      if (added < 2 && i < ops.length - 1 && rnd() < chance) {
        out.push({ kind: 'mb-after-unlock-lock' });
        added++;
      }
    });
    return out;
  });
  return { ...p, threads };
}

/**
 * The odd seeds of `locks-aul`: an unlocker, a locker that takes the lock after it (or before it)
 * with smp_mb__after_unlock_lock() in its critical section, and an observer (SB, R or MP shaped:
 * a store or a load, a barrier, a load), the shape in which the barrier's strong ordering from the
 * unlocker's accesses to the locker's is seen by a third CPU (Z6.0+pooncelock+pooncelock+pombonce).
 */
function generateAul(seed: number): Program {
  const rnd = prng(seed * 49979687 + 11);
  const pick = (n: number) => Math.floor(rnd() * n);
  const nLocs = rnd() < 0.6 ? 2 : 3;
  const stores = new Array<number>(nLocs).fill(0);
  const store = (loc: number): Op => ({ kind: 'store', loc, value: ++stores[loc], release: false });
  const access = (reg: number): Op => (rnd() < 0.65 ? store(pick(nLocs)) : { kind: 'load', loc: pick(nLocs), reg, acquire: false });
  // The unlocker: one or two accesses in its section (a load sometimes before it).
  const p0: Op[] = [];
  if (rnd() < 0.2) p0.push({ kind: 'load', loc: pick(nLocs), reg: 1, acquire: false });
  p0.push({ kind: 'lock', lock: 0 }, access(0));
  if (rnd() < 0.4) p0.push(store(pick(nLocs)));
  p0.push({ kind: 'unlock', lock: 0 });
  // The locker: the barrier right after its lock or after one access; one or two accesses after it.
  const p1: Op[] = [];
  if (rnd() < 0.2) p1.push(store(pick(nLocs)));
  p1.push({ kind: 'lock', lock: 0 });
  if (rnd() < 0.3) p1.push(access(1));
  p1.push({ kind: 'mb-after-unlock-lock' }, access(0));
  if (rnd() < 0.3) p1.push(store(pick(nLocs)));
  p1.push({ kind: 'unlock', lock: 0 });
  // The observer.
  const a = pick(nLocs);
  const b = (a + 1 + pick(nLocs - 1)) % nLocs;
  const how = pick(3);
  const p2: Op[] =
    how === 0
      ? [store(a), { kind: 'fence', fence: 3 }, { kind: 'load', loc: b, reg: 0, acquire: false }]
      : how === 1
        ? [{ kind: 'load', loc: a, reg: 0, acquire: false }, { kind: 'fence', fence: rnd() < 0.5 ? 1 : 3 }, { kind: 'load', loc: b, reg: 1, acquire: false }]
        : [{ kind: 'load', loc: a, reg: 0, acquire: false }, { kind: 'fence', fence: 3 }, store(b)];
  // No location with more store sites than the engine keeps (MAX_STORES): drop the extra stores.
  const seen = new Array<number>(nLocs).fill(0);
  const keep = (ops: Op[]) => ops.filter((o) => o.kind !== 'store' || ++seen[o.loc] <= MAX_STORES);
  return { seed, locs: ['x', 'y', 'z'].slice(0, nLocs), threads: [keep(p0), keep(p1), keep(p2)], lock: true, locks: 1 };
}

/**
 * `release`: a release store left outstanding (after a load, or a store of a loaded value, it must
 * wait for) with loads after it in program order that run first and see a writer's store, whose
 * values go on (stored, to a location a feeder reads and stores back into what the releaser's
 * first load reads: so that load, and with it the release, comes after them); an observer reads
 * the release (smp_load_acquire, or READ_ONCE and smp_rmb) and then what those later loads read.
 * po-rel carries only what precedes the release: the engine that made it carry what its CPU had
 * seen when it ran missed allowed outcomes here.
 */
function generateRelease(seed: number): Program {
  const rnd = prng(seed * 2654435761 + 7);
  const pick = (n: number) => Math.floor(rnd() * n);
  const nLocs = rnd() < 0.75 ? 4 : 3;
  const stores = new Array<number>(nLocs).fill(0);
  const store = (loc: number, release = false): Op => ({ kind: 'store', loc, value: ++stores[loc], release });
  // Roles: A the releaser's first load, R the release, B what later loads read, C the feedback (A with three locations).
  const order = [0, 1, 2, 3].slice(0, nLocs);
  for (let i = nLocs - 1; i > 0; i--) {
    const j = pick(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const [A, R, B] = order;
  const C = nLocs === 4 ? order[3] : A;
  const p0: Op[] = [];
  if (rnd() < 0.25) p0.push(store(pick(nLocs)));
  p0.push({ kind: 'load', loc: A, reg: 0, acquire: false });
  if (rnd() < 0.2) {
    stores[nLocs === 4 ? C : B]++;
    p0.push({ kind: 'store-reg', loc: nLocs === 4 ? C : B, reg: 0 });
  }
  p0.push(store(R, true));
  if (rnd() < 0.15) p0.push(store(pick(nLocs), true));
  p0.push({ kind: 'load', loc: rnd() < 0.8 ? B : pick(nLocs), reg: 1, acquire: false });
  const after = rnd();
  if (after < 0.6 && C !== A) {
    stores[C]++;
    p0.push({ kind: 'store-reg', loc: C, reg: 1 });
  } else if (after < 0.8) p0.push(store(pick(nLocs)));
  else if (after < 0.9) p0.push({ kind: 'fence', fence: (1 + pick(3)) as 1 | 2 | 3 });
  // The observer.
  const p1: Op[] = [];
  if (rnd() < 0.75) p1.push({ kind: 'load', loc: R, reg: 0, acquire: true });
  else p1.push({ kind: 'load', loc: R, reg: 0, acquire: false }, { kind: 'fence', fence: rnd() < 0.7 ? 1 : 3 });
  p1.push({ kind: 'load', loc: rnd() < 0.8 ? B : pick(nLocs), reg: 1, acquire: false });
  // The writer of B, and the feeder (the same thread sometimes).
  const p2: Op[] = [store(B)];
  if (rnd() < 0.2) p2.push({ kind: 'fence', fence: 2 }, store(pick(nLocs)));
  const feeder: Op[] = [{ kind: 'load', loc: C === A ? B : C, reg: 0, acquire: false }];
  if (rnd() < 0.8) {
    stores[A]++;
    feeder.push({ kind: 'store-reg', loc: A, reg: 0 });
  } else feeder.push(store(A));
  const threads = rnd() < 0.5 ? [p0, p1, [...p2, ...feeder]] : [p0, p1, p2, feeder];
  // No location with more store sites than the engine keeps (MAX_STORES): drop the extra plain stores.
  const seen = new Array<number>(nLocs).fill(0);
  const keep = (ops: Op[]) => ops.filter((o) => (o.kind !== 'store' && o.kind !== 'store-reg') || ++seen[o.loc] <= MAX_STORES);
  return { seed, locs: ['x', 'y', 'z', 'a'].slice(0, nLocs), threads: threads.map(keep) };
}

/** The spinlocks of a program, by name: `s`, then `t`. */
const lockNames = (p: Program) => (p.lock ? ['s', 't'].slice(0, p.locks ?? 1) : []);

const regsOf = (ops: readonly Op[]) =>
  [
    ...new Set(
      ops.flatMap((o) =>
        o.kind === 'load' || o.kind === 'is-locked' || o.kind === 'load-ptr' || o.kind === 'load-dep' || o.kind === 'trylock' || (o.kind === 'rmw' && o.reg >= 0)
          ? [o.reg]
          : o.kind === 'load-if'
            ? [o.dst]
            : [],
      ),
    ),
  ].sort();

/** The program as a C litmus test of tools/memory-model; every location and register observed. */
export function toLitmus(p: Program): string {
  const locks = lockNames(p);
  const ptr = p.pointer === undefined ? [] : [`\tint *p=${p.locs[p.pointer]};`];
  const out = [`C engine-${p.seed}`, '', '{', ...ptr, ...p.locs.map((l) => `\tint ${l};`), ...locks.map((l) => `\tspinlock_t ${l};`), '}', ''];
  const params = [...p.locs.map((l) => `int *${l}`), ...locks.map((l) => `spinlock_t *${l}`), ...(ptr.length ? ['int **p'] : [])].join(', ');
  p.threads.forEach((ops, t) => {
    out.push(`P${t}(${params})`, '{');
    const pointers = new Set(ops.flatMap((o) => (o.kind === 'load-ptr' ? [o.reg] : [])));
    for (const r of regsOf(ops)) out.push(`\tint ${pointers.has(r) ? '*' : ''}r${r};`);
    for (const o of ops) {
      if (o.kind === 'load-ptr') {
        out.push(o.acquire ? `\tr${o.reg} = smp_load_acquire(p);` : `\tr${o.reg} = rcu_dereference(*p);`);
        continue;
      }
      if (o.kind === 'load-dep') {
        out.push(`\tr${o.reg} = READ_ONCE(*r${o.ptr});`);
        continue;
      }
      if (o.kind === 'store-dep') {
        out.push(o.release ? `\tsmp_store_release(r${o.ptr}, ${o.value});` : `\tWRITE_ONCE(*r${o.ptr}, ${o.value});`);
        continue;
      }
      if (o.kind === 'store-ptr') {
        out.push(o.release ? `\trcu_assign_pointer(*p, ${p.locs[o.target]});` : `\tWRITE_ONCE(*p, ${p.locs[o.target]});`);
        continue;
      }
      if (o.kind === 'lock' || o.kind === 'unlock') {
        out.push(`\tspin_${o.kind}(${locks[o.lock ?? 0]});`);
        continue;
      }
      if (o.kind === 'mb-after-lock') {
        out.push('\tsmp_mb__after_spinlock();');
        continue;
      }
      if (o.kind === 'mb-after-unlock-lock') {
        out.push('\tsmp_mb__after_unlock_lock();');
        continue;
      }
      if (o.kind === 'is-locked') {
        out.push(`\tr${o.reg} = spin_is_locked(${locks[o.lock]});`);
        continue;
      }
      if (o.kind === 'rmw') {
        const x = p.locs[o.loc];
        const call =
          o.fn === 'xchg'
            ? `xchg${o.order}(${x}, ${o.value})`
            : o.fn === 'cmpxchg'
              ? `cmpxchg${o.order}(${x}, ${o.expected}, ${o.value})`
              : o.fn === 'inc' || o.fn === 'dec_and_test'
                ? `atomic_${o.fn}(${x})`
                : o.fn === 'add_return'
                  ? `atomic_add_return${o.order}(${o.value}, ${x})`
                  : `atomic_${o.fn}${o.order}(${o.value}, ${x})`;
        out.push(o.reg >= 0 ? `\tr${o.reg} = ${call};` : `\t${call};`);
        continue;
      }
      if (o.kind === 'rcu-lock' || o.kind === 'rcu-unlock' || o.kind === 'sync-rcu') {
        out.push(o.kind === 'rcu-lock' ? '\trcu_read_lock();' : o.kind === 'rcu-unlock' ? '\trcu_read_unlock();' : '\tsynchronize_rcu();');
        continue;
      }
      if (o.kind === 'atomic-fence') {
        out.push(o.after ? '\tsmp_mb__after_atomic();' : '\tsmp_mb__before_atomic();');
        continue;
      }
      if (o.kind === 'trylock' || o.kind === 'if-reg' || o.kind === 'endif') {
        out.push(o.kind === 'trylock' ? `\tr${o.reg} = spin_trylock(${locks[o.lock]});` : o.kind === 'if-reg' ? `\tif (r${o.reg}) {` : '\t}');
        continue;
      }
      const x = p.locs[o.kind === 'fence' ? 0 : o.loc];
      if (o.kind === 'store') out.push(o.release ? `\tsmp_store_release(${x}, ${o.value});` : `\tWRITE_ONCE(*${x}, ${o.value});`);
      else if (o.kind === 'store-reg') out.push(`\tWRITE_ONCE(*${x}, r${o.reg});`);
      else if (o.kind === 'store-if') out.push(`\tif (r${o.reg} != ${o.unless}) {`, `\t\tWRITE_ONCE(*${x}, ${o.value});`, '\t}');
      else if (o.kind === 'load') out.push(o.acquire ? `\tr${o.reg} = smp_load_acquire(${x});` : `\tr${o.reg} = READ_ONCE(*${x});`);
      else if (o.kind === 'load-if') out.push(`\tif (r${o.reg} != ${o.unless}) {`, `\t\tr${o.dst} = READ_ONCE(*${x});`, '\t}');
      else if (o.kind === 'store-if2') out.push(`\tif (r${o.reg} != r${o.reg2}) {`, `\t\tWRITE_ONCE(*${x}, ${o.value});`, '\t}');
      else if (o.kind === 'store-if-if')
        out.push(`\tif (r${o.reg} != ${o.unless}) {`, `\t\tif (r${o.reg} != ${o.unless2}) {`, `\t\t\tWRITE_ONCE(*${x}, ${o.value});`, '\t\t}', '\t}');
      else out.push(`\t${FENCES[o.fence]}();`);
    }
    out.push('}', '');
  });
  const places = [...p.threads.flatMap((ops, t) => regsOf(ops).map((r) => `${t}:r${r}`)), ...p.locs, ...ptr.map(() => 'p')];
  out.push(`locations [${places.join('; ')}]`, `exists (${p.locs[0]}=0)`, '');
  return out.join('\n');
}

/** The recorded results (`t:rN`) of a program, in the order the world records them. */
export function resultsOf(p: Program): string[] {
  return p.threads.flatMap((ops, t) => regsOf(ops).map((r) => `${t}:r${r}`));
}

/** The program as an engine world under one memory model. */
export function toWorld(p: Program, memoryModel: World['memoryModel']): World {
  // Pointers: through litmusEngineWorld (the lowering of pointer tests is part of what is held to the LKMM).
  if (p.pointer !== undefined || p.rmw || p.rcu) return litmusEngineWorld(parseLitmus(toLitmus(p)), {}, memoryModel);
  const results = resultsOf(p);
  const paths = p.threads.map((ops, t) => {
    const name = `P${t}`;
    const regs = { r0: 'int', r1: 'int', k0: 'int', k1: 'int', k2: 'int', k3: 'int', k4: 'int', k5: 'int', k6: 'int', k7: 'int' } as const;
    const k = new KernelPath(name, `generated ${p.seed}`, regs).at(`engine-${p.seed}.litmus`, name, 'LKMM');
    ops.forEach((o, i) => {
      const label = `${name}.${i}`;
      const next = i + 1 < ops.length ? `${name}.${i + 1}` : `${name}.end`;
      // The constant's register: by the op's place among the others (k0..k7; the barriers added by `locks-mb` take none).
      const ki = `k${i - ops.slice(0, i).filter((x) => x.kind === 'mb-after-lock' || x.kind === 'is-locked' || x.kind === 'trylock' || x.kind === 'if-reg' || x.kind === 'endif' || x.kind === 'mb-after-unlock-lock').length}`;
      if (o.kind === 'lock') k.spin_lock(label, p.locs.length + (o.lock ?? 0));
      else if (o.kind === 'mb-after-lock') k.smp_mb__after_spinlock(label);
      else if (o.kind === 'mb-after-unlock-lock') k.smp_mb__after_unlock_lock(label);
      else if (o.kind === 'is-locked') k.READ_ONCE(label, `r${o.reg}`, p.locs.length + o.lock);
      else if (o.kind === 'trylock') k.spin_trylock(label, `r${o.reg}`, p.locs.length + o.lock);
      else if (o.kind === 'if-reg') {
        // if (rN) { ... }: to the matching endif when rN == 0.
        let depth = 0;
        const j = ops.findIndex((x, at) => at > i && (x.kind === 'if-reg' ? (depth++, false) : x.kind === 'endif' && depth-- === 0));
        k.beq(`r${o.reg}`, 0, `${name}.${j}`, label);
      } else if (o.kind === 'endif') k.nop(label);
      else if (o.kind === 'unlock') {
        k.mov(ki, 0, label);
        k.spin_unlock(`${label}.u`, p.locs.length + (o.lock ?? 0), ki);
      } else if (o.kind === 'store') {
        // The label goes on the first instruction: a branch over an earlier store lands here.
        // One register per constant: an outstanding store holds on to its register.
        k.mov(ki, o.value, label);
        if (o.release) k.smp_store_release(`${label}.w`, o.loc, ki);
        else k.WRITE_ONCE(`${label}.w`, o.loc, ki);
      } else if (o.kind === 'store-reg') k.WRITE_ONCE(label, o.loc, `r${o.reg}`);
      else if (o.kind === 'store-if') {
        // if (rN != unless) WRITE_ONCE(...): skip the store when equal.
        k.beq(`r${o.reg}`, o.unless, next, label);
        k.mov(ki, o.value);
        k.WRITE_ONCE(`${label}.store`, o.loc, ki);
      } else if (o.kind === 'load-if') {
        // if (rN != unless) rM = READ_ONCE(...): skip the load when equal.
        k.beq(`r${o.reg}`, o.unless, next, label);
        k.READ_ONCE(`${label}.load`, `r${o.dst}`, o.loc);
      } else if (o.kind === 'store-if2') {
        // if (rA != rB) WRITE_ONCE(...): skip the store when equal.
        k.bsame(`r${o.reg}`, `r${o.reg2}`, next, label);
        k.mov(`k${i}`, o.value);
        k.WRITE_ONCE(`${label}.store`, o.loc, `k${i}`);
      } else if (o.kind === 'store-if-if') {
        k.beq(`r${o.reg}`, o.unless, next, label);
        k.beq(`r${o.reg}`, o.unless2, next);
        k.mov(`k${i}`, o.value);
        k.WRITE_ONCE(`${label}.store`, o.loc, `k${i}`);
      } else if (o.kind === 'load') {
        if (o.acquire) k.smp_load_acquire(label, `r${o.reg}`, o.loc);
        else k.READ_ONCE(label, `r${o.reg}`, o.loc);
      } else if (o.kind !== 'fence') throw new Error(`${o.kind}: pointer programs are lowered by litmusEngineWorld`);
      else if (o.fence === 1) k.smp_rmb(label);
      else if (o.fence === 2) k.smp_wmb(label);
      else k.smp_mb(label);
    });
    const observed = regsOf(ops);
    if (observed.length === 0) k.nop(`${name}.end`);
    observed.forEach((r, j) => k.observe(j === 0 ? `${name}.end` : `${name}.end${j}`, results.indexOf(`${t}:r${r}`), `r${r}`));
    return k.build();
  });
  return litmusWorldOf(`engine-${p.seed}`, memoryModel, paths, { vars: [...p.locs, ...lockNames(p)], results, exists: [] }, []);
}

/** Every final outcome the engine's exhaustive search reaches, as `place=value` lists (sorted). */
export function engineOutcomes(world: World): { outcomes: Set<string>; states: number; boundsMet: readonly ModelBoundMet[]; cut: number } {
  const m = new Machine(world);
  const L = m.layout;
  const lit = world.litmus!;
  const seen = new Set<string>();
  const outcomes = new Set<string>();
  let cut = 0;
  const stack = [m.initialState()];
  while (stack.length > 0) {
    const s = stack.pop()!;
    let any = false;
    for (let t = 0; t < m.threadCount; t++) {
      if (!m.isRunnable(s, t)) continue;
      any = true;
      for (let c = 0, n = m.choiceCount(s, t); c < n; c++) {
        const next = s.slice();
        if (!m.step(next, t, c)) throw new Error(`seed ${world.scenario}: ${m.violation?.message}`);
        const key = next.join(',');
        if (seen.has(key)) continue;
        seen.add(key);
        stack.push(next);
      }
    }
    if (any) continue;
    // A load speculated past a branch that no store satisfied: a squashed path, no execution.
    if (m.infeasible(s)) continue;
    const end = m.endState(s);
    // A path the engine cut short at one of its bounds has no outcome (boundsMet says which).
    if (end.outcome === 'model-bound') {
      cut++;
      continue;
    }
    if (end.outcome !== 'completed') throw new Error(`${world.scenario}: ${end.outcome}: ${end.violation?.message}`);
    // a pointer as the location's name, as herd7 prints it
    const show = (v: number) => (litmusPointee(v, lit.vars.length) < 0 ? String(v) : lit.vars[litmusPointee(v, lit.vars.length)]);
    const values = [...lit.results.map((r, i) => `${r}=${show(s[L.results + i])}`), ...lit.vars.flatMap((v, i) => (L.lockVar[i] === 1 ? [] : [`${v}=${show(s[L.vars + i])}`]))];
    outcomes.add(values.sort().join(' '));
  }
  return { outcomes, states: seen.size, boundsMet: m.boundsMet, cut };
}

/** The LKMM's allowed outcomes of a test (this library's axiomatic checker), in the engine's `place=value` form. */
/**
 * A test's final states under the LKMM (this library's checker) and the engine's on `world`, each
 * over the places the checker lists, as sorted `place=value` lists; with the Observation and the
 * bounds and orderings the engine met.
 */
export function finalStatesBoth(test: LitmusTest, world: World): { observation: string; want: Set<string>; got: Set<string>; boundsMet: readonly ModelBoundMet[] } {
  const r = checkLitmus(test);
  const places = Object.keys(r.states[0]?.values ?? {});
  const want = new Set(r.states.map((st) => places.map((p) => `${p}=${st.values[p]}`).sort().join(' ')));
  const run = engineOutcomes(world);
  const over = (o: string) =>
    o
      .split(' ')
      .filter((kv) => places.includes(kv.slice(0, kv.indexOf('='))))
      .sort()
      .join(' ');
  return { observation: r.observation, want, got: new Set([...run.outcomes].map(over)), boundsMet: run.boundsMet };
}

/** What litmusEngineWorld says refusing `test` (its construct and line), or 'not refused'. */
export function refusalOf(test: LitmusTest): string {
  try {
    litmusEngineWorld(test, {});
  } catch (e) {
    if (e instanceof UnsupportedConstructError) return e.message;
    throw e;
  }
  return 'not refused';
}

export function lkmmOutcomes(text: string): Set<string> {
  const r = checkLitmus(parseLitmus(text));
  return new Set(r.states.map((st) => Object.entries(st.values).map(([k, v]) => `${k}=${v}`).sort().join(' ')));
}
