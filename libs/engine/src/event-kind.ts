import { OPS, PageFlag, type OpName } from '@mmreplay/model';
import type { StateDelta } from './step-event.js';

const fixed: Partial<Record<OpName, string>> = {
  unlock_page: 'PageUnlocked',
  waitq_add: 'WaiterQueued',
  put_and_wait: 'WaiterQueuedRefDropped',
  sleep: 'ThreadWoke',
  ptl_lock: 'PtlAcquired',
  ptl_unlock: 'PtlReleased',
  pte_read: 'PteRead',
  pte_read_lockless: 'PteReadLockless',
  hw_access: 'UserAccess',
  pte_clear: 'PteCleared',
  tlb_flush: 'TlbFlushed',
  set_migration_pte: 'MigrationEntryInstalled',
  set_present_pte: 'MigrationEntryRemoved',
  pte_move: 'PteMoved',
  get_page: 'RefTaken',
  put_page: 'RefDropped',
  try_get_page: 'RefTryGet',
  ref_check: 'RefcountChecked',
  ref_unfreeze: 'RefUnfrozen',
  rmap_add: 'RmapAdded',
  rmap_remove: 'RmapRemoved',
  page_mapped: 'MapcountRead',
  rmap_lock: 'RmapLocked',
  rmap_unlock: 'RmapUnlocked',
  rmap_next: 'RmapWalkStep',
  vma_set: 'VmaUpdated',
  alloc_page: 'PageAllocated',
  migrate_mapping: 'MappingMigrated',
  migrate_result: 'MigrationAttempted',
  check_locked: 'BugOnChecked',
  check_locked_loaded: 'BugOnChecked',
  vm_bug_on_mapped: 'VmBugOnChecked',
  load: 'Loaded',
  store: 'Stored',
  fence: 'Fence',
  load_var: 'Loaded',
  store_var: 'Stored',
  observe: 'Observed',
  exit: 'ThreadExited',
  compound_head: 'CompoundHeadRead',
  tlb_flush_batched: 'TlbFlushed',
  pte_copy: 'PteCopied',
};

/** The event type of a step, from its op and what it changed. */
export function eventKind(op: OpName, deltas: readonly StateDelta[]): string {
  const k = fixed[op];
  if (k) return k;
  const lockedNow = deltas.some((d) => d.field === 'flags' && (d.after & PageFlag.locked) !== 0 && (d.before & PageFlag.locked) === 0);
  switch (op) {
    case 'trylock_page':
      return lockedNow ? 'PageLocked' : 'PageTrylockFailed';
    case 'lock_page':
      return lockedNow ? 'PageLocked' : 'LockWaitQueued';
    case 'ref_freeze':
      return deltas.some((d) => d.field === 'frozen' && d.after !== 0) ? 'RefFrozen' : 'RefFreezeFailed';
    default:
      return OPS[op] ? op : 'Step';
  }
}
