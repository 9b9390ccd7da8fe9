import { KernelPath, LITMUS_POINTER, MAX_REGS, RmwKind, RmwOrdering, litmusPointer, type MemoryModelName, type World } from '@mmreplay/model';
import type { Expr, LitmusTest, Stmt } from './ast.js';
import { UnsupportedConstructError } from './errors.js';
import { PRIMITIVES, type Primitive, type RmwOrder } from './primitives.js';

// A litmus test as an engine world, for tests within the engine's relaxed-memory instruction set
// (READ_ONCE, WRITE_ONCE, smp_load_acquire, smp_store_release, smp_rmb/smp_wmb/smp_mb, spin_lock,
// spin_unlock, spin_trylock, smp_mb__after_unlock_lock, registers, constants, `if (r == c)` /
// `if (r != c)` and the same between two registers, pointers: `int *p = x;`, a location's address
// stored and compared, `READ_ONCE(*r0)` and `WRITE_ONCE(*r0, v)` through a loaded pointer, plain
// `*x` accesses): so that a witness execution the LKMM allows can be found by the engine and
// recorded as a run, where time travel shows which store had not reached
// which CPU. Everything else is refused by name and line.

const FENCE = { smp_rmb: 1, smp_wmb: 2, smp_mb: 3 } as const;
/** The loads a register may be assigned from: READ_ONCE() (linux-kernel.def: rcu_dereference() and atomic_read() are the same) or an acquire. */
const LOADS = ['READ_ONCE', 'rcu_dereference', 'smp_load_acquire', 'atomic_read', 'atomic_read_acquire'];
/** The stores a statement may be: WRITE_ONCE() (atomic_set(), smp_store_mb() with an smp_mb() after) or a release. */
const STORES = ['WRITE_ONCE', 'smp_store_release', 'rcu_assign_pointer', 'atomic_set', 'atomic_set_release', 'smp_store_mb'];

/** The engine's ordering of each RMW suffix (atomic_inc() and the other non-returning ones are relaxed). */
const RMW_ORDERING: Readonly<Record<RmwOrder, number>> = {
  mb: RmwOrdering.mb,
  once: RmwOrdering.relaxed,
  noreturn: RmwOrdering.relaxed,
  acquire: RmwOrdering.acquire,
  release: RmwOrdering.release,
};

type RmwPrimitive = Extract<Primitive, { op: 'xchg' | 'cmpxchg' | 'atomic' }>;

/** The read-modify-write primitive `e` calls (xchg(), cmpxchg(), the atomic_*() families), if it calls one. */
function rmwOf(e: Expr | undefined): RmwPrimitive | undefined {
  if (e?.k !== 'call') return undefined;
  const prim = PRIMITIVES.get(e.name);
  return prim && (prim.op === 'xchg' || prim.op === 'cmpxchg' || prim.op === 'atomic') && e.args.length === prim.arity ? prim : undefined;
}

/** The call statement `st` makes: a call on its own, or one whose value goes to a register. */
function callOf(st: Stmt | undefined): Extract<Expr, { k: 'call' }> | undefined {
  const e = st?.k === 'expr' ? st.e : st?.k === 'assign' && st.target.k === 'name' ? st.value : st?.k === 'decl' ? st.init : undefined;
  return e?.k === 'call' ? e : undefined;
}

/** Whether `test` holds for a statement of `body`, those in its ifs included. */
function anyStatement(body: readonly Stmt[], test: (st: Stmt) => boolean): boolean {
  return body.some((st) => test(st) || (st.k === 'if' && (anyStatement(st.then, test) || anyStatement(st.else, test))));
}

/** Whether statement `st` is a read-modify-write: a call of one, or one's value assigned to a register. */
const isRmwStatement = (st: Stmt | undefined): boolean => rmwOf(callOf(st)) !== undefined;

/** Whether statement `st` is a cmpxchg(), which may fail (and then is no RMW: the barriers next to it order nothing of it). */
const isCmpxchgStatement = (st: Stmt | undefined): boolean => rmwOf(callOf(st))?.op === 'cmpxchg';

