import type { Machine } from '@mmreplay/engine';
import type { DeadRegisters } from './dead-registers.js';
import type { Symmetry } from './symmetry.js';
import type { TupleCodec } from './state-store.js';
import { successorTuple } from './successor.js';
import { StepMemo } from './step-memo.js';

// A queued state's steps on tuples of component ids, with the step and enabledness memos
// (step-memo.ts): the one copy of that logic, used by every search that queues tuples (explore,
// SharedSearcher.expandHead, the approximate search). The caller puts the head's tuple in
// `parentTuple` and calls begin(); then, per thread, choices(); per choice, step() and
// canonical(). The head's vector is decoded from its tuple only when something is not remembered
// (vector()), and only the components that differ from the vector decoded last are copied.
//
// A remembered step is one that broke no invariant and that the machine says read and wrote
// nothing but the stepping thread's vector and the shared objects (Machine.readOthers,
// wroteOthers); remembered enabledness likewise (Machine.enablednessReadsOthers), by the thread's
// vector id alone where it reads nothing else (Machine.enablednessReadsShared). So a search
// with the memos stores the states, transitions and verdicts of one without them.

export class TupleSteps {
  private readonly memo = new StepMemo();
  /** (t, 0, shared objects' id, t's vector id) -> thread t's choice count + 1, 0 when it cannot run */
  private readonly enabledMemo = new StepMemo();
  /**
   * per thread, by its vector id: the choice count + 2 (1: cannot run, 0: not known), where
   * enabledness reads nothing but that vector (Machine.enablednessReadsShared): most threads at
   * most heads (finished, at a local step, asleep), answered from a small dense array
   */
  private readonly localEnabled: Int8Array[];
  /** the head's tuple: the caller's to fill before begin() */
  readonly parentTuple: Uint32Array;
  /** the tuple of the vector `s` holds (0xffffffff: none yet) */
  private readonly heldTuple: Uint32Array;
  private readonly s: Int32Array;
  private readonly next: Int32Array;
  /** the last step's successor as collapsed, before canonicalisation */
  private readonly raw: Uint32Array;
  /** whether `s` is the head's vector */
  private read = false;
  /** the last step's successor vector (dead registers cleared), or null when its ids came from the memo */
  private live: Int32Array | null = null;
  private readonly internAt = (v: Int32Array, k: number): number => this.codec.intern(v, k);

  /** `sym`: the symmetry that canonicalises successors on tuples (Symmetry.tuples), or null to store them as collapsed */
  constructor(
    private readonly m: Machine,
    private readonly sym: Symmetry | null,
    private readonly dead: DeadRegisters | null,
    private readonly codec: TupleCodec,
    arity: number,
  ) {
    this.parentTuple = new Uint32Array(arity);
    this.heldTuple = new Uint32Array(arity).fill(0xffffffff);
    this.raw = new Uint32Array(arity);
    this.s = new Int32Array(m.layout.size);
    this.next = new Int32Array(m.layout.size);
    this.localEnabled = Array.from({ length: m.threadCount }, () => new Int8Array(0));
  }

  /** Bytes of the memos (the two caches and the enabledness by vector id). */
  get bytes(): number {
    return this.memo.bytes + this.enabledMemo.bytes + this.localEnabled.reduce((a, x) => a + x.byteLength, 0);
  }

  /** Grows the memos with the states stored (StepMemo.fit). */
  fit(states: number): void {
    this.memo.fit(states);
    this.enabledMemo.fit(states);
  }

  /** A new head, whose tuple is in `parentTuple`. */
  begin(): void {
    this.read = false;
  }

  /** The head's vector (decoded from its tuple on first use). */
  vector(): Int32Array {
    if (!this.read) {
      this.codec.decodeSince(this.parentTuple, this.s, this.heldTuple);
      this.read = true;
    }
    return this.s;
  }

  /** Thread t's choices at the head, or -1 when it cannot run. */
  choices(t: number): number {
    const p = this.parentTuple;
    const local = this.localEnabled[t];
    const id = p[1 + t];
    if (id < local.length && local[id] !== 0) return local[id] - 2;
    if (this.enabledMemo.get(t, 0, p[0], id)) return this.enabledMemo.shared - 1;
    const m = this.m;
    const s = this.vector();
    const k = m.isRunnable(s, t) ? m.choiceCount(s, t) : -1;
    if (!m.enablednessReadsShared(s, t) && k + 2 <= 127) this.keepLocal(t, id, k + 2);
    else if (!m.enablednessReadsOthers(s, t)) this.enabledMemo.set(t, 0, p[0], id, k + 1, 0);
    return k;
  }

  private keepLocal(t: number, id: number, value: number): void {
    let local = this.localEnabled[t];
    if (id >= local.length) {
      const grown = new Int8Array(Math.max(id + 1, local.length * 2, 256));
      grown.set(local);
      local = this.localEnabled[t] = grown;
    }
    local[id] = value;
  }

  /** Thread t's step c from the head, run or recalled; false when it breaks an invariant (the machine's `violation` says which). */
  step(t: number, c: number): boolean {
    const p = this.parentTuple;
    const raw = this.raw;
    const memo = this.memo;
    if (memo.get(t, c, p[0], p[1 + t])) {
      // met before from the same shared objects and thread vector: the successor by ids, no vector built
      raw.set(p);
      raw[0] = memo.shared;
      raw[1 + t] = memo.local;
      this.live = null;
      return true;
    }
    const m = this.m;
    const s = this.vector();
    const next = this.next;
    next.set(s);
    if (!m.step(next, t, c)) return false;
    const live = this.dead ? this.dead.clearThread(next, t) : next;
    successorTuple(this.codec, m, p, s, live, t, raw);
    if (!m.readOthers && !m.wroteOthers) memo.set(t, c, p[0], p[1 + t], raw[0], raw[1 + t]);
    this.live = live;
    return true;
  }

  /** The last step's successor, canonical (as collapsed without symmetry), into `out`. */
  canonical(out: Uint32Array): void {
    if (this.sym === null) out.set(this.raw);
    else if (this.live === null) this.sym.canonicalIds(this.codec, this.raw, out, this.internAt);
    else this.sym.canonicalTuple(this.live, this.raw, out, this.internAt);
  }
}
