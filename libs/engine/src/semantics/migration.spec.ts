import { describe, expect, it } from 'vitest';
import { PAGE_WIDTH, PageField, PageFlag, makeMigrationFrom, makePresent, mappingKinds, resolveModel, type InvariantName } from '@mmreplay/model';
import { Machine } from '../machine.js';
import { allocPage, checkLocked, compoundHead, migrateMapping, migrateResult, vmBugOnMapped } from './migration.js';

// The migration bookkeeping (semantics/migration.ts) step by step on the state vector, field by
// field (issue 20): the seeded runs of runs.golden.spec reach these steps, but mostly with the
// page a register names being its own head, the preferred page free, or an unmapped page, so a
// changed offset or a dropped check kept the run's digest.

const INVARIANTS: InvariantName[] = ['migration-progress', 'bug-on', 'split-unmapped'];

/** A machine over a catalogue world with the invariants these steps check, its initial state and thread 0's register 0. */
function setUp(scenario: string) {
  const { world } = resolveModel({ scenario });
  const m = new Machine({ ...world, invariants: INVARIANTS });
  const s = m.initialState();
  return { m, s, R: m.layout.reg(0, 0), page: (name: string) => world.pages.findIndex((p) => p.name === name) };
}

/** The machine's violation, read afresh (not narrowed by an assignment of null before it). */
const violation = (m: Machine) => m.violation;
const field = (m: Machine, s: Int32Array, pi: number, f: number) => s[m.layout.pages + pi * PAGE_WIDTH + f];
const pageFields = (m: Machine, s: Int32Array, pi: number) => Array.from(s.subarray(m.layout.pages + pi * PAGE_WIDTH, m.layout.pages + (pi + 1) * PAGE_WIDTH));

describe('allocPage (get_new_page)', () => {
  it('hands out the preferred page when free, else the lowest free one, else -1; the page is fresh and nothing else moves', () => {
    const { m, s, R, page } = setUp('c10-device-private');
    const [D, R0, R1] = [page('D'), page('R0'), page('R1')];
    // dirty the free pages' fields, so that a field left alone shows
    for (const pi of [R0, R1]) {
      const base = m.layout.pages + pi * PAGE_WIDTH;
      s[base + PageField.flags] = PageFlag.freed | PageFlag.locked | PageFlag.waiters;
      s[base + PageField.owner] = 9;
      s[base + PageField.ref] = 7;
      s[base + PageField.map] = 5;
      s[base + PageField.mapping] = 3;
      s[base + PageField.head] = D;
    }
    // preferred R1 free: R1, not the lower R0
    s[R + 2] = R1;
    let before = Int32Array.from(s);
    expect(allocPage(m, s, R, 2)).toBe(true);
    expect(s[R + 2]).toBe(R1);
    expect(pageFields(m, s, R1)).toEqual([0, 0, 1, 0, 0, R1, field(m, before, R1, PageField.frozen)]);
    const changed = (a: Int32Array, b: Int32Array) => [...a.keys()].filter((i) => a[i] !== b[i]);
    const base1 = m.layout.pages + R1 * PAGE_WIDTH;
    expect(changed(before, s).every((i) => i >= base1 && i < base1 + PAGE_WIDTH)).toBe(true);
    // preferred D (page 0) is not free: the lowest free page, R0
    s[R + 3] = D;
    before = Int32Array.from(s);
    expect(allocPage(m, s, R, 3)).toBe(true);
    expect(s[R + 3]).toBe(R0);
    expect(pageFields(m, s, R0).slice(0, 6)).toEqual([0, 0, 1, 0, 0, R0]);
    expect(pageFields(m, s, D)).toEqual(pageFields(m, before, D));
    // preferred -1 (none): the lowest free page; none free: -1, and no page changes
    s[m.layout.pages + R0 * PAGE_WIDTH + PageField.flags] = PageFlag.freed;
    s[R + 4] = -1;
    expect(allocPage(m, s, R, 4)).toBe(true);
    expect(s[R + 4]).toBe(R0);
    s[R + 5] = 0;
    // the slot after the last page (the first VMA's start) is no page, even when it looks freed
    s[m.layout.vmas] = 24;
    expect(s[m.layout.vmas] & PageFlag.freed).not.toBe(0);
    expect(m.layout.vmas).toBe(m.layout.pages + 3 * PAGE_WIDTH);
    before = Int32Array.from(s);
    expect(allocPage(m, s, R, 5)).toBe(true);
    expect(s[R + 5]).toBe(-1);
    expect(changed(before, s)).toEqual([R + 5]);
  });

  it('takes page 0 when it is the preferred free page', () => {
    const { m, s, R, page } = setUp('c10-device-private');
    const D = page('D');
    s[m.layout.pages + D * PAGE_WIDTH + PageField.flags] = PageFlag.freed;
    s[R + 1] = page('R1');
    allocPage(m, s, R, 1);
    expect(s[R + 1]).toBe(page('R1'));
    // page 0 is set up like any other (its fields were D's, mapped, referenced)
    s[R + 1] = D;
    allocPage(m, s, R, 1);
    expect(s[R + 1]).toBe(D);
    expect(pageFields(m, s, D).slice(0, 6)).toEqual([0, 0, 1, 0, 0, D]);
  });
});

