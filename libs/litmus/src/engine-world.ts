import { KernelPath, MAX_REGS, type MemoryModelName, type World } from '@mmreplay/model';
import type { Expr, LitmusTest, Stmt } from './ast.js';
import { UnsupportedConstructError } from './errors.js';

// A litmus test as an engine world, for tests within the engine's relaxed-memory instruction set
// (READ_ONCE, WRITE_ONCE, smp_load_acquire, smp_store_release, smp_rmb/smp_wmb/smp_mb, spin_lock,
// spin_unlock, spin_trylock, smp_mb__after_unlock_lock, registers, constants, `if (r == c)` / `if (r != c)` and the same between two
// registers): so that a witness execution the LKMM allows can be
// found by the engine and recorded as a run, where time travel shows which store had not reached
// which CPU. Everything else is refused by name and line.

const FENCE = { smp_rmb: 1, smp_wmb: 2, smp_mb: 3 } as const;

/** The registers a process declares or assigns, in order of appearance. */
function registersOf(body: readonly Stmt[], out: string[] = []): string[] {
  for (const st of body) {
    if (st.k === 'decl' && !out.includes(st.name)) out.push(st.name);
    if (st.k === 'assign' && st.target.k === 'name' && !out.includes(st.target.name)) out.push(st.target.name);
    if (st.k === 'if') {
      registersOf(st.then, out);
      registersOf(st.else, out);
    }
  }
  return out;
}

/**
 * The test as a world under `memoryModel`: one thread per process, every register recorded as a
 * litmus result (`0:r0`), every location a litmus variable; `exists` is the final state given
 * (the witness's: its registers and locations), so that the weak-outcome invariant finds it.
 */
