import { INSN_WIDTH, OP, PageFlag, fenceNames, litmusPointee } from '@mmreplay/model';
import type { Machine } from './machine.js';
import type { MemoryAccess, StateDelta, WriteRef } from './step-event.js';

// Which write each relaxed load read, and how stale it was. The state vector holds only what the
// future depends on (values, buffers, outstanding loads), not the history of writes, so that equal
// states stay equal; the history is kept here, beside one run, from the machine's log of each step.

interface Write {
  readonly step: number | null;
  readonly pc: number;
  readonly thread: number | null;
  readonly loc: number;
  readonly value: number;
  visibleAt: number | null;
}

interface Issued {
  readonly step: number;
  readonly pc: number;
}

interface Source {
  readonly step: number;
  readonly loc: number;
  readonly write: Write;
}

/** Where a flush or a late load comes from: the instruction that issued it. */
export interface SideStep {
  readonly kind: 'flush' | 'satisfy';
  readonly pc: number;
  readonly location: string;
  /** the value as a kernel developer reads it (a page name for a head, flag names for flags) */
  readonly value: string;
}

const NOTHING: { accesses: undefined; side: null } = { accesses: undefined, side: null };
const RELAXED = new Set(['load', 'store', 'load_var', 'store_var', 'check_locked_loaded', 'load_ptr', 'store_ptr']);
/** Writes kept per location: a long run keeps the recent ones (a check older than that cites fewer). */
const HISTORY = 256;

export class MemoryTrace {
  private history = new Map<number, Write[]>();
  /** lkmm: per location, the messages the state keeps, in coherence order (the newest last) */
  private co = new Map<number, Write[]>();
  private buffered: Write[][] = [];
  private pending: Issued[][] = [];
  private sources: (Source | undefined)[][] = [];
  /** state slot -> the location it holds (-1: not a relaxed location) */
  private readonly locOfSlot: Int32Array;

  /** the world has relaxed accesses (otherwise there is nothing to follow) */
  private readonly active: boolean;
  /** the state before any step: the locations' initial values */
  private readonly initial: Int32Array;

  constructor(private readonly m: Machine) {
    const L = m.layout;
    this.active = Object.values(m.world.paths).some((p) => p.steps.some((st) => RELAXED.has(st.op)));
    this.locOfSlot = new Int32Array(L.size).fill(-1);
    this.initial = L.initialState();
    const locs = L.nPages * 2 + (m.world.litmus?.vars.length ?? 0);
    for (let loc = 0; loc < locs; loc++) this.locOfSlot[L.locSlot(loc)] = loc;
    this.reset();
  }

  reset(): void {
    const n = this.m.threadCount;
    this.history = new Map();
    this.co = new Map();
    this.buffered = Array.from({ length: n }, () => []);
    this.pending = Array.from({ length: n }, () => []);
    this.sources = Array.from({ length: n }, () => []);
  }

