import type { Machine } from '@mmreplay/engine';
import type { TupleCodec } from './state-store.js';

// Collapsing a successor from its parent's tuple (the components of stateComponents: the shared
// objects, one local vector per thread, the weak-memory section if any). A step of thread t writes
// t's local vector and shared state; another thread's vector only when the machine says so
// (Machine.wroteOthers, set by a wake-up). So the other threads' components keep the parent's ids
// without a look, and the rest are compared with the parent's vector in place (both in the cache),
// interned only where they differ. The tuple is the one a full collapse gives (successor.spec.ts).

/**
 * The tuple of `next`, the state thread t's step (the machine's last) made from `parent`, whose
 * stored tuple is `parentTuple`; into `out`.
 */
export function successorTuple(
  store: TupleCodec,
  m: Machine,
  parentTuple: Uint32Array,
  parent: Int32Array,
  next: Int32Array,
  t: number,
  out: Uint32Array,
): Uint32Array {
  const n = m.threadCount;
  const arity = parentTuple.length;
  for (let k = 0; k < arity; k++) out[k] = parentTuple[k];
  out[0] = store.componentSince(0, next, parent, parentTuple[0]);
  if (m.wroteOthers) for (let u = 0; u < n; u++) out[1 + u] = store.componentSince(1 + u, next, parent, parentTuple[1 + u]);
  else out[1 + t] = store.componentSince(1 + t, next, parent, parentTuple[1 + t]);
  for (let k = 1 + n; k < arity; k++) out[k] = store.componentSince(k, next, parent, parentTuple[k]);
  return out;
}
