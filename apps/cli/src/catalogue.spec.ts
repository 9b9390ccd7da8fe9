import { describe, expect, it } from 'vitest';
import { cli } from './test-cli.js';

// Audits record themselves on the configured store: an in-memory one here (one per command, nothing
// kept), never ./data in the working directory. Set before the suites below save it.
process.env.MMREPLAY_STORE ??= 'memory:';

// `mmreplay audit --catalogue` through the command line (the whole catalogue is
// libs/explorer/src/catalogue.spec.ts; here two scenarios, on the embedded backend).
describe('mmreplay audit --catalogue', () => {
  it('prints one table of the picked scenarios, each verdict as the history implies, exit 0', async () => {
    const r = await cli('audit', '--catalogue', '--scenario', 'c6-ttu-sync', '--scenario', 'c5-pmd-wait');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/^scenario +variant +kernel commit +verdict +steps +invariant +kernel assertion\? +history$/);
    expect(r.out).toMatch(/^c6-ttu-sync +c6-no-ttu-sync +TTU_SYNC.* +violated +\d+ +split-unmapped +yes +as expected$/m);
    expect(r.out).toMatch(/^c5-pmd-wait +c5-pmd-no-ref +3c226c637b69 +violated +\d+ +waiter-ref +no \(protocol\) +as expected$/m);
    expect(r.out).toMatch(/^c5-pmd-wait +kernel +ffa65753c431 +holds +- +- +- +as expected$/m);
    expect(r.out).toMatch(/mmreplay run c5-pmd-wait --variant c5-pmd-no-ref --strategy replay --schedule s1\./);
  });

  it('--json prints the rows; an unknown scenario is a usage error', async () => {
    const rows = JSON.parse((await cli('audit', '--catalogue', '--scenario', 'c6-ttu-sync', '--json')).out);
    expect(rows.map((r: { variant: string; verdict: string }) => `${r.variant}:${r.verdict}`)).toEqual(['kernel:holds', 'c6-no-ttu-sync:violated']);
    const bad = await cli('audit', '--catalogue', '--scenario', 'litmus-sb');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/not a catalogue scenario/);
  });
});
