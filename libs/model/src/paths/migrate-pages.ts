import { KernelPath } from '../builder.js';
import { KERNEL_MIGRATE_PASSES } from '../invariants.js';
import type { PathDef } from '../program.js';
import { removeMigrationPtes, tryToMigrate } from './remove-migration-ptes.js';

export interface MigrateOptions {
  /** v5: __unmap_and_move (v5.15); v6batch: migrate_folio_unmap + migrate_folio_move (v6.7) */
  readonly version: 'v5' | 'v6batch';
  /**
   * v6batch only: MIGRATE_ASYNC passes TTU_BATCH_FLUSH (clear under the PTL, one
   * try_to_unmap_flush() after the whole batch); MIGRATE_SYNC passes 0 (ptep_clear_flush per PTE).
   * v5.15's unmap_and_move always calls try_to_migrate(page, 0).
   */
  readonly mode?: 'sync' | 'async';
  /** clear-flush-set: ptep_clear_flush then the entry; clear-set-flush: the flush comes last */
  readonly installOrder: 'clear-flush-set' | 'clear-set-flush';
  /** anon pages compare the refcount; pages with a mapping freeze it under the xarray lock */
  readonly mapping: 'anon' | 'mapping';
  readonly passes: number;
  /** the page is migrated back and forth this many times */
  readonly rounds: number;
  readonly walkFlags: number;
  readonly rmapLocks: boolean;
}

const REGS = {
  src: 'page',
  dst: 'page',
  target: 'page',
  ok: 'int',
  seen: 'vmaset',
  vma: 'vma',
  pte: 'pte',
  old: 'pteval',
  pass: 'int',
  round: 'int',
} as const;

export function migratePages(o: MigrateOptions): PathDef {
  return o.version === 'v5' ? migrateV5(o) : migrateV6(o);
}

/** migrate_pages -> unmap_and_move -> __unmap_and_move, as in v5.15 (reference §1a). */
function migrateV5(o: MigrateOptions): PathDef {
  const v = 'v5.15';
  const k = new KernelPath('migrate_pages', 'Migration (v5.15 __unmap_and_move)', REGS);
  k.at('mm/migrate.c', 'unmap_and_move', v);
  k.mov('round', 0, 'migrate_pages');
  k.get_new_page('U1.get_new_page', 'dst', 'src');
  k.beq('dst', -1, 'U1.enomem');
  k.mov('pass', 0, 'U1.first_pass');
  k.at('mm/migrate.c', '__unmap_and_move', v);
  k.folio_trylock('U2.trylock_page', 'src', 'ok');
  k.bne('ok', 0, 'U2.locked', 'U2.contended');
  // force = pass > 2: the first passes give up on a contended page lock.
  k.blt('pass', 3, 'U14.eagain', 'U2.force');
  k.folio_lock('U2.lock_page', 'src');
  k.nop('U2.locked');
  k.folio_trylock('U5.trylock_newpage', 'dst', 'ok');
  k.beq('ok', 0, 'U5.out_unlock');
  unmapAndRestore(k, o, v, 'U10.start');
  k.at('mm/migrate.c', '__unmap_and_move', v);
  k.folio_unlock('U11.unlock_newpage', 'dst');
  k.folio_unlock('U12.unlock_page', 'src');
  k.goto('U13.check');
  // "We used to have a BUG here if trylock_page(newpage) fails": out_unlock, -EAGAIN.
  k.folio_unlock('U5.out_unlock', 'src');
  k.copy('target', 'src');
  return finish(k, o, v);
}

/** migrate_pages_batch: migrate_folio_unmap once, then migrate_folio_move passes (reference §1b). */
function migrateV6(o: MigrateOptions): PathDef {
  const v = 'v6.7';
  const k = new KernelPath('migrate_pages', 'Migration (v6.7 migrate_folio_unmap / migrate_folio_move)', REGS);
  k.at('mm/migrate.c', 'migrate_pages_batch', v);
  k.mov('round', 0, 'migrate_pages');
  k.at('mm/migrate.c', 'migrate_folio_unmap', v);
  k.get_new_page('U1.get_new_page', 'dst', 'src');
  k.beq('dst', -1, 'U1.enomem');
  k.mov('pass', 0, 'U1.first_pass');
  k.folio_trylock('U2.trylock_page', 'src', 'ok');
  k.bne('ok', 0, 'U2.locked', 'U2.contended');
  k.folio_lock('U2.lock_page', 'src');
  k.nop('U2.locked');
  k.at('mm/migrate.c', 'migrate_folio_unmap', v);
  k.folio_trylock('U5.trylock_newpage', 'dst', 'ok');
  k.beq('ok', 0, 'U5.out_unlock');
  unmapAndRestore(k, o, v, 'U10.start');
  k.at('mm/migrate.c', 'migrate_folio_move', v);
  k.folio_unlock('U11.unlock_newpage', 'dst');
  k.folio_unlock('U12.unlock_page', 'src');
  // migrate_folio_move already retried the move nr_pass times: a failure here is final.
  k.bsame('target', 'dst', 'U13.migrated', 'U13.rc');
  k.mov('pass', o.passes);
  k.goto('U14.eagain');
  // migrate_folio_unmap: a failed trylock of dst is -EAGAIN for this pass ("goto out").
  k.at('mm/migrate.c', 'migrate_folio_unmap', v);
  k.folio_unlock('U5.out_unlock', 'src');
  k.copy('target', 'src');
  k.goto('U13.check');
  return finish(k, o, v);
}

