// What exportScenarioObject carries over from a loaded document (export.ts): each switch value's
// own patch set, user invariants as written, the catalogue parameters the export's parameters
// keep. Written for batch `docA`'s survivors (BENCHMARKS.md, session 11); the first test found a
// bug: a default switch value's patch set was exported under every value of the other switches.
import { describe, expect, it } from 'vitest';
import { parseScenarioDocument } from './load.js';
import { exportParametric, exportScenarioObject } from './export.js';
import { resolveScenarioModel } from '../scenarios/registry.js';
import type { Scenario, WorldDraft } from '../scenarios/scenario.js';

const loaded = (doc: unknown) => {
  const r = parseScenarioDocument(doc);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.scenario;
};

const INSERT_N = { op: 'insert', path: 'locker', before: 'L2', steps: [{ label: 'N', op: 'nop', args: [] }] };
const DELETE_L2 = { op: 'delete', path: 'locker', step: 'L2' };

/** One thread locking and unlocking one page; `n` repeats nothing but is a parameter. */
const doc = (extra: Record<string, unknown> = {}) => ({
  name: 'carry',
  title: 'one locker',
  params: [{ name: 'n', default: 2, min: 1, max: 3 }],
  pages: [{ name: 'P', ref: 1, map: 0, mapping: 'anon' }],
  threads: [{ name: 'a', path: 'locker', args: { page: 'P' } }],
  paths: {
    locker: {
      title: 'lock and unlock',
      regs: { page: 'page' },
      steps: [
        { label: 'L1', op: 'lock_page', args: ['page'] },
        { label: 'L2', op: 'unlock_page', args: ['page'] },
      ],
    },
  },
  ...extra,
});

describe('exportScenarioObject of a loaded document', () => {
  it("each switch exports its own values' patch sets, also when another switch's default value has one", () => {
    const switches = [
      { name: 'A', values: ['x', 'y'], default: 'x', patches: { x: [INSERT_N] } },
      { name: 'B', values: ['p', 'q'], default: 'p', patches: { q: [DELETE_L2] } },
      { name: 'C', values: ['u', 'v'], default: 'u' },
    ];
    const s = loaded(doc({ switches }));
    const exported = exportScenarioObject(s, { n: 3 });
    expect(exported.switches).toEqual(switches.map((w) => ({ ...w, description: '' })));
    // and it loads again, each combination patched as the document's own
    const again = loaded(exported);
    const labels = (x: typeof s, sw: Record<string, string>) =>
      resolveScenarioModel(x, { variant: { switches: sw } }).world.paths.locker.steps.map((st) => st.label);
    for (const sw of [{}, { A: 'y' }, { B: 'q' }, { A: 'y', B: 'q' }, { C: 'v' }] as Record<string, string>[])
      expect(labels(again, sw), JSON.stringify(sw)).toEqual(labels(s, sw));
    expect(labels(s, { B: 'q' })).toEqual(['L1', 'N']);
  });

  it("user invariants are carried over as written, after the scenario's named ones", () => {
    const mine = { name: 'never-freed', never: { page: 'P', freed: true }, message: 'P is freed' };
    const s = loaded(doc({ invariants: ['deadlock', mine] }));
    expect(exportScenarioObject(s, {}).invariants).toEqual([...s.invariants, mine]);
    expect(s.invariants).toEqual(['deadlock']);
  });

  it('catalogue parameters are kept where the export is at their value, dropped elsewhere', () => {
    const s = loaded(
      doc({
        params: [
          { name: 'n', default: 2, min: 1, max: 3 },
          { name: 'm', default: 1, min: 1, max: 3 },
        ],
        catalogueParams: { n: 1, m: 1 },
      }),
    );
    expect(exportScenarioObject(s, { n: 1 }).catalogueParams).toEqual({ n: 1, m: 1 });
    expect(exportScenarioObject(s, { n: 3 }).catalogueParams).toEqual({ m: 1 });
    expect(exportScenarioObject(s, { n: 3, m: 2 }).catalogueParams).toEqual({});
    expect(exportScenarioObject(loaded(doc()), {})).not.toHaveProperty('catalogueParams');
  });
});

describe('exportParametric: what no template fits', () => {
  /** A scenario built in code whose thread's step argument follows `n` as `arg` says. */
  const coded = (arg: (n: number) => number | string): Scenario => ({
    name: 'coded',
    title: 'coded',
    row: 'test',
    description: '',
    params: [{ name: 'n', default: 3, min: 1, max: 6, description: '' }],
    switches: [],
    invariants: ['deadlock'],
    variants: [],
    build({ params }): WorldDraft {
      return {
        pages: [{ name: 'P', ref: 1, map: 0, mapping: 'anon' }],
        vmas: [],
        ptes: [],
        ptls: [],
        threads: [{ name: 'a', path: 'p', args: {} }],
        paths: {
          p: {
            name: 'p',
            title: 'p',
            regs: [{ name: 'r', type: 'int' }],
            steps: [{ label: 'M', op: 'mov', args: ['r', arg(params.n)], src: { file: 'f', fn: 'f', version: 'v' } }],
          },
        },
        symmetry: [],
      };
    },
  });

  it('a number taking two values that alternate (more than one change) stays fixed', () => {
    const r = exportParametric(coded((n) => n % 2));
    expect(r.fixed).toEqual(['n']);
    expect(r.document.paths.p).toMatchObject({ steps: [{ args: ['r', 1] }] });
  });

  it('a number at some values and a string at others is a change of shape: fixed', () => {
    expect(exportParametric(coded((n) => (n >= 3 ? 7 : 'r'))).fixed).toEqual(['n']);
    expect(exportParametric(coded((n) => (n >= 3 ? 'r' : 7))).fixed).toEqual(['n']);
    // the control: a number that steps once is a template
    expect(exportParametric(coded((n) => (n >= 4 ? 7 : 5)))).toMatchObject({
      fixed: [],
      document: { paths: { p: { steps: [{ args: ['r', '${n >= 4 ? 7 : 5}'] }] } } },
    });
  });
});