/** Whether an RMW of the LKMM appears anywhere in `body`: a read-modify-write, or a lock (lock.cat's `lk-rmw`). */
const hasRmw = (body: readonly Stmt[]): boolean =>
  anyStatement(body, (st) => isRmwStatement(st) || callOf(st)?.name === 'spin_lock' || callOf(st)?.name === 'spin_trylock');

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
      "a witness is recorded as a run only for tests in the engine's instruction set (READ_ONCE, WRITE_ONCE, smp_load_acquire, smp_store_release, rcu_dereference, rcu_assign_pointer, smp_rmb, smp_wmb, smp_mb, spin_lock, spin_unlock, spin_trylock, smp_mb__after_unlock_lock, xchg, cmpxchg and the atomic_* families, smp_mb__before_atomic / smp_mb__after_atomic next to one, rcu_read_lock, rcu_read_unlock, synchronize_rcu, barrier, registers, constants, pointers to locations, loads and stores through a loaded pointer, if (r == c) / if (r != c) / if (r == r2) / if (r != r2))",
    );
  };
  const vars: string[] = [];
  // `int *p = x;`: a location holding a pointer at the start (its value, litmusPointer, is set below).
  const pointerInits: [string, string][] = [];
  // `int x=1;`: a location starting at an integer other than 0 (the engine's litmus.init sets it).
  const valueInits: [string, number][] = [];
  for (const e of test.init) {
    if (e.place.thread !== undefined) refuse(`an initial register value (${e.place.thread}:${e.place.name})`, 0);
    if (e.value !== undefined && typeof e.value !== 'number') pointerInits.push([e.place.name, e.value.addr]);
    else if (e.value !== undefined && e.value !== 0) {
      if (Math.abs(e.value) >= LITMUS_POINTER)
        refuse(`the initial value ${e.value} of ${e.place.name} (the engine keeps values from ${LITMUS_POINTER} for pointers)`, 0);
      valueInits.push([e.place.name, e.value]);
    }
    if (e.type !== undefined && !/^(int|atomic_t|spinlock_t|int \*)$/.test(e.type.trim())) refuse(`a location of type ${e.type} (${e.place.name})`, 0);
    if (!vars.includes(e.place.name)) vars.push(e.place.name);
  }
  for (const p of test.processes) for (const prm of p.params) if (!vars.includes(prm.name)) vars.push(prm.name);
  for (const [, x] of pointerInits) if (!vars.includes(x)) vars.push(x);
  // The locations whose address the test takes (what a loaded pointer may point to), and the spinlocks.
  const targets = new Set(pointerInits.map(([, x]) => x));
  const locks = new Set<string>();
  // Locations that hold pointers (`int *p = x;`, a parameter `int **p`): a load of one gives a
  // pointer, a store to one must store one, so that the engine never loads through an integer.
  const pointerLocs = new Set(pointerInits.map(([p]) => p));
  for (const p of test.processes) for (const prm of p.params) if (prm.type.includes('**')) pointerLocs.add(prm.name);
  // Locations a read-modify-write names, with the line of one (not a spinlock, nor a pointer's location or target).
  const rmwVars = new Map<string, number>();
  // Whether a grace period appears: the read-side critical sections matter only then.
  const gracePeriods = test.processes.some((p) =>
    anyStatement(p.body, (st) => st.k === 'expr' && (callOf(st)?.name === 'synchronize_rcu' || callOf(st)?.name === 'synchronize_rcu_expedited')),
  );
  const results: string[] = [];
  // Stores through loaded pointers: whether each stores a pointer (a location they may name that holds pointers must get one).
  const storesThrough: { pointer: boolean; line: number }[] = [];
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
    // The nesting of RCU read-side critical sections (rcu_read_lock() minus rcu_read_unlock()).
    let rcuDepth = 0;
    // smp_mb__after_atomic(): whether the last statement was a read-modify-write; and whether the process has one.
    let afterRmw = false;
    const rmwInProcess = hasRmw(p.body);
    // spin_is_locked(): the locks whose last spin_lock/spin_unlock in this process was an unlock.
    const unlocked = new Set<number>();
    // The registers spin_trylock() writes, and those loads write.
    const tried = new Set<string>();
    const loaded = new Set<string>();
    const name = `P${p.id}`;
    const k = new KernelPath(name, `${test.name} P${p.id}`, decl).at(`${test.name}.litmus`, name, 'LKMM');
    const label = () => `${name}.${labels++}`;
    // Registers that surely hold a pointer here: assigned one outside any `if`, and nothing else since.
    const pointerRegs = new Set<string>();
    let depth = 0;
    const assigned = (reg: string, pointer: boolean) => {
      if (!pointer) pointerRegs.delete(reg);
      else if (depth === 0) pointerRegs.add(reg);
    };
    /** Whether `e`, stored or assigned, is surely a pointer: a location's address or a pointer register. */
    const isPointer = (e: Expr) => (e.k === 'name' && !regs.includes(e.name) && vars.includes(e.name)) || (e.k === 'name' && pointerRegs.has(e.name));
    /** `*r0` (or `r0` for the acquire/release forms) with r0 a register: the register. */
    const pointerRegister = (e: Expr): string | undefined => {
      const target = e.k === 'deref' ? e.e : e;
      return target.k === 'name' && regs.includes(target.name) ? target.name : undefined;
    };
    const location = (e: Expr): number => {
      // `*x` (READ_ONCE, WRITE_ONCE) or `x` (the acquire/release forms take the pointer)
      const target = e.k === 'deref' ? e.e : e;
      if (target.k !== 'name' || !vars.includes(target.name)) return refuse('an access to something other than a shared location', e.line);
      return vars.indexOf(target.name);
    };
    /** A register of its own (for a constant, or a value loaded for a store or a condition). */
    const fresh = (line: number): string => {
      if (constants >= room) refuse(`more than ${MAX_REGS} registers, stored constants and loaded operands in one process`, line);
      return `c${constants++}`;
    };
    /** An integer constant, or a location's address (`x` as a value: litmusPointer). */
    const constant = (e: Expr): number | undefined => {
      if (e.k === 'num') {
        if (Math.abs(e.v) >= LITMUS_POINTER) refuse(`the constant ${e.v} (the engine keeps values from ${LITMUS_POINTER} for pointers)`, e.line);
        return e.v;
      }
      if (e.k === 'name' && !regs.includes(e.name) && vars.includes(e.name)) {
        targets.add(e.name);
        return litmusPointer(vars.indexOf(e.name));
      }
      return undefined;
    };
    /** A register holding the value of `e`: a register itself, a constant moved into a fresh one, or a load into a fresh one (`*z1`). */
    const operand = (e: Expr): string => {
      if (e.k === 'name' && regs.includes(e.name)) return e.name;
      const v = constant(e);
      if (v !== undefined) {
        const c = fresh(e.line);
        k.mov(c, v, label());
        return c;
      }
      if (e.k === 'deref' || (e.k === 'call' && (e.name === 'READ_ONCE' || e.name === 'rcu_dereference' || e.name === 'smp_load_acquire'))) {
        const c = fresh(e.line);
        load(c, e);
        return c;
      }
      return refuse('a value that is not a register, a constant, a location or a load', e.line);
    };
    /**
     * `r = xchg(x, v)`, `cmpxchg(x, e, v)`, `atomic_fetch_add(v, x)`, `atomic_inc(x)` and the rest
     * (include/linux/atomic/atomic-instrumented.h, v6.6; linux-kernel.def): one rmw_var, its kind
     * and ordering from the primitive; its result into `reg`, or a register of its own.
     */
    const rmw = (reg: string | undefined, call: Extract<Expr, { k: 'call' }>, prim: RmwPrimitive) => {
      const address = prim.op === 'atomic' && prim.value === 'arg0' ? call.args[1] : call.args[0];
      const loc = location(address);
      if (!rmwVars.has(vars[loc])) rmwVars.set(vars[loc], call.line);
      let kind: number;
      let source: string;
      let expected: string;
      if (prim.op === 'xchg') {
        kind = RmwKind.xchg | RmwKind.old;
        source = expected = operand(call.args[1]);
      } else if (prim.op === 'cmpxchg') {
        kind = RmwKind.cmpxchg | RmwKind.old;
        expected = operand(call.args[1]);
        source = operand(call.args[2]);
      } else {
        const shown = prim.test === 'zero' ? RmwKind.zero : prim.test === 'negative' ? RmwKind.negative : prim.returns === 'new' ? RmwKind.new : RmwKind.old;
        kind = RmwKind.add | (prim.sign < 0 ? RmwKind.sub : 0) | shown;
        source = expected = operand(prim.value === 'arg0' ? call.args[0] : { k: 'num', v: prim.value, line: call.line });
      }
      const out = reg ?? fresh(call.line);
      k.rmw(label(), out, loc, source, expected, kind, RMW_ORDERING[prim.order]);
      if (reg !== undefined) assigned(reg, false);
    };
    const load = (reg: string, e: Expr) => {
      const prim = rmwOf(e);
      if (prim) {
        rmw(reg, e as Extract<Expr, { k: 'call' }>, prim);
        return;
      }
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
        locks.add(vars[location(e.args[0])]);
        k.spin_trylock(label(), reg, location(e.args[0]));
        assigned(reg, false);
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
        assigned(reg, false);
        return;
      }
      // A plain `r = *x` (the engine treats plain accesses as marked ones); rcu_dereference() is
      // READ_ONCE() (linux-kernel.def: __load{once}).
      const call: Expr | undefined = e.k === 'deref' ? { k: 'call', name: 'READ_ONCE', args: [e], line: e.line } : e;
      if (call.k !== 'call' || !LOADS.includes(call.name) || call.args.length !== 1)
        return refuse(
          'an assignment other than r = READ_ONCE(*x), r = rcu_dereference(*p), r = smp_load_acquire(x), r = atomic_read(x), r = atomic_read_acquire(x), r = *x or r = a read-modify-write',
          e.line,
        );
      const acquire = call.name === 'smp_load_acquire' || call.name === 'atomic_read_acquire';
      const through = pointerRegister(call.args[0]);
      if (through !== undefined) {
        // through a pointer in a register: an address dependency on the load that wrote it
        if (!pointerRegs.has(through))
          refuse(`a load through ${through}, which may hold something other than a pointer loaded from a pointer location (int *p = x; or int **p)`, e.line);
        if (acquire) k.smp_load_acquire_ptr(label(), reg, through);
        else k.READ_ONCE_PTR(label(), reg, through);
        assigned(reg, false);
      } else {
        const loc = location(call.args[0]);
        if (acquire) k.smp_load_acquire(label(), reg, loc);
        else k.READ_ONCE(label(), reg, loc);
        assigned(reg, pointerLocs.has(vars[loc]));
      }
    };
    /** A store to a location that holds pointers stores one. */
    const storesPointer = (loc: number, value: Expr, line: number) => {
      if (pointerLocs.has(vars[loc]) && !isPointer(value))
        refuse(`a store to ${vars[loc]}, which holds pointers, of something other than a location's address`, line);
    };
    /**
     * `WRITE_ONCE(*r0, v)`, `*r0 = v`, `smp_store_release(r0, v)` through a loaded pointer: an
     * address dependency on the load of r0 (linux-kernel.cat `addr` in `ppo`, to-w).
     */
    const storeThrough = (through: string, value: Expr, release: boolean, line: number) => {
      if (!pointerRegs.has(through))
        refuse(`a store through ${through}, which may hold something other than a pointer loaded from a pointer location (int *p = x; or int **p)`, line);
      storesThrough.push({ pointer: isPointer(value), line });
      const v = operand(value);
      if (release) k.smp_store_release_ptr(label(), through, v);
      else k.WRITE_ONCE_PTR(label(), through, v);
    };
    const stmts = (body: readonly Stmt[]): void => {
      for (let i = 0; i < body.length; i++) {
        const st = body[i];
        const lockStmt = st.k === 'expr' && st.e.k === 'call' && st.e.name === 'spin_lock';
        const rmwStmt = isRmwStatement(st);
        if (st.k === 'if') afterLock = afterRmw = false;
        if (st.k === 'decl') {
          if (st.init) load(st.name, st.init);
        } else if (st.k === 'assign') {
          if (st.target.k === 'deref') {
            // a plain store `*x = v` (treated as WRITE_ONCE), or `*r0 = v` through a loaded pointer
            const through = pointerRegister(st.target);
            if (through !== undefined) {
              storeThrough(through, st.value, false, st.line);
              afterLock = afterRmw = false;
              continue;
            }
            const loc = location(st.target);
            storesPointer(loc, st.value, st.line);
            k.WRITE_ONCE(label(), loc, operand(st.value));
          } else if (st.target.k !== 'name' || !regs.includes(st.target.name)) refuse('an assignment to something other than a register or *x', st.line);
          else if (st.value.k === 'name' || st.value.k === 'num') {
            // r = r2, r = c, r = x (a location's address)
            const v = constant(st.value);
            assigned(st.target.name, isPointer(st.value));
            if (v !== undefined) k.mov(st.target.name, v, label());
            else k.copy(st.target.name, operand(st.value), label());
          } else load(st.target.name, st.value);
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
            locks.add(vars[location(call.args[0])]);
            unlocked.delete(location(call.args[0]));
            k.spin_lock(label(), location(call.args[0]));
          } else if (call.name === 'spin_unlock' && call.args.length === 1) {
            unlocked.add(location(call.args[0]));
            k.spin_unlock(label(), location(call.args[0]), operand({ k: 'num', v: 0, line: st.line }));
          } else if ((call.name === 'rcu_read_lock' || call.name === 'rcu_read_unlock') && call.args.length === 0) {
            // Without a grace period they order nothing (rcu-order needs one: linux-kernel.cat
            // `rcu-gp`), and as compiler barriers they matter only to plain accesses, which the
            // engine treats as marked ones: steps only in a test with synchronize_rcu(). Nested
            // ones count; the outermost are the section's bounds.
            if (gracePeriods) {
              if (depth > 0) refuse(`${call.name}() inside an if (the engine needs a section's bounds where it can see them)`, st.line);
              if (call.name === 'rcu_read_lock') {
                if (rcuDepth++ === 0) k.rcu_read_lock(label());
              } else {
                if (rcuDepth === 0) refuse('rcu_read_unlock() outside an RCU read-side critical section', st.line);
                if (--rcuDepth === 0) k.rcu_read_unlock(label());
              }
            }
          } else if ((call.name === 'synchronize_rcu' || call.name === 'synchronize_rcu_expedited') && call.args.length === 0) {
            // kernel/rcu/tree.c (v6.6): a grace period (linux-kernel.def __fence{sync-rcu}).
            if (rcuDepth > 0) refuse(`${call.name}() inside an RCU read-side critical section (it would wait for itself)`, st.line);
            k.synchronize_rcu(label());
          } else if (call.name === 'barrier' && call.args.length === 0) {
            // A compiler barrier: it matters only to plain accesses (linux-kernel.cat's data races),
            // which the engine treats as marked ones.
          } else if (rmwOf(call)) {
            rmw(undefined, call, rmwOf(call)!);
          } else if ((call.name === 'smp_mb__before_atomic' || call.name === 'smp_mb__after_atomic') && call.args.length === 0) {
            // linux-kernel.cat `mb`: [M] ; fencerel(Before-atomic) ; [RMW] ; po? ; [M] and
            // [M] ; po? ; [RMW] ; fencerel(After-atomic) ; [M]. Next to the RMW they order that is
            // smp_mb(); in a process with no RMW they order nothing; elsewhere they would not order
            // the accesses between the barrier and the RMW, which a full barrier does.
            const before = call.name === 'smp_mb__before_atomic';
            // Next to a cmpxchg() they order only one that succeeds (a failed one is a lone read),
            // and then also the other RMWs before or after it: not a barrier the engine has.
            if (before ? isCmpxchgStatement(body[i + 1]) : i > 0 && isCmpxchgStatement(body[i - 1]))
              refuse(`${call.name}() next to a cmpxchg() (it orders that cmpxchg() only where it succeeds)`, st.line);
            const next = before ? isRmwStatement(body[i + 1]) : afterRmw;
            if (next) k.smp_mb(label());
            else if (rmwInProcess)
              refuse(
                `${call.name}() other than right ${call.name === 'smp_mb__before_atomic' ? 'before' : 'after'} a read-modify-write (the engine has it only as a full barrier there)`,
                st.line,
              );
          } else if (STORES.includes(call.name) && call.args.length === 2) {
            const through = pointerRegister(call.args[0]);
            if (through !== undefined) {
              storeThrough(through, call.args[1], call.name !== 'WRITE_ONCE', st.line);
              afterLock = afterRmw = false;
              continue;
            }
            const loc = location(call.args[0]);
            storesPointer(loc, call.args[1], st.line);
            const value = operand(call.args[1]);
            // rcu_assign_pointer() and atomic_set_release() are smp_store_release() (linux-kernel.def:
            // __store{release}); atomic_set() is WRITE_ONCE(), smp_store_mb() one with smp_mb() after.
            if (call.name === 'WRITE_ONCE' || call.name === 'atomic_set' || call.name === 'smp_store_mb') k.WRITE_ONCE(label(), loc, value);
            else k.smp_store_release(label(), loc, value);
            if (call.name === 'smp_store_mb') k.smp_mb(label());
          } else refuse(`${call.name}()`, st.line);
        } else {
          const isReg = (e: Expr) => e.k === 'name' && regs.includes(e.name);
          const isLoad = (e: Expr) =>
            e.k === 'deref' || (e.k === 'call' && (e.name === 'READ_ONCE' || e.name === 'rcu_dereference' || e.name === 'smp_load_acquire'));
          // `if (r)` is `if (r != 0)`; `if (*x == 1)` loads x into a register of its own first
          let c: Expr =
            isReg(st.cond) || isLoad(st.cond) ? { k: 'binary', op: '!=', l: st.cond, r: { k: 'num', v: 0, line: st.line }, line: st.line } : st.cond;
          if (c.k === 'binary' && isLoad(c.l)) c = { ...c, l: { k: 'name', name: operand(c.l), line: c.line } };
          // `r == x`: against a location's address
          if (c.k === 'binary' && !isReg(c.r)) {
            const v = c.r.k === 'num' || c.r.k === 'name' ? constant(c.r) : undefined;
            if (v !== undefined) c = { ...c, r: { k: 'num', v, line: c.line } };
          }
          const isRegOf = (e: Expr) => e.k === 'name' && (regs.includes(e.name) || /^c\d+$/.test(e.name));
          const ok = c.k === 'binary' && (c.op === '==' || c.op === '!=') && isRegOf(c.l) && (c.r.k === 'num' || isReg(c.r));
          if (!ok) refuse('a condition other than r == c, r != c, r == r2 or r != r2 (r or c a register, a constant, a location or a load)', st.line);
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
          depth++;
          stmts(st.then);
          k.goto(endLabel, label());
          k.nop(elseLabel);
          stmts(st.else);
          depth--;
          k.nop(endLabel);
        }
        afterLock = lockStmt;
        afterRmw = rmwStmt;
        locked ||= lockStmt;
      }
    };
    stmts(p.body);
    if (rcuDepth > 0) refuse('rcu_read_lock() without its rcu_read_unlock()', p.body[p.body.length - 1]?.line ?? 0);
    k.nop(`${name}.end`);
    for (const r of regs) {
      results.push(`${p.id}:${r}`);
      k.observe(`${name}.observe.${r}`, results.length - 1, r);
    }
    return k.build();
  });
  for (const x of targets) if (locks.has(x)) refuse(`a pointer to spinlock ${x}`, 0);
  for (const [x, line] of rmwVars) {
    if (locks.has(x)) refuse(`a read-modify-write of spinlock ${x}`, line);
    if (targets.has(x) || pointerLocs.has(x)) refuse(`a read-modify-write of ${x}, a location that holds a pointer or that a pointer may name`, line);
  }
  for (const x of targets)
    for (const st of storesThrough)
      if (pointerLocs.has(x) && !st.pointer)
        refuse(`a store through a pointer that may name ${x}, which holds pointers, of something other than a location's address`, st.line);
  const exists = Object.entries(finalState).map(([place, value]) => {
    // a pointer value is written as the location's name (herd7's `1:r0=x`)
    const n = vars.includes(value) ? litmusPointer(vars.indexOf(value)) : Number(value);
    if (!Number.isSafeInteger(n)) refuse(`a final value that is not an integer (${place}=${value})`, 0);
    if (!results.includes(place) && !vars.includes(place)) refuse(`a condition on ${place}`, 0);
    return { name: place, value: n };
  });
  const init = [...pointerInits.map(([name, x]) => ({ name, value: litmusPointer(vars.indexOf(x)) })), ...valueInits.map(([name, value]) => ({ name, value }))];
  for (const [name] of valueInits)
    if (locks.has(name) || pointerLocs.has(name)) refuse(`an initial integer value of ${name}, a spinlock or a pointer location`, 0);
  const pointers = targets.size > 0 ? { init, targets: vars.filter((v) => targets.has(v)) } : init.length > 0 ? { init } : {};
  return litmusWorldOf(`litmus:${test.name}`, memoryModel, paths, { vars, results, exists, ...pointers }, ['weak-outcome']);
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
