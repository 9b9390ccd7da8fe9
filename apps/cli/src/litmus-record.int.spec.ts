// A litmus test's witness recorded as a run (`mmreplay litmus --record`), then explored with time
// travel: the run ends in the LKMM's weak outcome, and its state and events say which store had not
// reached which CPU. On an SQLite store in a temporary directory.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './test-cli.js';

const MP = `C MP+wmb
{}
P0(int *x, int *y)
{
	WRITE_ONCE(*x, 1);
	smp_wmb();
	WRITE_ONCE(*y, 1);
}
P1(int *x, int *y)
{
	int r0;
	int r1;
	r0 = READ_ONCE(*y);
	r1 = READ_ONCE(*x);
}
exists (1:r0=1 /\\ 1:r1=0)
`;

describe('mmreplay litmus --record', () => {
  let dir: string;
  const saved = process.env.MMREPLAY_STORE;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mmreplay-litmus-run-'));
    process.env.MMREPLAY_STORE = `sqlite:${join(dir, 'mmreplay.db')}`;
    process.env.MMREPLAY_ACTOR = 'ann';
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.MMREPLAY_STORE;
    else process.env.MMREPLAY_STORE = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('records the weak outcome as a run whose time travel shows the store P1 had not seen', async () => {
    const file = join(dir, 'MP+wmb.litmus');
    writeFileSync(file, MP);
    const r = await cli('litmus', '--record', file);
    expect(r.code).toBe(0);
    const runId = /as run (\S+),/.exec(r.out)?.[1];
    expect(r.out).toContain('Recorded the witness (1:r0=1 1:r1=0)');
    expect(runId).toBeDefined();

    const diff = JSON.parse((await cli('diff', runId!, '--at', '-1', '--to', 'last', '--json')).out);
    const change = (path: string) => diff.changes.find((c: { path: string }) => c.path === path);
    expect(change('memory.vars.x')).toMatchObject({ a: 0, b: 1 });
    expect(change('memory.vars.y')).toMatchObject({ a: 0, b: 1 });
    expect(change('memory.results.1:r1')).toMatchObject({ a: null, b: 0 });
    expect(change('memory.results.1:r0')).toMatchObject({ a: null, b: 1 });

    // P1's load of x read the initial value while P0's store of x was already in x's coherence order.
    const events = JSON.parse((await cli('events', runId!, '--json')).out) as {
      thread: string;
      memory?: { location?: string; access: string; value?: number; newer?: { thread: string }[] }[];
    }[];
    const loads = events.flatMap((e) => (e.thread === 'P1' ? (e.memory ?? []) : [])).filter((a) => a.location === 'var:x' && a.access.startsWith('load'));
    expect(loads).toEqual([expect.objectContaining({ value: 0, newer: [expect.objectContaining({ thread: 'P0' })] })]);
    const hit = JSON.parse((await cli('first', runId!, '--where', JSON.stringify({ var: 'x', value: 1, notSeenBy: 'P1' }), '--json')).out);
    expect(hit.state.memory.threads.P1.notYetSeen.x).toEqual([1]);
    const history = await cli('history', runId!, 'var:x');
    expect(history.code).toBe(0);
    expect(history.out).toMatch(/P0/);
    expect(history.out).toMatch(/P1/);
  });

  it('records a read-modify-write: the load that read its write names its step', async () => {
    const file = join(dir, 'MP+xchg-release.litmus');
    writeFileSync(
      file,
      'C MP+xchg-release\n{}\nP0(int *x, int *y)\n{\n\tint r0;\n\tWRITE_ONCE(*x, 1);\n\tr0 = xchg_release(y, 1);\n}\nP1(int *x, int *y)\n{\n\tint r1;\n\tint r2;\n\tr1 = READ_ONCE(*y);\n\tr2 = READ_ONCE(*x);\n}\nexists (1:r1=1 /\\ 1:r2=0)\n',
    );
    const r = await cli('litmus', '--record', file);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Recorded the witness (1:r1=1 1:r2=0)');
    const runId = /as run (\S+),/.exec(r.out)![1];
    const events = JSON.parse((await cli('events', runId, '--json')).out) as {
      step: number;
      thread: string;
      label: string;
      kind: string;
      memory?: { location?: string; access: string; value?: number; ordering?: string; readFrom?: { step: number | null; label: string | null } }[];
    }[];
    // one step: the read of y (the initial 0) and the release write of 1 right after it
    const rmw = events.find((e) => e.kind === 'AtomicRmw')!;
    expect(rmw.thread).toBe('P0');
    expect(rmw.memory).toEqual([
      expect.objectContaining({ location: 'var:y', access: 'load', value: 0, readFrom: expect.objectContaining({ step: null }) }),
      expect.objectContaining({ location: 'var:y', access: 'store', value: 1, ordering: 'release' }),
    ]);
    const loadY = events.flatMap((e) => (e.thread === 'P1' ? (e.memory ?? []) : [])).find((a) => a.location === 'var:y' && a.value !== undefined);
    expect(loadY).toMatchObject({ value: 1, readFrom: { step: rmw.step, label: rmw.label } });
  });

  it("refuses, by name and line, a test outside the engine's instruction set, and exits 2", async () => {
    const file = join(dir, 'after-spinlock.litmus');
    writeFileSync(
      file,
      'C X\n{}\nP0(int *x, spinlock_t *s)\n{\n\tspin_lock(s);\n\tWRITE_ONCE(*x, 1);\n\tsmp_mb__after_spinlock();\n\tspin_unlock(s);\n}\nexists (x=1)\n',
    );
    const r = await cli('litmus', '--record', file);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/line 7: smp_mb__after_spinlock\(\) other than right after spin_lock\(\)/);
  });
});
