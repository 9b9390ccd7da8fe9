import { describe, expect, it } from 'vitest';
import { KernelPath, PAGE_WIDTH, PageField, type PathDef, type World } from '@mmreplay/model';
import { Machine } from './machine.js';
import { ProgramFaultError } from './errors.js';

// Machine.execute on one-thread worlds (issue 20, mutation batch `exec`): the refusal of an
// instruction on a register that names no object, and steps that the seeded runs of
// runs.golden.spec reach without the outcome they check (a migration given up).

function world(body: (k: KernelPath) => void, args: Record<string, string | number> = {}, invariants: string[] = ['migration-progress']): World {
  const k = new KernelPath('T', 'T', { x: 'int', page: 'page', other: 'page' }).at('mm/migrate.c', 'fn', 'v6.8');
  body(k);
  const path: PathDef = k.build();
  return {
    scenario: 'test',
    params: {},
    memoryModel: 'sc',
    rmapOrder: 'fixed',
    pages: [
      { name: 'P', ref: 1, map: 0, mapping: 'anon', index: 0 },
      { name: 'Q', ref: 1, map: 0, mapping: 'anon', index: 1 },
    ],
    vmas: [],
    ptes: [],
    ptls: [],
    threads: [{ name: 'T', path: 'T', args }],
    paths: { T: path },
    invariants,
    symmetry: [],
  };
}

describe('Machine.execute', () => {
  it('refuses an instruction on a register that names no object (get_new_page found no free page), naming thread, label, op and register', () => {
    for (const reg of ['page', 'other'] as const) {
      const w = world((k) => (k.get_new_page('alloc', reg, 'x'), k.folio_get('get', reg)), { page: 'P', other: 'Q' });
      const m = new Machine(w);
      const s = m.initialState();
      expect(m.step(s, 0)).toBe(true);
      expect(
        s[
          m.layout.reg(
            0,
            w.paths.T.regs.findIndex((r) => r.name === reg),
          )
        ],
      ).toBe(-1);
      const at = Int32Array.from(s);
      expect(() => m.step(s, 0)).toThrow(ProgramFaultError);
      expect(() => m.step(Int32Array.from(at), 0)).toThrow(`thread T at get: get_page on register ${reg}, which names no object`);
    }
    // an instruction on two registers, the first of them naming no object
    const two = world((k) => (k.get_new_page('alloc', 'page', 'x'), k.folio_migrate_mapping('mm', 'page', 'other')), { page: 'P', other: 'Q' });
    const m2 = new Machine(two);
    const s2 = m2.initialState();
    m2.step(s2, 0);
    expect(() => m2.step(s2, 0)).toThrow('thread T at mm: migrate_mapping on register page, which names no object');
    // a register that names a page: no fault, the page referenced once more
    const w = world((k) => (k.folio_get('g1', 'page'), k.folio_get('g2', 'other')), { page: 'P', other: 'Q' });
    const m = new Machine(w);
    const s = m.initialState();
    expect(m.step(s, 0)).toBe(true);
    expect(m.step(s, 0)).toBe(true);
    expect(s[m.layout.pages + PAGE_WIDTH + PageField.ref]).toBe(2);
  });

  it('migrate_result 2 is migration-progress, 3 is none', () => {
    for (const [result, ok] of [
      [2, false],
      [3, true],
    ] as const) {
      const m = new Machine(world((k) => k.migrate_result('r', 'page', result), { page: 'P' }));
      const s = m.initialState();
      expect(m.step(s, 0)).toBe(ok);
      expect(m.violation?.invariant ?? null).toBe(ok ? null : 'migration-progress');
    }
  });
});
