import { describe, expect, it } from 'vitest';
import { InMemoryEventStore } from '@mmreplay/event-store';
import { runStream, type RunCompleted } from '@mmreplay/events';
import { VariantNotApplicableError, type Variant } from '@mmreplay/model';
import { prepareRun } from './run-request.js';
import { RunService } from './run.service.js';

const insert = (...steps: { label: string; op: string; args: (string | number)[] }[]): Variant => ({
  name: 'hostile',
  patches: [{ op: 'insert', path: 'migrate_pages', after: 'U2.locked', steps: steps as never }],
});

describe('variants that cannot run are refused before running, naming the step (issue 12, attack 8)', () => {
  // each kind of path that cannot run is in libs/model's termination.spec.ts; here, that a run applies the check
  it.each([
    ['ret without call', insert({ label: 'X1', op: 'ret', args: [] }), /X1.*'ret' is reached without a 'call'/],
    ['jmp to itself', insert({ label: 'X1', op: 'jmp', args: ['X1'] }), /X1.*jmp to itself/],
  ])('%s: 422 (VariantNotApplicableError) naming the step', (_name, variant, message) => {
    const run = () => prepareRun({ scenario: 'seed', variant, strategy: 'round-robin', maxSteps: 10_000 });
    expect(run).toThrow(VariantNotApplicableError);
    expect(run).toThrow(message);
  });
});

describe('no zombie runs: an engine failure mid-run completes the run as failed (issue 12, attack 8)', () => {
  // A conditional local loop that never exits passes the static check (termination.ts in libs/model): the engine's own bound stops it.
  const spinning = insert({ label: 'X1', op: 'mov', args: ['ok', 0] }, { label: 'X2', op: 'beq', args: ['ok', 0, 'X2'] });

  it('RunCompleted { outcome: failed, reason } is stored, the report says so, and a resume verifies it instead of failing again', async () => {
    const store = new InMemoryEventStore();
    const runs = new RunService(store, { batchSize: 10 });
    const report = await runs.startRun({ runId: 'z1', scenario: 'seed', variant: spinning, strategy: 'round-robin', maxSteps: 10_000 });
    expect(report.outcome).toBe('failed');
    const events = await store.readStream(runStream('z1'));
    const last = events.at(-1)!;
    expect(last.type).toBe('RunCompleted');
    const completed = last.data as RunCompleted;
    expect(completed).toMatchObject({ outcome: 'failed', steps: report.steps });
    expect(completed.reason).toMatch(/engine failed at step \d+: .*local steps never reaches an atomic step/);
    // the stream is final: resuming re-simulates, verifies every event, appends nothing
    const again = await runs.resumeRun('z1');
    expect(again).toMatchObject({ outcome: 'failed', appended: 0, verified: events.length });
  });
});
