import type { StepRecorded } from '@mmreplay/events';
import { formatField, type RunModel } from '@mmreplay/projections';
import { PageFlag, WaitFlag } from '@mmreplay/model';

// One step as the line a kernel developer writes in an interleaving diagram: what the action did
// to the objects that matter (`P locked`, `e0 = migration(P,write)`, `ptl unlocked`).

const arg = (e: StepRecorded, i: number): string => {
  const v = Object.values(e.args)[i];
  return v === undefined ? '?' : String(v);
};

function delta(e: StepRecorded, object: string, field: string) {
  return e.deltas.find((d) => d.object === object && d.field === field);
}

/** The PTL of the PTE named by the step's first operand. */
function ptlOf(model: RunModel, e: StepRecorded): string {
  const pte = model.world.ptes.find((p) => p.name === arg(e, 0));
  return pte?.ptl ?? 'ptl';
}

/** Threads an unlock woke: their wait entries turned WOKEN in this step. */
function woken(e: StepRecorded): string[] {
  return e.deltas
    .filter((d) => d.object.startsWith('thread:') && d.field === 'waitFlags' && (d.after & WaitFlag.woken) !== 0 && (d.before & WaitFlag.woken) === 0)
    .map((d) => d.object.slice('thread:'.length));
}

export function describeStep(model: RunModel, e: StepRecorded): string {
  const a0 = arg(e, 0);
  const pteChange = e.deltas.find((d) => d.object.startsWith('pte:') && d.field === 'entry');
  const pteAfter = pteChange ? String(formatField(model, pteChange.object, pteChange.field, pteChange.after)) : undefined;
  const ref = (page: string) => {
    const d = delta(e, `page:${page}`, 'ref');
    return d ? ` (ref ${d.after})` : '';
  };
  switch (e.op) {
    case 'trylock_page':
      return e.kind === 'PageLocked' ? `${a0} locked (trylock)` : `${a0} trylock failed`;
    case 'lock_page':
      return e.kind === 'PageLocked' ? `${a0} locked` : `${a0} contended: sleeps`;
    case 'unlock_page': {
      const w = woken(e);
      return `${a0} unlocked${w.length ? `, wakes ${w.join(',')}` : ''}`;
    }
    case 'waitq_add':
      return `waits on ${a0}${delta(e, `thread:${e.thread}`, 'waitFlags')?.after === WaitFlag.woken ? ' (already unlocked)' : ''}`;
    case 'put_and_wait':
      return `put and wait on ${a0}${ref(a0)}`;
    case 'sleep':
      return 'woken';
    case 'ptl_lock':
      return `${ptlOf(model, e)} locked [${a0}]`;
    case 'ptl_unlock':
      return `${ptlOf(model, e)} unlocked`;
    case 'pte_read':
      return `${a0} = ${arg(e, 1)}`;
    case 'pte_read_lockless':
      return `${a0} = ${arg(e, 1)} (lockless)`;
    case 'hw_access':
      return `access ${a0} -> ${arg(e, 1)}`;
    case 'pte_clear':
      return `${a0} cleared (was ${arg(e, 1)})`;
    case 'tlb_flush':
      return `flush TLB of ${a0}`;
    case 'set_migration_pte':
    case 'set_present_pte':
      return `${a0} := ${pteAfter ?? '?'}`;
    case 'pte_move':
      return `${a0} moved to ${arg(e, 1)}`;
    case 'pte_copy':
      return `${arg(e, 1)} := ${pteAfter ?? '?'} (copied from ${a0})`;
    case 'tlb_flush_batched':
      return 'try_to_unmap_flush: flush the batched TLB entries';
    case 'compound_head':
      return `compound_head -> ${a0}`;
    case 'get_page':
      return `get ${a0}${ref(a0)}`;
    case 'put_page': {
      const freed = e.deltas.some((d) => d.object === `page:${a0}` && d.field === 'flags' && (d.after & PageFlag.freed) !== 0 && (d.before & PageFlag.freed) === 0);
      return `put ${a0}${ref(a0)}${freed ? ' freed' : ''}`;
    }
    case 'try_get_page':
      return `try_get ${a0}: ${arg(e, 1) === '1' ? 'ok' : 'failed'}${ref(a0)}`;
    case 'ref_check':
      return `refcount of ${a0} ${arg(e, 1) === '1' ? 'as expected' : 'unexpected: -EAGAIN'}`;
    case 'ref_freeze':
      return e.kind === 'RefFrozen' ? `${a0} refcount frozen` : `${a0} freeze failed: -EAGAIN`;
    case 'ref_unfreeze':
      return `${a0} unfrozen${ref(a0)}`;
    case 'rmap_add':
    case 'rmap_remove': {
      const d = delta(e, `page:${a0}`, 'map');
      return `${a0} mapcount ${d ? d.after : '?'}`;
    }
    case 'page_mapped':
      return `${a0} mapped: ${arg(e, 1) === '1' ? 'yes' : 'no'}`;
    case 'rmap_lock':
    case 'rmap_unlock':
      return `rmap ${e.op === 'rmap_lock' ? 'locked' : 'unlocked'}`;
    case 'rmap_next':
      return e.deltas.some((d) => d.field.startsWith('reg.')) ? `walk -> ${arg(e, 2)} (${arg(e, 3)})` : 'walk done';
    case 'alloc_page':
      return `new page ${a0}`;
    case 'migrate_mapping':
      return `mapping ${a0} -> ${arg(e, 1)}`;
    case 'migrate_result':
      return e.label.includes('give_up') ? 'gives up' : e.label.includes('migrated') ? 'migrated' : '-EAGAIN';
    case 'check_locked':
    case 'check_locked_loaded': {
      // The BUG_ON of pfn_swap_entry_to_page(): only a migration entry's page must be locked.
      const page = /^migration\((\w+)/.exec(a0)?.[1];
      return page ? `BUG_ON(!PageLocked(${page}))?` : `${a0}: no check`;
    }
    case 'vm_bug_on_mapped':
      return `VM_BUG_ON_PAGE(!unmap_success, ${a0})`;
    default:
      return `${e.op}(${Object.values(e.args).join(', ')})`;
  }
}
