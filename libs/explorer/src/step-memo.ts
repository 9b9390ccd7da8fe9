// A step's outcome remembered by component ids (the search on tuples, explore()). When a step of
// thread t reads and writes nothing but t's local vector and the shared objects (the machine says
// so: Machine.readOthers and Machine.wroteOthers both false after it), its successor's shared
// objects and t's vector are a function of (t, the choice, the parent's shared-object id, t's
// vector id): the machine is deterministic and the ids name vectors exactly. The same pair of
// components meets the same thread again in many states (the other threads' vectors vary), so
// the search looks the step up here before running it, and skips the step, the dead-register
// clearing and the collapse of the successor. A miss runs the step as before; only a step that
// broke no invariant is remembered, so a hit is a step that is known to be fine.
//
// The search keeps a second one for whether a thread runs and its choices, keyed with choice 0 (the
// count + 1 in `shared`, 0 when the thread cannot run), filled where the machine says that
// enabledness reads nothing of another thread (Machine.enablednessReadsOthers).
//
// A direct-mapped cache: a newer entry overwrites an older one in its slot. Every entry holds its
// whole key, so a hit is exact; a lost entry only costs running the step again. The search grows
// it with the visited set, up to MAX_BITS (the seed at N = 6 meets about 275 k distinct steps in
// 10.4 M transitions; 2^16 slots already answer 95 % of them, in 1 MB that stays in the cache;
// a larger table answers a little more, but its misses in the processor's cache cost more).

const MIN_BITS = 10;
const MAX_BITS = 17;

/** (thread, choice, shared-object id, thread's vector id) -> (the successor's shared-object id, its vector id). */
export class StepMemo {
  /** per slot: shared id, (thread's vector id, thread, choice) packed + 1 (0: empty), then the two ids of the outcome */
  private slots = new Int32Array(4 << MIN_BITS);
  private mask = (1 << MIN_BITS) - 1;
  /** the outcome of the last hit */
  shared = 0;
  local = 0;

  get bytes(): number {
    return this.slots.byteLength;
  }

  /** Looks the step up; on a hit, its outcome is in `shared` and `local`. */
  get(t: number, choice: number, shared: number, local: number): boolean {
    const key = packKey(t, choice, local);
    const at = 4 * (slotHash(shared, key) & this.mask);
    const slots = this.slots;
    if (key === 0 || slots[at + 1] !== key || slots[at] !== shared) return false;
    this.shared = slots[at + 2];
    this.local = slots[at + 3];
    return true;
  }

  /** Remembers a step's outcome (a key that does not pack is not remembered). */
  set(t: number, choice: number, shared: number, local: number, nextShared: number, nextLocal: number): void {
    const key = packKey(t, choice, local);
    if (key === 0) return;
    const at = 4 * (slotHash(shared, key) & this.mask);
    const slots = this.slots;
    slots[at] = shared;
    slots[at + 1] = key;
    slots[at + 2] = nextShared;
    slots[at + 3] = nextLocal;
  }

  /** Doubles the table, up to MAX_BITS, when `states` (the visited set) is over 16 times its slots. */
  fit(states: number): void {
    if (states <= 16 * (this.mask + 1) || this.mask + 1 >= 1 << MAX_BITS) return;
    const old = this.slots;
    this.slots = new Int32Array(2 * old.length);
    this.mask = 2 * this.mask + 1;
    for (let at = 0; at < old.length; at += 4) {
      if (old[at + 1] === 0) continue;
      const to = 4 * (slotHash(old[at], old[at + 1]) & this.mask);
      for (let k = 0; k < 4; k++) this.slots[to + k] = old[at + k];
    }
  }
}

/** Thread below 32, choice below 32, vector id below 2^21, in one positive word; 0 when one does not fit. */
function packKey(t: number, choice: number, local: number): number {
  return t < 32 && choice < 32 && local < (1 << 21) - 1 ? ((local + 1) << 10) | (t << 5) | choice : 0;
}

function slotHash(shared: number, key: number): number {
  let h = Math.imul(shared ^ 0x2545f491, 0x9e3779b1) ^ key;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  return h ^ (h >>> 13);
}
