// Each step is a mark on its thread's lane, coloured by what it does to the protocol. The
// categories are the ones a reviewer of a locking argument looks for (issue 17); the event kinds
// are libs/engine/src/event-kind.ts's.

export type Category = 'page-lock' | 'unlock-wake' | 'ptl' | 'pte-write' | 'read' | 'refcount' | 'bug' | 'other';

export const CATEGORIES: { category: Category; label: string }[] = [
  { category: 'page-lock', label: 'page lock' },
  { category: 'unlock-wake', label: 'unlock + wake' },
  { category: 'ptl', label: 'PTL' },
  { category: 'pte-write', label: 'PTE write' },
  { category: 'read', label: 'lockless read' },
  { category: 'refcount', label: 'refcount' },
  { category: 'bug', label: 'BUG_ON' },
  { category: 'other', label: 'other' },
];

const BY_KIND: Record<string, Category> = {
  PageLocked: 'page-lock',
  PageTrylockFailed: 'page-lock',
  LockWaitQueued: 'page-lock',
  PageUnlocked: 'unlock-wake',
  ThreadWoke: 'unlock-wake',
  WaiterQueued: 'unlock-wake',
  WaiterQueuedRefDropped: 'unlock-wake',
  PtlAcquired: 'ptl',
  PtlReleased: 'ptl',
  PteCleared: 'pte-write',
  MigrationEntryInstalled: 'pte-write',
  MigrationEntryRemoved: 'pte-write',
  PteMoved: 'pte-write',
  TlbFlushed: 'pte-write',
  PteRead: 'read',
  PteReadLockless: 'read',
  UserAccess: 'read',
  Loaded: 'read',
  Observed: 'read',
  MapcountRead: 'read',
  RefTaken: 'refcount',
  RefDropped: 'refcount',
  RefTryGet: 'refcount',
  RefcountChecked: 'refcount',
  RefFrozen: 'refcount',
  RefFreezeFailed: 'refcount',
  RefUnfrozen: 'refcount',
  BugOnChecked: 'bug',
  VmBugOnChecked: 'bug',
};

export function categoryOf(kind: string): Category {
  return BY_KIND[kind] ?? 'other';
}