  /**
   * Folds one step (the machine's `memLog` of it) into the history. Returns the step's accesses,
   * and, for a flush or a late load, the instruction that issued it.
   */
  record(
    after: Int32Array,
    t: number,
    pc: number,
    step: number,
    deltas: readonly StateDelta[],
  ): { accesses: MemoryAccess[] | undefined; side: SideStep | null } {
    if (!this.active) return NOTHING;
    const m = this.m;
    const L = m.layout;
    const isCheck = m.lastStepKind === 'instruction' && m.paths[t].code[pc * INSN_WIDTH] === OP.check_locked_loaded;
    if (m.memLog.length === 0 && !isCheck) {
      // The common case: no relaxed access. Only SC writes to relaxed locations are followed.
      for (const d of deltas) {
        const loc = this.locOfSlot[d.slot];
        if (loc >= 0) this.visible(loc).push({ step, pc, thread: t, loc, value: d.after, visibleAt: step });
      }
      return NOTHING;
    }
    const out: MemoryAccess[] = [];
    let side: SideStep | null = null;
    const touched = new Set<number>();
    for (const a of m.memLog) {
      // A load through a pointer not loaded yet (lkmm) names the pointer's register: `*r0`.
      const location = a.kind === 'fence' ? undefined : a.loc < 0 ? `*${m.paths[t].def.regs[-a.loc - 1]?.name ?? `r${-a.loc - 1}`}` : L.locName(a.loc);
      const ordering = a.order === 1 ? (a.kind === 'buffer' || a.kind === 'write' ? 'release' : 'acquire') : undefined;
      switch (a.kind) {
        case 'read':
        case 'satisfy': {
          const issued = a.kind === 'satisfy' ? this.pending[t].splice(a.index, 1)[0] : undefined;
          const co = a.pos >= 0 ? this.messages(a.loc) : null;
          const write = co ? co[a.pos] : a.forwarded ? this.ownNewest(t, a.loc, a.value) : this.latest(a.loc, a.value);
          // lkmm: the stores after it in coherence order had not reached this CPU yet.
          const newer = co ? co.slice(a.pos + 1) : a.forwarded ? [] : this.inOtherBuffers(t, a.loc);
          if (a.reg >= 0) this.sources[t][a.reg] = { step, loc: a.loc, write };
          const note = `${this.name(t)} read ${location} = ${this.show(a.loc, a.value)}, ${this.text(write)}${newer.length ? `; not the newer ${newer.map((w) => this.text(w)).join(', ')}` : ''}`;
          out.push({
            access: a.kind === 'read' ? 'load' : 'load-satisfied',
            location,
            value: a.value,
            ...(ordering ? { ordering } : {}),
            readFrom: this.ref(write),
            forwarded: a.forwarded,
            newer: newer.map((w) => this.ref(w)),
            ...(issued ? { issuedAt: issued.step } : {}),
            note: issued ? `${note} (the load was issued at step ${issued.step})` : note,
          });
          if (issued && m.lastStepKind === 'satisfy') side = { kind: 'satisfy', pc: issued.pc, location: location!, value: this.show(a.loc, a.value) };
          break;
        }
        case 'defer':
          this.pending[t].push({ step, pc });
          out.push({ access: 'load-issued', location, note: `${this.name(t)} issues its load of ${location}; it is satisfied later` });
          break;
        case 'write': {
          touched.add(a.loc);
          // lkmm: an outstanding store that runs now is the one its instruction issued earlier.
          // (or one issued through a pointer not loaded yet, `*r0`: its location is known now)
          const queued = a.pos >= 0 && m.lastStepKind === 'flush' ? this.queuedFor(t, a.loc) : -1;
          const issued = queued >= 0 ? this.buffered[t].splice(queued, 1)[0] : null;
          const w: Write = issued
            ? { ...issued, loc: a.loc, value: a.value, visibleAt: step }
            : { step, pc, thread: t, loc: a.loc, value: a.value, visibleAt: step };
          if (issued && m.lastStepKind === 'flush') side = { kind: 'flush', pc: issued.pc, location: location!, value: this.show(a.loc, a.value) };
          const co = a.pos >= 0 ? this.messages(a.loc) : null;
          this.visible(a.loc).push(w);
          if (co) {
            co.splice(a.pos, 0, w);
            const placed = a.index === 0 ? 'the newest' : `before ${a.index} newer store${a.index === 1 ? '' : 's'} in coherence order`;
            out.push({
              access: 'store',
              location,
              value: a.value,
              ...(ordering ? { ordering } : {}),
              note: `${this.name(t)} stores ${location} = ${this.show(a.loc, a.value)}, ${placed}; it reaches each other CPU on its own`,
            });
          } else out.push({ access: 'store', location, value: a.value, ...(ordering ? { ordering } : {}) });
          break;
        }
        case 'gc':
          this.messages(a.loc).splice(0, a.index);
          break;
        case 'buffer':
          this.buffered[t].push({ step, pc, thread: t, loc: a.loc, value: a.value, visibleAt: null });
          out.push({
            access: 'store-buffered',
            location,
            value: a.value,
            ...(ordering ? { ordering } : {}),
            note: `${this.name(t)} queues ${location} = ${this.show(a.loc, a.value)} in its store buffer`,
          });
          break;
        case 'flush': {
          touched.add(a.loc);
          const w = this.buffered[t].splice(a.index, 1)[0] ?? { step: null, pc, thread: t, loc: a.loc, value: a.value, visibleAt: null };
          w.visibleAt = step;
          this.visible(a.loc).push(w);
          out.push({
            access: 'store-visible',
            location,
            value: a.value,
            ...(w.step !== null ? { issuedAt: w.step } : {}),
            note: `${location} = ${this.show(a.loc, a.value)} (${this.name(t)}'s store at step ${w.step}) becomes visible`,
          });
          if (m.lastStepKind === 'flush') side = { kind: 'flush', pc: w.pc, location: location!, value: this.show(a.loc, a.value) };
          break;
        }
        case 'fence':
          out.push({ access: 'fence', fence: fenceNames[a.order] ?? String(a.order) });
          break;
      }
    }
    // Writes of SC steps to relaxed locations (folio_unlock clears PG_locked, a waiter sets
    // PG_waiters): part of the location's history too.
    for (const d of deltas) {
      const loc = this.locOfSlot[d.slot];
      if (loc < 0) continue;
      const h = this.visible(loc);
      if (touched.has(loc) && h.length > 0 && h[h.length - 1].value === d.after) continue;
      const w: Write = { step, pc, thread: t, loc, value: d.after, visibleAt: step };
      h.push(w);
      // lkmm: an SC step's write is seen by every CPU at once: the location keeps only it.
      if (L.propagation && L.mlocOf[loc] >= 0) this.co.set(loc, [w]);
    }
    if (isCheck) {
      const reg = m.paths[t].code[pc * INSN_WIDTH + 2];
      const src = this.sources[t][reg];
      if (src) {
        const location = L.locName(src.loc);
        let newer: Write[];
        if (L.propagation && L.mlocOf[src.loc] >= 0) {
          const co = this.messages(src.loc);
          newer = co.slice(co.indexOf(src.write) + 1);
        } else {
          const h = this.visible(src.loc);
          const at = h.indexOf(src.write);
          newer = [...h.slice(at + 1), ...this.inOtherBuffers(t, src.loc)];
        }
        const value = after[L.reg(t, reg)];
        out.push({
          access: 'check',
          location,
          value,
          loadedAt: src.step,
          readFrom: this.ref(src.write),
          newer: newer.map((w) => this.ref(w)),
          note: `${this.name(t)} checks ${location} = ${this.show(src.loc, value)} as loaded at step ${src.step}: ${this.text(src.write)}${newer.length ? `; stale: ${newer.map((w) => this.text(w)).join(', ')}` : ''}`,
        });
      }
    }
    return { accesses: out.length ? out : undefined, side };
  }

