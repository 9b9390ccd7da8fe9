// Issue 14 items 5 and 6 on an SQLite store: `history page:P` includes the steps that read an
// entry pointing to P and check P's lock (steps 19-20 of the seed story), and results that were
// silent or misleading now say what happened. Each failed on the main branch before this change.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './test-cli.js';

describe('history and the results that were silent', () => {
  let dir: string;
  let runId: string;
  const saved = { store: process.env.MMREPLAY_STORE, team: process.env.MMREPLAY_TEAM };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mmreplay-hs-'));
    process.env.MMREPLAY_STORE = `sqlite:${join(dir, 'mmreplay.db')}`;
    process.env.MMREPLAY_TEAM = 'kernel-mm';
    const audit = JSON.parse((await cli('audit', 'seed', '--variant', 'unlock-before-remove', '--json')).out);
    const run = await cli('run', 'seed', '--variant', 'unlock-before-remove', '--strategy', 'replay', '--schedule', audit.counterexample.schedule, '--json');
    runId = JSON.parse(run.out).runId;
  });
  afterAll(() => {
    process.env.MMREPLAY_STORE = saved.store;
    if (saved.team === undefined) delete process.env.MMREPLAY_TEAM;
    else process.env.MMREPLAY_TEAM = saved.team;
    rmSync(dir, { recursive: true, force: true });
  });

  it('history page:P includes the read of the entry pointing to P and the BUG_ON check of its lock (item 5)', async () => {
    const h = JSON.parse((await cli('history', runId, 'page:P', '--json')).out) as { step: number; label: string; kind: string }[];
    const last = h.slice(-2).map((e) => `${e.step} ${e.label} ${e.kind}`);
    expect(last).toEqual(['20 F3.ptep_get PteRead', '21 F4.pfn_swap_entry_to_page BugOnChecked']);
    expect(h.map((e) => e.step)).toContain(18);
    const text = (await cli('history', runId, 'P')).out;
    expect(text).toMatch(/^ +21 +flt0 +F4\.pfn_swap_entry_to_page +BugOnChecked +\(orig=migration\(P,write\)\)$/m);
  });

  it('events --type with a typo: exit 2 naming the kinds, not silence (item 6)', async () => {
    const r = await cli('events', runId, '--type', 'PageUnlock');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown event kind 'PageUnlock'; did you mean 'PageUnlocked'\? \(kinds: .*BugOnChecked.*PageUnlocked/);
    const ok = await cli('events', runId, '--type', 'PageUnlocked');
    expect(ok.out).toMatch(/^ +17 +mig +U12\.unlock_page +PageUnlocked/);
  });

  it('runs --team with no runs says so and names the teams that have some (item 6)', async () => {
    const r = await cli('runs', '--team', 'kernel-m');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^\(no runs of team 'kernel-m'; teams with runs: kernel-mm; did you mean 'kernel-mm'\?\)$/m);
  });

  it('runs --audits lists the audits and comparisons run on the embedded store, with their counterexample runs (item 6)', async () => {
    const before = JSON.parse((await cli('runs', '--audits', '--json')).out).audits.length;
    const audit = await cli('audit', 'seed', '--variant', 'unlock-before-remove', '--json');
    expect(audit.code).toBe(1);
    const report = JSON.parse(audit.out);
    expect(report.counterexampleRunId).toMatch(/^[0-9a-f]{20}$/);
    const compared = await cli('compare', 'seed', '--baseline', 'unlock-before-remove', '--json');
    expect(compared.code).toBe(0);
    const { comparisonId } = JSON.parse(compared.out);
    expect(comparisonId).toMatch(/^[0-9a-f]{20}$/);
    const { runs, audits } = JSON.parse((await cli('runs', '--audits', '--json')).out);
    expect(audits).toHaveLength(before + 3);
    expect(audits[before]).toMatchObject({
      team: 'kernel-mm',
      scenario: 'seed',
      variant: 'unlock-before-remove',
      status: 'completed',
      verdict: 'violated',
      counterexamples: [report.counterexampleRunId],
    });
    expect(audits.slice(before + 1).map((a: { variant: string | null; verdict: string }) => [a.variant, a.verdict])).toEqual([
      ['unlock-before-remove', 'violated'],
      [null, 'holds'],
    ]);
    // the counterexample is a recorded run that replays the violation
    expect(runs.find((r: { runId: string }) => r.runId === report.counterexampleRunId)).toMatchObject({
      outcome: 'violation',
      counterexampleOf: [audits[before].auditId],
    });
    const text = (await cli('runs', '--audits')).out;
    expect(text).toMatch(
      new RegExp(
        `^audit ${audits[before].auditId} kernel-mm seed \\(unlock-before-remove\\) completed violated by \\S+ counterexamples ${report.counterexampleRunId}$`,
        'm',
      ),
    );
    expect((await cli('audit', 'seed', '--variant', 'unlock-before-remove')).out).toMatch(
      /^ {2}recorded as run [0-9a-f]{20} \(mmreplay trace [0-9a-f]{20}\)$/m,
    );
  });

  it('a replay says it replays a schedule, not "seed 0" (item 6)', async () => {
    const audit = JSON.parse((await cli('audit', 'seed', '--variant', 'unlock-before-remove', '--json')).out);
    const r = await cli('run', 'seed', '--variant', 'unlock-before-remove', '--schedule', audit.counterexample.schedule);
    expect(r.out).toMatch(/^run [0-9a-f]+: seed \(unlock-before-remove\) replay of the schedule below: violation after \d+ steps$/m);
    expect(r.out).not.toMatch(/seed 0/);
    expect((await cli('trace', runId)).out).toMatch(/^run [0-9a-f]+: seed \(unlock-before-remove\), replay of a schedule: violation/m);
  });

  it('a variant file named "kernel" that changes the protocol is refused, not shown as the kernel (item 6)', async () => {
    const file = join(dir, 'kernel.json');
    writeFileSync(file, JSON.stringify({ name: 'kernel', switches: { MUTANT: 'unlock-before-remove' } }));
    const r = await cli('run', 'seed', '--variant', file);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/name: 'kernel' names the unmodified kernel protocol, which this variant changes: give it a name of its own/);
    writeFileSync(file, JSON.stringify({ name: 'my-fix', switches: { MUTANT: 'unlock-before-remove' } }));
    expect((await cli('run', 'seed', '--variant', file)).out).toMatch(/^run [0-9a-f]+: seed \(my-fix\)/);
    expect((await cli('run', 'seed', '--memory-model', 'tso')).code).toBe(0);
  });

  it('trace --format lkml: at most 80 columns, one column per thread that ran, function() per step, sources listed under it (item 8)', async () => {
    const r = await cli('trace', runId, '--format', 'lkml');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines.filter((l) => l.length > 80)).toEqual([]);
    expect(r.out).toMatch(/^ {6}CPU0 \(mig\) +CPU1 \(flt0\)$/m);
    expect(r.out).toMatch(/^ {3}0 {2}\w+\(\) \[1\]$/m);
    expect(r.out).toMatch(/^ +20 {30,}\w+\(\) \[\d+\]$/m);
    expect(r.out).toMatch(/^ {30,}<-- BUG$/m);
    expect(r.out).toMatch(/^bug-on: flt0: BUG_ON\(!PageLocked\)/m);
    expect(r.out).toMatch(/^\[1\] mm\/[\w/.-]+:\w+@v[\d.]+$/m);
    // every reference cited in the diagram is listed under it
    const cited = new Set([...r.out.matchAll(/\(\) \[(\d+)\]/g)].map((m) => m[1]));
    for (const n of cited) expect(r.out).toMatch(new RegExp(`^\\[${n}\\] `, 'm'));
    // a range in which only the fault ran has one column
    const tail = await cli('trace', runId, '--from', '19', '--format', 'lkml');
    expect(tail.out).toMatch(/^ {6}CPU0 \(flt0\)$/m);
    expect(tail.out).not.toMatch(/\(mig\)/);
  });
});