export function litmusEngineWorld(test: LitmusTest, finalState: Readonly<Record<string, string>>, memoryModel: MemoryModelName = 'lkmm'): World {
  const refuse = (what: string, line: number): never => {
    throw new UnsupportedConstructError(
      what,
      line,
      "a witness is recorded as a run only for tests in the engine's instruction set (READ_ONCE, WRITE_ONCE, smp_load_acquire, smp_store_release, smp_rmb, smp_wmb, smp_mb, spin_lock, spin_unlock, spin_trylock, smp_mb__after_unlock_lock, registers, constants, if (r == c) / if (r != c) / if (r == r2) / if (r != r2))",
    );
  };
  const vars: string[] = [];
  for (const e of test.init) {
    if (e.place.thread !== undefined) refuse(`an initial register value (${e.place.thread}:${e.place.name})`, 0);
    if (e.value !== undefined && e.value !== 0) refuse(`an initial value other than 0 (${e.place.name})`, 0);
    if (e.type !== undefined && !/^(int|atomic_t|spinlock_t)$/.test(e.type.trim())) refuse(`a location of type ${e.type} (${e.place.name})`, 0);
    if (!vars.includes(e.place.name)) vars.push(e.place.name);
  }
  for (const p of test.processes) for (const prm of p.params) if (!vars.includes(prm.name)) vars.push(prm.name);
  const results: string[] = [];
  const paths = test.processes.map((p) => {
    const regs = registersOf(p.body);
    const decl: Record<string, 'int'> = {};
    for (const r of regs) decl[r] = 'int';
    // One register per stored constant (an outstanding store holds on to its register).
    const room = MAX_REGS - regs.length;
    for (let i = 0; i < room; i++) decl[`c${i}`] = 'int';
    let constants = 0;
    let labels = 0;
    // smp_mb__after_spinlock(): what the last statement was, and whether a spin_lock came before.
    let afterLock = false;
    let locked = false;
    // spin_is_locked(): the locks whose last spin_lock/spin_unlock in this process was an unlock.
    const unlocked = new Set<number>();
    // The registers spin_trylock() writes, and those loads write.
    const tried = new Set<string>();
    const loaded = new Set<string>();
    const name = `P${p.id}`;
    const k = new KernelPath(name, `${test.name} P${p.id}`, decl).at(`${test.name}.litmus`, name, 'LKMM');
    const label = () => `${name}.${labels++}`;
    const location = (e: Expr): number => {
      // `*x` (READ_ONCE, WRITE_ONCE) or `x` (the acquire/release forms take the pointer)
      const target = e.k === 'deref' ? e.e : e;
      if (target.k !== 'name' || !vars.includes(target.name)) return refuse('an access to something other than a shared location', e.line);
      return vars.indexOf(target.name);
    };
    /** A register holding the value of `e`: a register itself, or a constant moved into a fresh one. */
    const operand = (e: Expr): string => {
      if (e.k === 'name' && regs.includes(e.name)) return e.name;
      if (e.k === 'num') {
        if (constants >= room) refuse(`more than ${MAX_REGS} registers and stored constants in one process`, e.line);
        const c = `c${constants++}`;
        k.mov(c, e.v, label());
        return c;
      }
      return refuse('a stored value that is not a register or a constant', e.line);
    };
    const load = (reg: string, e: Expr) => {
      if (e.k === 'call' && e.name === 'spin_trylock' && e.args.length === 1) {
        // include/linux/spinlock.h spin_trylock() (v6.6; queued_spin_trylock() in
        // include/asm-generic/qspinlock.h): lock.cat's LKR + LKW on success (as spin_lock), an LF
        // read of a lock write on failure. The engine tells a failed trylock's outstanding read by
        // its register, so no other load may write that register.
        if (loaded.has(reg)) refuse(`spin_trylock() into ${reg}, which a load also writes (the engine keeps them apart)`, e.line);
        tried.add(reg);
        // A lock taken (maybe): smp_mb__after_spinlock() after it is refused; spin_is_locked() after
        // an own unlock stays refused.
        locked = true;
        k.spin_trylock(label(), reg, location(e.args[0]));
        return;
      }
      if (tried.has(reg)) refuse(`a load into ${reg}, which spin_trylock() also writes (the engine keeps them apart)`, e.line);
      loaded.add(reg);
      if (e.k === 'call' && e.name === 'spin_is_locked' && e.args.length === 1) {
        // include/asm-generic/qspinlock.h queued_spin_is_locked() (v6.6): atomic_read(&lock->val), a
        // plain read of the lock word; lock.cat: RL/RU read events with no ordering that read a lock
        // write (1) or an unlock or the initial value (0). The engine's lock word holds exactly those.
        // After an own unlock (and no own lock since) lock.cat leaves it no execution in herd7: it
        // gets both the unlock (rfi-ru) and an external source (rfe-ru: every RU gets one), which
        // coherence cannot both allow. The engine would read the unlock: refused.
        if (unlocked.has(location(e.args[0])))
          refuse('spin_is_locked() after a spin_unlock() of the same lock in the same process (lock.cat gives it no execution)', e.line);
        k.READ_ONCE(label(), reg, location(e.args[0]));
        return;
      }
      if (e.k !== 'call' || (e.name !== 'READ_ONCE' && e.name !== 'smp_load_acquire') || e.args.length !== 1)
        return refuse('an assignment other than r = READ_ONCE(*x) or r = smp_load_acquire(x)', e.line);
      if (e.name === 'READ_ONCE') k.READ_ONCE(label(), reg, location(e.args[0]));
      else k.smp_load_acquire(label(), reg, location(e.args[0]));
    };
    const stmts = (body: readonly Stmt[]): void => {
      for (const st of body) {
        const lockStmt = st.k === 'expr' && st.e.k === 'call' && st.e.name === 'spin_lock';
        if (st.k === 'if') afterLock = false;
        if (st.k === 'decl') {
          if (st.init) load(st.name, st.init);
        } else if (st.k === 'assign') {
          if (st.target.k !== 'name' || !regs.includes(st.target.name)) refuse('an assignment through a pointer', st.line);
          load((st.target as { name: string }).name, st.value);
        } else if (st.k === 'expr') {
          const e = st.e;
          if (e.k !== 'call') refuse('an expression statement that is not a call', st.line);
          const call = e as Extract<Expr, { k: 'call' }>;
          if (call.name in FENCE && call.args.length === 0) {
            const f = FENCE[call.name as keyof typeof FENCE];
            if (f === 1) k.smp_rmb(label());
            else if (f === 2) k.smp_wmb(label());
            else k.smp_mb(label());
          } else if (call.name === 'smp_mb__after_spinlock' && call.args.length === 0) {
            // linux-kernel.cat `mb`: [M] ; po? ; [LKW] ; fencerel(After-spinlock) ; [M]. Right after
            // spin_lock that is smp_mb(); with no spin_lock before it orders nothing; elsewhere it
            // would not order the accesses between the lock and it, which a full barrier does.
            if (afterLock) k.smp_mb__after_spinlock(label());
            else if (locked) refuse('smp_mb__after_spinlock() other than right after spin_lock() (the engine has it only as a full barrier there)', st.line);
          } else if (call.name === 'smp_mb__after_unlock_lock' && call.args.length === 0) {
            // linux-kernel.cat `mb`: [M] ; po-unlock-lock-po ; [After-unlock-lock] ; po ; [M]: what
            // preceded the unlocks this process's earlier lock reads followed (or its own earlier
            // unlocks) is strongly ordered before what follows (include/linux/rcupdate.h, v6.6).
            k.smp_mb__after_unlock_lock(label());
          } else if (call.name === 'spin_lock' && call.args.length === 1) {
            unlocked.delete(location(call.args[0]));
            k.spin_lock(label(), location(call.args[0]));
          } else if (call.name === 'spin_unlock' && call.args.length === 1) {
            unlocked.add(location(call.args[0]));
            k.spin_unlock(label(), location(call.args[0]), operand({ k: 'num', v: 0, line: st.line }));
          } else if ((call.name === 'WRITE_ONCE' || call.name === 'smp_store_release') && call.args.length === 2) {
            const loc = location(call.args[0]);
            const value = operand(call.args[1]);
            if (call.name === 'WRITE_ONCE') k.WRITE_ONCE(label(), loc, value);
            else k.smp_store_release(label(), loc, value);
          } else refuse(`${call.name}()`, st.line);
        } else {
          // `if (r)` is `if (r != 0)`
          const c: Expr =
            st.cond.k === 'name' && regs.includes(st.cond.name)
              ? { k: 'binary', op: '!=', l: st.cond, r: { k: 'num', v: 0, line: st.line }, line: st.line }
              : st.cond;
          const isReg = (e: Expr) => e.k === 'name' && regs.includes(e.name);
          const ok = c.k === 'binary' && (c.op === '==' || c.op === '!=') && isReg(c.l) && (c.r.k === 'num' || isReg(c.r));
          if (!ok) refuse('a condition other than r == c, r != c, r == r2 or r != r2', st.line);
          const cond = c as Extract<Expr, { k: 'binary' }>;
          const reg = (cond.l as { name: string }).name;
          const elseLabel = `${name}.else${labels}`;
          const thenLabel = `${name}.then${labels}`;
          const endLabel = `${name}.endif${labels++}`;
          // Branch to the else part when the condition is false.
          if (cond.r.k === 'name') {
            // two registers: bsame jumps when they are equal
            if (cond.op === '!=') k.bsame(reg, cond.r.name, elseLabel, label());
            else {
              k.bsame(reg, cond.r.name, thenLabel, label());
              k.goto(elseLabel, label());
            }
          } else if (cond.op === '==') k.bne(reg, (cond.r as { v: number }).v, elseLabel, label());
          else k.beq(reg, (cond.r as { v: number }).v, elseLabel, label());
          k.nop(thenLabel);
          stmts(st.then);
          k.goto(endLabel, label());
          k.nop(elseLabel);
          stmts(st.else);
          k.nop(endLabel);
        }
        afterLock = lockStmt;
        locked ||= lockStmt;
      }
    };
    stmts(p.body);
    k.nop(`${name}.end`);
    for (const r of regs) {
      results.push(`${p.id}:${r}`);
      k.observe(`${name}.observe.${r}`, results.length - 1, r);
    }
    return k.build();
  });
  const exists = Object.entries(finalState).map(([place, value]) => {
    const n = Number(value);
    if (!Number.isSafeInteger(n)) refuse(`a final value that is not an integer (${place}=${value})`, 0);
    if (!results.includes(place) && !vars.includes(place)) refuse(`a condition on ${place}`, 0);
    return { name: place, value: n };
  });
  return litmusWorldOf(`litmus:${test.name}`, memoryModel, paths, { vars, results, exists }, ['weak-outcome']);
}

/** A world of threads over litmus variables alone: one path per thread, no pages, PTEs or PTLs. */
export function litmusWorldOf(
  scenario: string,
  memoryModel: MemoryModelName,
  paths: readonly World['paths'][string][],
  litmus: NonNullable<World['litmus']>,
  invariants: string[],
): World {
  return {
    scenario,
    params: {},
    memoryModel,
    rmapOrder: 'fixed',
    pages: [],
    vmas: [],
    ptes: [],
    ptls: [],
    threads: paths.map((path) => ({ name: path.name, path: path.name, args: {} })),
    paths: Object.fromEntries(paths.map((path) => [path.name, path])),
    invariants,
    symmetry: [],
    litmus,
  };
}
