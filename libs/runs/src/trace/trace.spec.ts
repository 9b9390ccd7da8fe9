import { describe, expect, it } from 'vitest';
import { scenarios } from '@mmreplay/model';
import { InMemoryEventStore } from '@mmreplay/event-store';
import { RunService } from '../run.service.js';
import { QueryService } from '../query.service.js';
import { renderTraceText } from './trace.js';

// The counterexample of the seed scenario under unlock-before-remove (see docs): BUG_ON at step 21 (22 steps since issue 19's model changes).
const SEED_BUG = 's1.ARECAAMD.';

const targets = scenarios().flatMap((s) => [undefined, ...s.variants.map((v) => v.name)].map((variant) => ({ scenario: s.name, variant })));

describe('trace', () => {
  it.each(targets)('draws every step of $scenario ($variant), with the state columns the view agrees with', async (target) => {
    const store = new InMemoryEventStore();
    const report = await new RunService(store).startRun({ runId: 't', ...target, strategy: 'pct', seed: 4 });
    const queries = new QueryService(store);
    const trace = await queries.trace('t');
    expect(trace.rows.map((r) => r.step)).toEqual(Array.from({ length: report.steps }, (_, i) => i));
    expect(trace.rows.every((r) => r.action.length > 0 && !r.action.includes('undefined'))).toBe(true);
    // The columns are the page locks, PTLs and PTEs the run touched, found here from the recorded
    // deltas: a scenario that touches none (the memory-model litmus tests) has none, and says so.
    const events = await queries.events('t');
    const touched = new Set<string>();
    for (const e of events) {
      for (const d of e.deltas) {
        if (d.object.startsWith('pte:') || d.object.startsWith('ptl:') || (d.object.startsWith('page:') && d.field === 'owner')) touched.add(d.object);
      }
    }
    const columns = trace.columns.map((c) => c.object);
    for (const object of touched) expect(columns, `${object} changed but has no column`).toContain(object);
    // every column is an object of the run that some step changed or read
    for (const object of columns)
      expect(
        events.some((e) => e.deltas.some((d) => d.object === object) || Object.values(e.args).includes(object.split(':')[1])),
        object,
      ).toBe(true);
    // The columns show what the state view says after each step.
    let compared = 0;
    for (const step of [0, Math.floor(report.steps / 2), report.steps - 1]) {
      const { view } = await queries.stateAt('t', step);
      for (const c of trace.columns) {
        const [kind, name] = c.object.split(':');
        const expected = kind === 'page' ? (view.pages[name].owner ?? '-') : kind === 'ptl' ? (view.ptls[name].holder ?? '-') : view.ptes[name].entry;
        expect(trace.rows[step].state[c.object], `${c.object} after step ${step}`).toBe(expected);
        compared++;
      }
    }
    expect(compared).toBe(3 * columns.length);
    const text = renderTraceText(trace);
    expect(text.split('\n').filter((l) => /^ *\d+ /.test(l))).toHaveLength(report.steps);
    // A violation is marked on its step, and nothing is marked in a run without one.
    const violationStep = report.violation && report.violation.step < report.steps ? report.violation.step : null;
    expect(trace.rows.filter((r) => r.violation).map((r) => r.step)).toEqual(violationStep === null ? [] : [violationStep]);
    expect(/<-- BUG[\s\S]*!!!! /.test(text)).toBe(violationStep !== null);
    expect(renderTraceText(await queries.trace('t'))).toBe(text);
  });

  it('marks the violating step of a run that hits one (the seed bug), in the rows and in the text', async () => {
    const store = new InMemoryEventStore();
    const report = await new RunService(store).startRun({ runId: 'bug', scenario: 'seed', variant: 'unlock-before-remove', schedule: SEED_BUG });
    expect(report.violation).toMatchObject({ invariant: 'bug-on', step: 21 });
    const trace = await new QueryService(store).trace('bug');
    expect(trace.columns.map((c) => c.object)).toEqual(expect.arrayContaining(['page:P', 'ptl:ptl', 'pte:e0']));
    expect(trace.rows.filter((r) => r.violation).map((r) => [r.step, r.thread])).toEqual([[21, 'flt0']]);
    expect(trace.rows[21].violation).toMatch(/^bug-on: .*BUG_ON\(!PageLocked\)/);
    const text = renderTraceText(trace);
    expect(text).toMatch(/^ +21 +F4\.\S+: BUG_ON\(!PageLocked\(P\)\)\? +<-- BUG /m);
    expect(text).toMatch(/^ +!!!! bug-on: .*\(flt0, step 21, /m);
  });

  it('shows a range, and the state before it from a snapshot', async () => {
    const store = new InMemoryEventStore();
    const report = await new RunService(store, { snapshotEvery: 16 }).startRun({
      runId: 't',
      scenario: 'seed',
      params: { ptes: 2, faults: 2, rounds: 5 },
      seed: 2,
    });
    const queries = new QueryService(store, { snapshotEvery: 16 });
    const whole = await queries.trace('t', { from: 0, to: report.steps - 1 });
    const part = await queries.trace('t', { from: 40, to: 60 });
    expect(part.rows).toEqual(
      whole.rows.slice(40, 61).map((r) => ({ ...r, state: Object.fromEntries(part.columns.map((c) => [c.object, r.state[c.object]])) })),
    );
    expect((await queries.trace('t', { from: 40, to: 10_000 })).to).toBe(report.steps - 1);
  });
});
