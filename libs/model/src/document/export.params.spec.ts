// Exporting scenarios as documents (export.ts) beyond the catalogue's round trip: exportScenario's
// answers, what a document cannot say (ExportError), and exportParametric's templates for numbers
// that follow a parameter (equal, offset, a step) on a hand-made scenario, checked by loading the
// exported document back at other parameter values. Written for the mutation batch `document`.
import { describe, expect, it } from 'vitest';
import { exportParametric, exportScenario, exportScenarioObject, ExportError } from './export.js';
import { parseScenarioDocument } from './load.js';
import { findScenario, resolveScenarioModel } from '../scenarios/registry.js';
import type { Scenario, WorldDraft } from '../scenarios/scenario.js';
import type { PathDef } from '../program.js';

const src = { file: 'mm/x.c', fn: 'x', version: 'v1' };
const lockPath = (name: string, regs: PathDef['regs'] = [{ name: 'page', type: 'page' }]): PathDef => ({
  name,
  title: name,
  regs,
  steps: [
    { label: 'L1', op: 'lock_page', args: ['page'], src },
    { label: 'L2', op: 'unlock_page', args: ['page'], src },
  ],
});

/** A scenario built in code: `n` sets numbers of its world, switch S changes what `vary` says. */
function scenario(vary: (draft: WorldDraft, s: string) => WorldDraft = (d) => d, over: Partial<Scenario> = {}): Scenario {
  return {
    name: 'hand',
    title: 'hand',
    row: 'test',
    description: 'd',
    params: [{ name: 'n', default: 3, min: 1, max: 6, description: 'n' }],
    switches: [{ name: 'S', values: ['a', 'b'], default: 'a', description: 's' }],
    invariants: ['deadlock'],
    variants: [{ name: 'v', description: 'with b', switches: { S: 'b' }, expect: { commit: 'abc', verdict: 'holds', why: 'w' } }],
    build({ params, switches }) {
      const n = params.n;
      const draft: WorldDraft = {
        pages: [
          { name: 'P', ref: n + 2, map: n - 1, mapping: 'anon', index: n >= 4 ? 7 : 5 },
          { name: 'Q', ref: n, map: 0, mapping: 'none' },
        ],
        vmas: [{ name: 'v0', start: 16, pgoff: 0 }],
        ptes: [{ name: 'e0', addr: 16, ptl: 'ptl', init: { kind: 'none' } }],
        ptls: ['ptl'],
        threads: [{ name: 'a', path: 'locker', args: { page: 'P' } }],
        paths: { locker: lockPath('locker') },
        symmetry: [],
      };
      return vary(draft, switches.S);
    },
    ...over,
  };
}

describe('exportScenario', () => {
  it('a catalogue scenario is its own document; with parameters, an export at them; unknown: undefined', () => {
    const seed = findScenario('seed')!;
    expect(exportScenario('seed')).toBe(seed.document);
    const at = exportScenario('seed', { params: { ptes: 2 } })!;
    expect(at).toEqual(exportScenarioObject(seed, { ptes: 2 }));
    expect(at.params?.find((p) => p.name === 'ptes')).toMatchObject({ default: 2, min: 2, max: 2 });
    // the switch values' patch sets come back as the document has them (values without patches: none)
    expect(at.switches).toEqual(seed.document!.switches);
    expect(seed.patchesFor!({ WAIT: 'post', MIG: 'v5', MUTANT: 'none' })).toEqual([]);
    expect(exportScenario('no-such-scenario')).toBeUndefined();
  });
});

describe('what a document cannot say', () => {
  const error = (s: Scenario) => {
    try {
      exportScenarioObject(s, {});
    } catch (e) {
      expect(e).toBeInstanceOf(ExportError);
      return (e as Error).message;
    }
    return expect.unreachable('exported');
  };

  it('a walk order, litmus declaration or registers that depend on a switch; a path present under values no `when` names', () => {
    expect(error(scenario((d, s) => (s === 'a' ? { ...d, rmapOrder: 'fixed' as const } : d)))).toBe(
      'hand: rmapOrder depends on a switch, which a document cannot say',
    );
    expect(error(scenario((d, s) => ({ ...d, litmus: { vars: [s], results: [], exists: [] } })))).toBe(
      'hand: litmus depends on a switch, which a document cannot say',
    );
    const regs = scenario((d, s) => ({ ...d, paths: { locker: lockPath('locker', [{ name: s === 'a' ? 'page' : 'pg', type: 'page' }]) } }));
    expect(error(regs)).toBe('hand: the registers of path locker depend on a switch');
    // two switches, the path only under (a, x) and (b, y): no single product of values
    const diagonal = scenario((d) => d, {
      switches: [
        { name: 'S', values: ['a', 'b'], default: 'a', description: '' },
        { name: 'T', values: ['x', 'y'], default: 'x', description: '' },
      ],
      build({ switches }) {
        const d = scenario().build({ params: { n: 3 }, switches: { S: 'a' } });
        const on = (switches.S === 'a') === (switches.T === 'x');
        return { ...d, paths: on ? { ...d.paths, extra: lockPath('extra') } : d.paths };
      },
    });
    expect(error(diagonal)).toBe("hand: path extra exists under switch values a document cannot name in one 'when'");
  });

  it('what varies with a switch is kept `when` it holds; the rest as is', () => {
    const s = scenario((d, sw) => ({ ...d, pages: sw === 'b' ? [...d.pages, { name: 'R', ref: 0, map: 0, mapping: 'none' }] : d.pages, litmus: undefined }));
    const doc = exportScenarioObject(s, {});
    expect(doc.pages?.map((p) => (p as { name: string; when?: unknown }).when ?? null)).toEqual([null, null, { S: 'b' }]);
    expect(doc.variants).toEqual([{ name: 'v', description: 'with b', switches: { S: 'b' }, expect: { commit: 'abc', verdict: 'holds', why: 'w' } }]);
    expect('litmus' in doc || 'rmapOrder' in doc || 'expect' in doc || 'source' in doc).toBe(false);
    const loaded = parseScenarioDocument(doc);
    expect(loaded.problems).toEqual([]);
    if (!loaded.ok) return;
    for (const variant of [undefined, 'v'])
      expect(resolveScenarioModel(loaded.scenario, { variant }).world.pages).toEqual(resolveScenarioModel(s, { variant }).world.pages.map((p) => ({ ...p })));
  });
});

