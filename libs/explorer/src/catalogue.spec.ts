import { describe, expect, it } from 'vitest';
import { resolveModel } from '@mmreplay/model';
import { ReplayScheduler, Runtime } from '@mmreplay/engine';
import { runAudit } from './audit.js';
import { catalogueLine, catalogueRows, formatCatalogue } from './catalogue.js';

// `mmreplay audit --catalogue`, the seed question's table: every catalogue scenario and variant,
// exhaustively, against the verdict the kernel's history implies.
describe('the catalogue audit', () => {
  const rows = catalogueRows();

  it('covers every catalogue scenario, its kernel protocol and each named variant, each with an expectation and a commit', () => {
    const names = new Set(rows.map((r) => r.scenario));
    for (const s of [
      'seed',
      'c1-exec-stack',
      'c3-remap-file-pages',
      'c5-pmd-wait',
      'c6-ttu-sync',
      'c8-shmem-refcount',
      'c10-device-private',
      'c11-split-order',
      'c12-fork',
      'c13-mremap',
      'c14-pte-retract',
    ]) {
      expect(names.has(s), s).toBe(true);
    }
    expect([...names].some((n) => n.startsWith('litmus'))).toBe(false);
    for (const r of rows) {
      expect(r.expect, `${r.scenario} ${r.variant}`).not.toBeNull();
      expect(r.expect!.commit.length, `${r.scenario} ${r.variant}`).toBeGreaterThan(0);
    }
  });

  for (const row of rows) {
    it(`${row.scenario} ${row.variant}: ${row.expect?.verdict}${row.expect?.invariant ? ` (${row.expect.invariant})` : ''}, and a violation replays`, () => {
      const variant = row.variant === 'kernel' ? undefined : row.variant;
      const r = runAudit({ scenario: row.scenario, params: row.params, variant, strategy: 'exhaustive' });
      const line = catalogueLine(row, {
        verdict: r.verdict,
        invariant: r.counterexample?.invariant ?? null,
        length: r.counterexample?.length ?? null,
        schedule: r.counterexample?.schedule ?? null,
      });
      expect({ verdict: line.verdict, invariant: line.invariant }).toEqual({ verdict: row.expect!.verdict, invariant: row.expect!.invariant ?? null });
      expect(line.asExpected).toBe(true);
      if (r.counterexample) {
        const world = resolveModel({ scenario: row.scenario, params: row.params, variant }).world;
        const replayed = new Runtime(world).run({ scheduler: new ReplayScheduler(r.counterexample.schedule), maxSteps: r.counterexample.length });
        expect(replayed.violation?.invariant).toBe(r.counterexample.invariant);
        expect(line.replay).toContain(`--strategy replay --schedule ${r.counterexample.schedule}`);
        expect(line.invariantClass).toBe(r.violated?.class);
      }
    });
  }

  it('prints one table with the kernel commit, the steps, the invariant and whether it is a kernel assertion', () => {
    const text = formatCatalogue([
      catalogueLine(rows[0], { verdict: 'holds', invariant: null, length: null, schedule: null }),
      catalogueLine(rows[1], { verdict: 'violated', invariant: 'bug-on', length: 22, schedule: 's1.X' }),
      catalogueLine(rows[1], { verdict: 'holds', invariant: null, length: null, schedule: null }),
    ]);
    expect(text.split('\n')[0]).toMatch(/^scenario +variant +kernel commit +verdict +steps +invariant +kernel assertion\? +history$/);
    expect(text).toMatch(/unlock-before-remove +mutant +violated +22 +bug-on +yes +as expected/);
    expect(text).toMatch(/unlock-before-remove +mutant +holds .*EXPECTED violated \(bug-on\)/);
    expect(text).toContain('mmreplay run seed --param ptes=2 --param faults=1 --variant unlock-before-remove --strategy replay --schedule s1.X');
  });
});