/**
 * try_to_migrate, move_to_new_page and remove_migration_ptes. On return `target` is dst when the
 * page moved and src when the move failed (the entries are restored to src either way).
 */
function unmapAndRestore(k: KernelPath, o: MigrateOptions, v: string, restore: string): void {
  const batch = o.version === 'v6batch';
  if (o.rmapLocks) k.rmap_lock('U8.rmap_lock', 'src', false);
  // Migration passes no TTU_SYNC: page_vma_mapped_walk skips a PTE that reads none without the PTL.
  // v6 MIGRATE_ASYNC defers the flush (TTU_BATCH_FLUSH) to try_to_unmap_flush() after the batch.
  const deferred = batch && o.mode === 'async';
  tryToMigrate(k, 'U8', { order: deferred ? 'clear-set' : batch ? 'clear-flush-set' : o.installOrder, sync: false, walkFlags: o.walkFlags, version: v });
  if (o.rmapLocks) k.rmap_unlock('U8.rmap_unlock', 'src', false);
  if (deferred) {
    k.at('mm/migrate.c', 'migrate_pages_batch', v);
    k.try_to_unmap_flush('U8.try_to_unmap_flush');
  }
  k.at('mm/migrate.c', batch ? 'migrate_folio_unmap' : '__unmap_and_move', v);
  k.copy('target', 'src', 'U9.rc_eagain');
  k.folio_mapped('U9.page_mapped', 'src', 'ok');
  k.bne('ok', 0, restore);
  // v6: -EAGAIN from the move keeps the folio locked with its entries and tries again.
  k.nop('U9.move');
  // v5.15: migrate_page_move_mapping on pages; v6.7: folio_migrate_mapping on folios.
  k.at('mm/migrate.c', batch ? 'folio_migrate_mapping' : 'migrate_page_move_mapping', v);
  const ref = batch ? 'folio_ref' : 'page_ref';
  if (o.mapping === 'anon') {
    k.folio_ref_check(batch ? 'U9.folio_ref_count' : 'U9.page_count', 'src', 0, 'ok');
    k.beq('ok', 0, 'U9.move_eagain');
    k.folio_migrate_mapping('U9.migrate_mapping', 'src', 'dst');
  } else {
    k.folio_ref_freeze(`U9.${ref}_freeze`, 'src', 0, 'ok');
    k.beq('ok', 0, 'U9.move_eagain');
    k.folio_migrate_mapping('U9.xas_store', 'src', 'dst');
    k.folio_ref_unfreeze(`U9.${ref}_unfreeze`, 'src', 1);
  }
  k.copy('target', 'dst', 'U9.rc_success');
  k.goto(restore);
  k.nop('U9.move_eagain');
  if (batch) {
    k.add('pass', 1);
    k.blt('pass', o.passes, 'U9.move');
  }
  k.nop(restore);
  if (o.rmapLocks) k.rmap_lock('U10.rmap_lock', 'src', false);
  removeMigrationPtes(k, 'U10', v, o.walkFlags);
  if (o.rmapLocks) k.rmap_unlock('U10.rmap_unlock', 'src', false);
}

/**
 * After the locks are dropped: success drops the isolation reference of the old page and puts the
 * new one on the LRU; -EAGAIN retries up to `passes` times, then gives up (putback).
 */
function finish(k: KernelPath, o: MigrateOptions, v: string): PathDef {
  k.at('mm/migrate.c', v === 'v5.15' ? 'unmap_and_move' : 'migrate_pages_batch', v);
  k.bsame('target', 'src', 'U14.eagain', 'U13.check');
  k.migrate_result('U13.migrated', 'src', 1);
  k.folio_put('U13.put_page', 'src');
  k.folio_put('U13.putback_newpage', 'dst');
  k.add('round', 1);
  k.beq('round', o.rounds, 'migrate_pages.done');
  // Migrate the page back: the new page is isolated; get_new_page picks the next destination
  // from the free pages, the old one only if nobody references it any more.
  k.swap('src', 'dst');
  k.folio_get('U13.isolate_lru_page', 'src');
  k.goto('U1.get_new_page');
  k.migrate_result('U14.eagain', 'src', 0);
  k.add('pass', 1);
  k.blt('pass', o.passes, 'U2.trylock_page');
  k.migrate_result('U14.give_up', 'src', o.passes >= KERNEL_MIGRATE_PASSES ? 2 : 3);
  k.folio_put('U14.putback_lru_page', 'src');
  k.folio_put('U14.put_new_page', 'dst');
  k.goto('migrate_pages.done');
  // get_new_page found no free page: -ENOMEM ends migrate_pages; the page goes back to the LRU.
  k.folio_put('U1.enomem', 'src');
  k.done('migrate_pages.done');
  return k.build();
}