describe('merging the lists of the switch values', () => {
  it('each list is a subsequence of the merged one, which is as short as can be', () => {
    const page = (name: string) => ({ name, ref: 0, map: 0, mapping: 'none' as const });
    // a: [A, P]; b: [B, A, P]: B is new under b, before the A both have
    const s = scenario((d, sw) => ({ ...d, pages: sw === 'a' ? [page('A'), d.pages[0]] : [page('B'), page('A'), d.pages[0]] }));
    const pages = exportScenarioObject(s, {}).pages as readonly { name: string; when?: unknown }[];
    expect(pages.map((p) => [p.name, p.when ?? null])).toEqual([
      ['B', { S: 'b' }],
      ['A', null],
      ['P', null],
    ]);
    // a: [P, Q, A, C]; b: [P, Q, C, A]: one of A and C must appear twice
    const swapped = scenario((d, sw) => ({ ...d, pages: sw === 'a' ? [...d.pages, page('A'), page('C')] : [...d.pages, page('C'), page('A')] }));
    expect((exportScenarioObject(swapped, {}).pages as readonly { name: string }[]).map((p) => p.name)).toHaveLength(5);
  });
});

describe('exportParametric', () => {
  it('numbers equal to a parameter, offset from it, or a step in it become expressions; the document loads at every value', () => {
    const s = scenario((d) => d, { catalogueParams: { n: 2 } });
    const { document, fixed } = exportParametric(s);
    expect(fixed).toEqual([]);
    expect(document.params).toEqual([{ name: 'n', default: 3, min: 1, max: 6, description: 'n' }]);
    expect(document.pages?.[0]).toMatchObject({ ref: '${n + 2}', map: '${n - 1}', index: '${n >= 4 ? 7 : 5}' });
    expect(document.pages?.[1]).toMatchObject({ ref: '${n}' });
    expect(document.catalogueParams).toEqual({ n: 2 });
    const loaded = parseScenarioDocument(document);
    expect(loaded.problems).toEqual([]);
    if (!loaded.ok) return;
    for (let n = 1; n <= 6; n++)
      expect(resolveScenarioModel(loaded.scenario, { params: { n } }).world.pages, `n=${n}`).toEqual(resolveScenarioModel(s, { params: { n } }).world.pages);
    // the field order of an export
    expect(Object.keys(document)).toEqual(Object.keys(exportScenarioObject(s, {})));
  });

  it('a parameter that changes the shape of the world, or a number no template fits, stays fixed at its default', () => {
    const shape = scenario((d) => d, {
      catalogueParams: { n: 2 },
      build({ params }) {
        const d = scenario().build({ params: { n: 3 }, switches: { S: 'a' } });
        return { ...d, pages: [...d.pages, ...Array.from({ length: params.n }, (_, i) => ({ name: `X${i}`, ref: 0, map: 0, mapping: 'none' as const }))] };
      },
    });
    const r = exportParametric(shape);
    expect(r.fixed).toEqual(['n']);
    expect(r.document.params).toEqual([{ name: 'n', default: 3, min: 3, max: 3, description: 'n' }]);
    expect('catalogueParams' in r.document).toBe(false);
    const square = scenario((d) => d, {
      build({ params }) {
        const d = scenario().build({ params: { n: 3 }, switches: { S: 'a' } });
        return { ...d, pages: [{ ...d.pages[0], ref: params.n * params.n }, d.pages[1]] };
      },
    });
    expect(exportParametric(square).fixed).toEqual(['n']);
    expect(exportParametric(square).document.pages?.[0]).toMatchObject({ ref: 9 });
  });
});
