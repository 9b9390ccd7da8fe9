/**
 * The kernel primitives a litmus test may call, and the events each one is made of. This is the
 * mapping of the LKMM's `linux-kernel.def` (tools/memory-model), restated: which access or fence
 * event, with which annotation (`once`, `acquire`, `release`, `noreturn`, or a full `mb` around a
 * relaxed read-modify-write).
 */

/** The fence events of `linux-kernel.bell`'s `Barriers` enumeration that a test can produce. */
export type FenceKind =
  'mb' | 'rmb' | 'wmb' | 'barrier' | 'rcu-lock' | 'rcu-unlock' | 'sync-rcu' | 'before-atomic' | 'after-atomic' | 'after-spinlock' | 'after-unlock-lock';

/** How a read-modify-write is ordered: the suffix of the kernel name (none = `mb`). */
export type RmwOrder = 'mb' | 'once' | 'acquire' | 'release' | 'noreturn';

/** How the address of an access is written: `*x` (an lvalue, as READ_ONCE takes) or `x` (a pointer). */
export type AddressForm = 'lvalue' | 'pointer';

export type Primitive =
  | { readonly op: 'load'; readonly arity: 1; readonly mode: 'once' | 'acquire'; readonly address: AddressForm }
  | { readonly op: 'store'; readonly arity: 2; readonly mode: 'once' | 'release'; readonly address: AddressForm; readonly mbAfter?: true }
  | { readonly op: 'fence'; readonly arity: 0; readonly fence: FenceKind }
  | { readonly op: 'xchg'; readonly arity: 2; readonly order: RmwOrder }
  | { readonly op: 'cmpxchg'; readonly arity: 3; readonly order: RmwOrder }
  /** atomic_add(V, X) and friends: `value` is the index of V, or a constant for inc/dec. */
  | {
      readonly op: 'atomic';
      readonly arity: 1 | 2;
      readonly order: RmwOrder;
      readonly sign: 1 | -1;
      readonly value: number | 'arg0';
      readonly returns: 'none' | 'new' | 'old';
      readonly test?: 'zero' | 'negative';
    }
  | { readonly op: 'lock' | 'unlock' | 'trylock' | 'is_locked'; readonly arity: 1 };

const table = new Map<string, Primitive>();

table.set('READ_ONCE', { op: 'load', arity: 1, mode: 'once', address: 'lvalue' });
table.set('rcu_dereference', { op: 'load', arity: 1, mode: 'once', address: 'lvalue' });
table.set('smp_load_acquire', { op: 'load', arity: 1, mode: 'acquire', address: 'pointer' });
table.set('atomic_read', { op: 'load', arity: 1, mode: 'once', address: 'pointer' });
table.set('atomic_read_acquire', { op: 'load', arity: 1, mode: 'acquire', address: 'pointer' });

table.set('WRITE_ONCE', { op: 'store', arity: 2, mode: 'once', address: 'lvalue' });
table.set('rcu_assign_pointer', { op: 'store', arity: 2, mode: 'release', address: 'lvalue' });
table.set('smp_store_release', { op: 'store', arity: 2, mode: 'release', address: 'pointer' });
table.set('smp_store_mb', { op: 'store', arity: 2, mode: 'once', address: 'lvalue', mbAfter: true });
table.set('atomic_set', { op: 'store', arity: 2, mode: 'once', address: 'pointer' });
table.set('atomic_set_release', { op: 'store', arity: 2, mode: 'release', address: 'pointer' });

const fences: [string, FenceKind][] = [
  ['smp_mb', 'mb'],
  ['smp_rmb', 'rmb'],
  ['smp_wmb', 'wmb'],
  ['barrier', 'barrier'],
  ['smp_mb__before_atomic', 'before-atomic'],
  ['smp_mb__after_atomic', 'after-atomic'],
  ['smp_mb__after_spinlock', 'after-spinlock'],
  ['smp_mb__after_unlock_lock', 'after-unlock-lock'],
  ['rcu_read_lock', 'rcu-lock'],
  ['rcu_read_unlock', 'rcu-unlock'],
  ['synchronize_rcu', 'sync-rcu'],
  ['synchronize_rcu_expedited', 'sync-rcu'],
];
for (const [name, fence] of fences) table.set(name, { op: 'fence', arity: 0, fence });

const suffixes: [string, RmwOrder][] = [
  ['', 'mb'],
  ['_relaxed', 'once'],
  ['_acquire', 'acquire'],
  ['_release', 'release'],
];
for (const [suffix, order] of suffixes) {
  table.set(`xchg${suffix}`, { op: 'xchg', arity: 2, order });
  table.set(`atomic_xchg${suffix}`, { op: 'xchg', arity: 2, order });
  table.set(`cmpxchg${suffix}`, { op: 'cmpxchg', arity: 3, order });
  table.set(`atomic_cmpxchg${suffix}`, { op: 'cmpxchg', arity: 3, order });
  for (const [fn, sign, value] of [
    ['add', 1, 'arg0'],
    ['sub', -1, 'arg0'],
    ['inc', 1, 1],
    ['dec', -1, 1],
  ] as const) {
    const arity = value === 'arg0' ? 2 : 1;
    table.set(`atomic_${fn}_return${suffix}`, { op: 'atomic', arity, order, sign, value, returns: 'new' });
    table.set(`atomic_fetch_${fn}${suffix}`, { op: 'atomic', arity, order, sign, value, returns: 'old' });
  }
}
for (const [fn, sign, value] of [
  ['add', 1, 'arg0'],
  ['sub', -1, 'arg0'],
  ['inc', 1, 1],
  ['dec', -1, 1],
] as const) {
  table.set(`atomic_${fn}`, { op: 'atomic', arity: value === 'arg0' ? 2 : 1, order: 'noreturn', sign, value, returns: 'none' });
}
table.set('atomic_sub_and_test', { op: 'atomic', arity: 2, order: 'mb', sign: -1, value: 'arg0', returns: 'new', test: 'zero' });
table.set('atomic_dec_and_test', { op: 'atomic', arity: 1, order: 'mb', sign: -1, value: 1, returns: 'new', test: 'zero' });
table.set('atomic_inc_and_test', { op: 'atomic', arity: 1, order: 'mb', sign: 1, value: 1, returns: 'new', test: 'zero' });
table.set('atomic_add_negative', { op: 'atomic', arity: 2, order: 'mb', sign: 1, value: 'arg0', returns: 'new', test: 'negative' });

table.set('spin_lock', { op: 'lock', arity: 1 });
table.set('spin_unlock', { op: 'unlock', arity: 1 });
table.set('spin_trylock', { op: 'trylock', arity: 1 });
table.set('spin_is_locked', { op: 'is_locked', arity: 1 });

export const PRIMITIVES: ReadonlyMap<string, Primitive> = table;