describe('migrateMapping (folio_migrate_mapping)', () => {
  it('copies the mapping from the page src names to the page dst names; a device page becomes anon; a page-cache mapping brings its reference', () => {
    const { m, s, R, page } = setUp('c10-device-private');
    const [D, R0, R1] = [page('D'), page('R0'), page('R1')];
    const set = (pi: number, f: number, v: number) => (s[m.layout.pages + pi * PAGE_WIDTH + f] = v);
    set(R0, PageField.ref, 1);
    set(R1, PageField.ref, 1);
    // registers 2 and 3, so that an offset from R the wrong way reads other slots
    s[R + 2] = D;
    s[R + 3] = R1;
    expect(migrateMapping(m, s, R, 2, 3)).toBe(true);
    expect(field(m, s, R1, PageField.mapping)).toBe(mappingKinds.indexOf('anon'));
    expect(field(m, s, R1, PageField.ref)).toBe(1);
    expect(field(m, s, D, PageField.mapping)).toBe(mappingKinds.indexOf('device'));
    // a file page: dst gets file and the page cache's reference
    set(R0, PageField.mapping, mappingKinds.indexOf('file'));
    s[R + 2] = R0;
    s[R + 3] = R1;
    migrateMapping(m, s, R, 2, 3);
    expect(field(m, s, R1, PageField.mapping)).toBe(mappingKinds.indexOf('file'));
    expect(field(m, s, R1, PageField.ref)).toBe(2);
    expect(field(m, s, R0, PageField.ref)).toBe(1);
  });
});

describe('migrateResult, checkLocked, vmBugOnMapped', () => {
  it('migrateResult: 2 is migration-progress naming the page, 3 and others are no violation', () => {
    const { m, s, R, page } = setUp('c10-device-private');
    s[R + 4] = page('R1');
    expect(migrateResult(m, s, 0, R, 4, 3)).toBe(true);
    expect(migrateResult(m, s, 0, R, 4, 1)).toBe(true);
    expect(m.violation).toBeNull();
    expect(migrateResult(m, s, 0, R, 4, 2)).toBe(false);
    expect(m.violation?.invariant).toBe('migration-progress');
    expect(m.violation?.message).toMatch(/: gave up migrating R1: all \d+ passes failed$/);
  });

  it('checkLocked: a migration entry of a tail page needs its head locked; other entries pass', () => {
    const { m, s, R, page } = setUp('c11-split-order');
    const [H, t1] = [page('H'), page('t1')];
    const flags = m.layout.pages + H * PAGE_WIDTH + PageField.flags;
    s[R + 3] = makeMigrationFrom(makePresent(t1, true), t1);
    s[flags] |= PageFlag.locked;
    expect(checkLocked(m, s, 0, R, 3)).toBe(true);
    // the tail's own bit does not count
    s[flags] &= ~PageFlag.locked;
    s[m.layout.pages + t1 * PAGE_WIDTH + PageField.flags] |= PageFlag.locked;
    expect(checkLocked(m, s, 0, R, 3)).toBe(false);
    expect(m.violation?.invariant).toBe('bug-on');
    expect(m.violation?.message).toContain('points to unlocked page H');
    // a head other than page 0 (the state's head field is what counts, not the world's)
    m.violation = null;
    s[m.layout.pages + t1 * PAGE_WIDTH + PageField.head] = page('t2');
    s[m.layout.pages + page('t2') * PAGE_WIDTH + PageField.flags] |= PageFlag.locked;
    expect(checkLocked(m, s, 0, R, 3)).toBe(true);
    s[m.layout.pages + page('t2') * PAGE_WIDTH + PageField.flags] &= ~PageFlag.locked;
    expect(checkLocked(m, s, 0, R, 3)).toBe(false);
    expect(violation(m)?.message).toContain('points to unlocked page t2');
    // a present PTE is no migration entry, whatever the locks
    m.violation = null;
    s[R + 3] = makePresent(t1, true);
    expect(checkLocked(m, s, 0, R, 3)).toBe(true);
    expect(m.violation).toBeNull();
  });

  it('vmBugOnMapped: split-unmapped while the page the register names is mapped', () => {
    const { m, s, R, page } = setUp('c11-split-order');
    const t2 = page('t2');
    s[R + 5] = t2;
    const map = m.layout.pages + t2 * PAGE_WIDTH + PageField.map;
    s[map] = 0;
    expect(vmBugOnMapped(m, s, 0, R, 5)).toBe(true);
    s[map] = -1;
    expect(vmBugOnMapped(m, s, 0, R, 5)).toBe(true);
    s[map] = 1;
    expect(vmBugOnMapped(m, s, 0, R, 5)).toBe(false);
    expect(m.violation?.message).toContain('VM_BUG_ON_PAGE(!unmap_success): t2 is still mapped');
  });

  it('compoundHead: the head of the page a register names, into another register', () => {
    const { m, s, R, page } = setUp('c11-split-order');
    const [H, t3] = [page('H'), page('t3')];
    s[R + 4] = t3;
    s[R + 6] = -5;
    expect(compoundHead(m, s, R, 6, 4)).toBe(true);
    expect(s[R + 6]).toBe(H);
    expect(s[R + 4]).toBe(t3);
    // the head is what the page's head field says (here not page 0)
    s[m.layout.pages + t3 * PAGE_WIDTH + PageField.head] = page('t2');
    compoundHead(m, s, R, 6, 4);
    expect(s[R + 6]).toBe(page('t2'));
  });
});
