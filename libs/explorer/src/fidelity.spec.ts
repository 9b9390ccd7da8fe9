import { describe, expect, it } from 'vitest';
import { INVARIANTS, resolveModel, type InvariantInfo, type ResolveRequest } from '@mmreplay/model';
import { explore } from './explorer.js';

// Issue 19: verdicts the kernel cannot produce, and invariants that are not what the kernel asserts.
const audit = (req: ResolveRequest) => explore(resolveModel(req).world);

describe('destination pages come from a pool of free pages (get_new_page)', () => {
  it('seed wait-pre, ptes=1 faults=1 rounds=2: no use-after-free (the old page a waiter still pins is never handed out again)', () => {
    const r = audit({ scenario: 'seed', params: { ptes: 1, faults: 1, rounds: 2 }, variant: 'wait-pre' });
    expect(r.counterexample?.message ?? null).toBeNull();
    expect(r.verdict).toBe('holds');
  });

  it('a real use-after-free still shows: a pre-ffa65753c431 waiter that waits with no reference after dropping the PTL (3c226c637b69 in PTE form)', () => {
    const r = audit({
      scenario: 'seed',
      params: { ptes: 1, faults: 1 },
      variant: {
        base: 'wait-pre',
        patches: [
          { op: 'replace', path: 'handle_mm_fault', step: 'F3.get_page_unless_zero', steps: [{ label: 'F3.no_ref', op: 'mov', args: ['ok', 1] }] },
          { op: 'replace', path: 'handle_mm_fault', step: 'F4.put_and_wait', steps: [{ label: 'F4.wait_no_ref', op: 'waitq_add', args: ['page'] }] },
        ],
      },
      invariants: ['use-after-free'],
    });
    expect(r.verdict).toBe('violated');
    expect(r.counterexample?.invariant).toBe('use-after-free');
    expect(r.counterexample?.message).toMatch(/freed page P/);
  });
});

describe('invariants say what backs them', () => {
  it('every invariant is a kernel assertion with its source line, or a protocol invariant with its argument', () => {
    for (const i of INVARIANTS as readonly InvariantInfo[]) {
      if (i.class === 'kernel-assertion') expect(i.source?.line, i.name).toMatch(/BUG_ON|WARN_ON/);
      else expect(i.argument?.length ?? 0, i.name).toBeGreaterThan(40);
    }
    const byClass = (c: string) => INVARIANTS.filter((i) => i.class === c).map((i) => i.name);
    expect(byClass('kernel-assertion')).toEqual(['bug-on', 'split-unmapped', 'use-after-free']);
    expect(byClass('protocol')).toEqual(expect.arrayContaining(['I1', 'I3', 'I6', 'I7', 'I9', 'waiter-ref', 'migration-progress']));
  });

  it("waiter-ref holds for ffa65753c431's own design: waiting on a frozen folio, without a reference, under the PTL", () => {
    // c3 migrates a file page: folio_ref_freeze leaves it at refcount 0 while a fault may queue on it.
    const r = audit({ scenario: 'seed', params: { ptes: 2, faults: 2 }, invariants: ['waiter-ref', 'bug-on'] });
    expect(r.verdict).toBe('holds');
    expect(audit({ scenario: 'c3-remap-file-pages', invariants: ['waiter-ref', 'bug-on'] }).verdict).toBe('holds');
    expect(audit({ scenario: 'c10-device-private', invariants: ['waiter-ref'] }).verdict).toBe('holds');
  });

  it('waiter-ref catches a waiter that queues without a reference after dropping the PTL (3c226c637b69)', () => {
    const r = audit({
      scenario: 'seed',
      params: { ptes: 1, faults: 1 },
      variant: { patches: [{ op: 'move', path: 'handle_mm_fault', step: 'F4.spin_unlock_ptl', before: 'F4.folio_set_waiters' }] },
      invariants: ['waiter-ref'],
    });
    expect(r.counterexample?.invariant).toBe('waiter-ref');
  });

  it("migration-progress does not flag the kernel's normal give-up: seed wait-pre with fewer passes than the kernel's 10 stops at the bound", () => {
    const r = audit({ scenario: 'seed', params: { ptes: 1, faults: 1, passes: 3 }, variant: 'wait-pre', invariants: ['migration-progress'] });
    expect(r.verdict).toBe('holds');
  });

  it("the scenarios migrate with the kernel's 10 passes by default", () => {
    for (const s of ['seed', 'c1-exec-stack', 'c3-remap-file-pages', 'c8-shmem-refcount']) {
      expect(resolveModel({ scenario: s }).world.params.passes, s).toBe(10);
    }
  });
});
