import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from './test-cli.js';

// `--memory-model` on run and audit (docs/memory-model.md).

beforeAll(() => {
  process.env.MMREPLAY_STORE = 'memory:';
});

describe('--memory-model', () => {
  it('audit: C11 before the fix is violated under lkmm and holds under sc; the counterexample replays through run', async () => {
    const lkmm = JSON.parse((await cli('audit', 'c11-split-order', '--variant', 'c11-wmb-only', '--json')).out);
    expect(lkmm).toMatchObject({ verdict: 'violated', memoryModel: 'lkmm', counterexample: { invariant: 'bug-on', thread: 'zap' } });
    const sc = JSON.parse((await cli('audit', 'c11-split-order', '--variant', 'c11-wmb-only', '--memory-model', 'sc', '--json')).out);
    expect(sc).toMatchObject({ verdict: 'holds', memoryModel: 'sc', variant: 'c11-wmb-only' });
    const run = JSON.parse(
      (await cli('run', 'c11-split-order', '--variant', 'c11-wmb-only', '--strategy', 'replay', '--schedule', lkmm.counterexample.schedule, '--json')).out,
    );
    expect(run).toMatchObject({ outcome: 'violation', violation: { invariant: 'bug-on' } });
    const runSc = await cli('run', 'c11-split-order', '--variant', 'c11-wmb-only', '--memory-model', 'sc', '--strategy', 'round-robin', '--json');
    expect(JSON.parse(runSc.out)).toMatchObject({ outcome: 'completed', variant: 'c11-wmb-only' });
    expect(JSON.parse(runSc.out).modelHash).not.toBe(run.modelHash);
  });
  it("audit: tso allows the SB weak outcome and forbids MP's", async () => {
    expect(JSON.parse((await cli('audit', 'litmus-sb', '--variant', 'SB+poonceonces', '--memory-model', 'tso', '--json')).out).verdict).toBe('violated');
    expect(JSON.parse((await cli('audit', 'litmus-mp', '--variant', 'MP+poonceonces', '--memory-model', 'tso', '--json')).out).verdict).toBe('holds');
  });
  it('a bad value is a usage error', async () => {
    for (const command of ['run', 'audit']) {
      const r = await cli(command, 'litmus-mp', '--memory-model', 'arm');
      expect(r.code).toBe(2);
      expect(r.err + r.out).toMatch(/--memory-model must be one of sc, tso, lkmm/);
    }
  });
});