  /** lkmm: the outstanding store of thread t that runs now at loc: its oldest queued to loc, else its oldest queued through a pointer. */
  private queuedFor(t: number, loc: number): number {
    const at = this.buffered[t].findIndex((x) => x.loc === loc);
    return at >= 0 ? at : this.buffered[t].findIndex((x) => x.loc < 0);
  }

  private visible(loc: number): Write[] {
    let h = this.history.get(loc);
    if (!h) this.history.set(loc, (h = []));
    else if (h.length >= HISTORY) h.splice(0, HISTORY / 2);
    return h;
  }

  /** lkmm: the messages of loc in coherence order, starting from the initial value. */
  private messages(loc: number): Write[] {
    let co = this.co.get(loc);
    if (!co) {
      const h = this.visible(loc);
      const init = h.length > 0 ? h[h.length - 1] : { step: null, pc: -1, thread: null, loc, value: this.initial[this.m.layout.locSlot(loc)], visibleAt: null };
      this.co.set(loc, (co = [init]));
    }
    return co;
  }

  /** The write a load from memory read: the last visible one, or the initial value. */
  private latest(loc: number, value: number): Write {
    const h = this.visible(loc);
    const w = h[h.length - 1];
    if (w && w.value === value) return w;
    const initial: Write = { step: null, pc: -1, thread: null, loc, value, visibleAt: null };
    if (!w) h.push(initial);
    return w ?? initial;
  }

  private ownNewest(t: number, loc: number, value: number): Write {
    const b = this.buffered[t];
    for (let i = b.length - 1; i >= 0; i--) if (b[i].loc === loc) return b[i];
    return { step: null, pc: -1, thread: null, loc, value, visibleAt: null };
  }

  private inOtherBuffers(t: number, loc: number): Write[] {
    return this.buffered.flatMap((b, u) => (u === t ? [] : b.filter((w) => w.loc === loc)));
  }

  private name(t: number | null): string {
    return t === null ? '-' : this.m.world.threads[t].name;
  }

  private label(w: Write): string | null {
    return w.thread === null ? null : (this.m.paths[w.thread].def.steps[w.pc]?.label ?? null);
  }

  private ref(w: Write): WriteRef {
    return { step: w.step, thread: w.thread === null ? null : this.name(w.thread), label: this.label(w), value: w.value, visibleAt: w.visibleAt };
  }

  private text(w: Write): string {
    if (w.step === null) return 'the initial value';
    if (this.m.propagation && this.m.layout.mlocOf[w.loc] >= 0) return `${this.name(w.thread)}'s store at step ${w.step} (${this.label(w)})`;
    const vis = w.visibleAt === null ? 'still in its store buffer' : w.visibleAt === w.step ? 'visible at once' : `visible since step ${w.visibleAt}`;
    return `${this.name(w.thread)}'s store at step ${w.step} (${this.label(w)}, ${vis})`;
  }

  /** A value as a kernel developer reads it: page names for heads, flag names for flags. */
  private show(loc: number, v: number): string {
    const L = this.m.layout;
    // (loc < 0: a store through a pointer not loaded yet, a litmus variable)
    if (loc < 0 || loc >= L.nPages * 2) {
      // a pointer (litmusPointer) as the address of the variable it points to
      const p = litmusPointee(v, this.m.world.litmus?.vars.length ?? 0);
      return p < 0 ? String(v) : `&${this.m.world.litmus!.vars[p]}`;
    }
    if ((loc & 1) === 0) return L.pageName(v);
    const names = Object.entries(PageFlag)
      .filter(([, bit]) => (v & bit) !== 0)
      .map(([n]) => n);
    return names.length ? names.join('|') : '0';
  }
}
