import { describe, expect, it } from 'vitest';
import { scenarios } from '@mmreplay/model';
import { InMemoryEventStore } from '@mmreplay/event-store';
import { RunService } from '../run.service.js';
import { QueryService } from '../query.service.js';
import { renderTraceText } from './trace.js';

const targets = scenarios().flatMap((s) => [undefined, ...s.variants.map((v) => v.name)].map((variant) => ({ scenario: s.name, variant })));

describe('trace', () => {
  it.each(targets)('draws every step of $scenario ($variant), with the state columns the view agrees with', async (target) => {
    const store = new InMemoryEventStore();
    const report = await new RunService(store).startRun({ runId: 't', ...target, strategy: 'pct', seed: 4 });
    const queries = new QueryService(store);
    const trace = await queries.trace('t');
    expect(trace.rows.map((r) => r.step)).toEqual(Array.from({ length: report.steps }, (_, i) => i));
    expect(trace.rows.every((r) => r.action.length > 0 && !r.action.includes('undefined'))).toBe(true);
    // The columns show what the state view says after each step.
    for (const step of [0, Math.floor(report.steps / 2), report.steps - 1]) {
      const { view } = await queries.stateAt('t', step);
      for (const c of trace.columns) {
        const [kind, name] = c.object.split(':');
        const expected = kind === 'page' ? (view.pages[name].owner ?? '-') : kind === 'ptl' ? (view.ptls[name].holder ?? '-') : view.ptes[name].entry;
        expect(trace.rows[step].state[c.object], `${c.object} after step ${step}`).toBe(expected);
      }
    }
    const text = renderTraceText(trace);
    expect(text.split('\n').filter((l) => /^ *\d+ /.test(l))).toHaveLength(report.steps);
    if (report.violation && report.violation.step < report.steps) expect(text).toMatch(/<-- BUG[\s\S]*!!!! /);
    expect(renderTraceText(await queries.trace('t'))).toBe(text);
  });

  it('shows a range, and the state before it from a snapshot', async () => {
    const store = new InMemoryEventStore();
    const report = await new RunService(store, { snapshotEvery: 16 }).startRun({ runId: 't', scenario: 'seed', params: { ptes: 2, faults: 2, rounds: 5 }, seed: 2 });
    const queries = new QueryService(store, { snapshotEvery: 16 });
    const whole = await queries.trace('t', { from: 0, to: report.steps - 1 });
    const part = await queries.trace('t', { from: 40, to: 60 });
    expect(part.rows).toEqual(whole.rows.slice(40, 61).map((r) => ({ ...r, state: Object.fromEntries(part.columns.map((c) => [c.object, r.state[c.object]])) })));
    expect((await queries.trace('t', { from: 40, to: 10_000 })).to).toBe(report.steps - 1);
  });
});
