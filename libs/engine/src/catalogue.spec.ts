import { describe, expect, it } from 'vitest';
import { sample } from './test-helpers.js';

// Reference §5: each catalogue row's buggy variant breaks its invariant under sampling; the fixed
// protocol (the scenario's default) does not. Exhaustive verdicts are the explorer's tests.
// The livelocks (migration-progress) need all of the kernel's 10 passes to fail: PCT finds such
// a schedule, uniform random scheduling rarely does. The fixed protocols' "no violation" is a
// smoke test of the sampler (2,000 schedules of each kind): the explorer's exhaustive tests are
// what show they hold.
const rows: { scenario: string; buggy: string; invariant: string; only?: boolean; strategy?: 'pct' }[] = [
  // The stale entry outlives its page: I3 breaks when the page is freed, the BUG_ON when T_flt meets it.
  { scenario: 'c1-exec-stack', buggy: 'c1-exec-stack', invariant: 'I3' },
  { scenario: 'c1-exec-stack', buggy: 'c1-exec-stack', invariant: 'bug-on', only: true },
  { scenario: 'c3-remap-file-pages', buggy: 'c3-remap-file-pages', invariant: 'I3' },
  { scenario: 'c3-remap-file-pages', buggy: 'c3-remap-file-pages', invariant: 'bug-on', only: true },
  { scenario: 'c6-ttu-sync', buggy: 'c6-no-ttu-sync', invariant: 'split-unmapped' },
  { scenario: 'c8-shmem-refcount', buggy: 'c8-shmem-refcount', invariant: 'migration-progress', strategy: 'pct' },
  { scenario: 'c8-shmem-refcount', buggy: 'c9-reorder-tlb', invariant: 'migration-progress', strategy: 'pct' },
  { scenario: 'c10-device-private', buggy: 'c10-device-ref-first', invariant: 'migration-progress' },
];

describe('catalogue rows under sampling', () => {
  for (const row of rows) {
    it(`${row.buggy}: ${row.invariant} is violated within ${row.strategy ? '2,000 PCT' : '20,000 random'} schedules${row.only ? ' (auditing it alone)' : ''}`, () => {
      const invariants = row.only ? [row.invariant] : undefined;
      const r = sample({ scenario: row.scenario, variant: row.buggy, invariants }, row.strategy ?? 'random', row.strategy ? 2_000 : 20_000);
      expect(r.first?.violation?.invariant).toBe(row.invariant);
    });
  }
  for (const scenario of [...new Set(rows.map((r) => r.scenario))]) {
    it(`${scenario} (fixed protocol): no violation in 2,000 random and 2,000 PCT schedules`, () => {
      expect(sample({ scenario }, 'random', 2_000).first?.violation ?? null).toBeNull();
      expect(sample({ scenario }, 'pct', 2_000).first?.violation ?? null).toBeNull();
    });
  }
});
