import { describe, expect, it } from 'vitest';
import { categoryOf } from './kinds';
import { changedSet, objectRef, viewChanges } from './changes';
import { sourceUrl } from './citation';

describe('step categories', () => {
  it('colours the protocol steps a reviewer looks for', () => {
    expect(categoryOf('PageLocked')).toBe('page-lock');
    expect(categoryOf('PageUnlocked')).toBe('unlock-wake');
    expect(categoryOf('PtlAcquired')).toBe('ptl');
    expect(categoryOf('MigrationEntryInstalled')).toBe('pte-write');
    expect(categoryOf('PteReadLockless')).toBe('read');
    expect(categoryOf('RefDropped')).toBe('refcount');
    expect(categoryOf('BugOnChecked')).toBe('bug');
    expect(categoryOf('RmapWalkStep')).toBe('other');
  });
});

describe('changed paths', () => {
  it('marks the object and the field that changed, not its neighbours', () => {
    const set = changedSet([{ path: 'pages.P.locked' }, { path: 'threads.flt0.regs.ok' }]);
    expect([...set].sort()).toEqual(['pages.P', 'pages.P.locked', 'threads.flt0', 'threads.flt0.regs', 'threads.flt0.regs.ok']);
    expect(set.has('pages.Q')).toBe(false);
    expect(set.has('pages')).toBe(false);
  });
  it('compares two views field by field, arrays whole', () => {
    const a = { pages: { P: { locked: true, waitQueue: [] } }, threads: { flt0: { pc: 5, at: { label: 'F3' } } } };
    const b = { pages: { P: { locked: false, waitQueue: [] } }, threads: { flt0: { pc: 7, at: { label: 'F4' } } } };
    expect(viewChanges(a, b).map((c) => c.path)).toEqual(['pages.P.locked', 'threads.flt0.pc', 'threads.flt0.at.label']);
    expect(viewChanges(a, structuredClone(a))).toEqual([]);
    expect(viewChanges({ q: ['a'] }, { q: ['a', 'b'] })).toEqual([{ path: 'q' }]);
  });
  it('names objects as the history and deep links do', () => {
    expect(objectRef('ptes', 'e0')).toBe('pte:e0');
    expect(objectRef('pages', 'P')).toBe('page:P');
  });
});

describe('kernel citations', () => {
  it('links the cited file at the cited version', () => {
    expect(sourceUrl({ fn: 'migration_entry_wait', file: 'mm/migrate.c', version: 'v6.6' })).toBe('https://elixir.bootlin.com/linux/v6.6/source/mm/migrate.c');
    expect(sourceUrl({ fn: 'f', file: 'mm/filemap.c', version: '5.15' })).toBe('https://elixir.bootlin.com/linux/v5.15/source/mm/filemap.c');
  });
});
