import { describe, expect, it } from 'vitest';
import type { Expectation } from '@mmreplay/model';
import { catalogueLine, formatCatalogue, type CatalogueRow } from './catalogue.js';

// The catalogue table, exactly as `mmreplay audit --catalogue` prints it, from rows made here
// (issue 20: catalogue.spec checks the audits and the table's shape with patterns; these pin the
// replay commands, the history column, the clipping and the layout).
const row = (scenario: string, variant: string, params: Record<string, number>, expect: Expectation | null): CatalogueRow => ({
  scenario,
  variant,
  params,
  expect,
});
const long = 'a-variant-with-a-name-much-longer-than-forty-four-characters';

describe('a catalogue line', () => {
  it('the replay command of a counterexample, else the audit that shows the verdict', () => {
    const violated = { verdict: 'violated' as const, invariant: 'bug-on', length: 22, schedule: 's1.X' };
    expect(catalogueLine(row('seed', 'unlock-before-remove', { ptes: 2, faults: 1 }, null), violated).replay).toBe(
      'mmreplay run seed --param ptes=2 --param faults=1 --variant unlock-before-remove --strategy replay --schedule s1.X',
    );
    expect(catalogueLine(row('seed', 'kernel', {}, null), violated).replay).toBe('mmreplay run seed --strategy replay --schedule s1.X');
    expect(catalogueLine(row('seed', 'kernel', { ptes: 2 }, null), { ...violated, schedule: null }).replay).toBe('mmreplay audit seed --param ptes=2');
    expect(catalogueLine(row('seed', 'v', {}, null), { verdict: 'holds', invariant: null, length: null, schedule: 's' }).replay).toBe(
      'mmreplay audit seed --variant v',
    );
  });

  it('as expected: the verdict, and for a violation the invariant when the history names one', () => {
    const out = (verdict: 'holds' | 'violated' | 'inconclusive', invariant: string | null) => ({ verdict, invariant, length: null, schedule: null });
    const exp = (verdict: 'holds' | 'violated', invariant?: string): Expectation => ({ verdict, invariant, commit: 'c' }) as Expectation;
    const asExpected = (e: Expectation | null, o: ReturnType<typeof out>) => catalogueLine(row('s', 'kernel', {}, e), o).asExpected;
    expect(asExpected(exp('holds'), out('holds', null))).toBe(true);
    expect(asExpected(exp('holds', 'I3'), out('holds', null))).toBe(true);
    expect(asExpected(exp('holds'), out('violated', 'I3'))).toBe(false);
    expect(asExpected(exp('violated'), out('violated', 'I3'))).toBe(true);
    expect(asExpected(exp('violated', 'I3'), out('violated', 'I3'))).toBe(true);
    expect(asExpected(exp('violated', 'bug-on'), out('violated', 'I3'))).toBe(false);
    expect(asExpected(exp('violated'), out('inconclusive', null))).toBe(false);
    expect(asExpected(null, out('holds', null))).toBe(false);
  });

  it("the invariant's class: a kernel assertion, a protocol argument, a document's user invariant, or none", () => {
    const cls = (invariant: string | null) =>
      catalogueLine(row('s', 'kernel', {}, null), { verdict: 'violated', invariant, length: 1, schedule: null }).invariantClass;
    expect(cls('bug-on')).toBe('kernel-assertion');
    expect(cls('I3')).toBe('protocol');
    expect(cls(null)).toBeNull();
    // a name no built-in has is a user invariant of the scenario's document, as the audit labels it
    expect(cls('entry-under-page-lock')).toBe('user');
  });
});

describe('the catalogue table', () => {
  it('one padded line per row under a header and a rule, long cells clipped, then the counterexamples', () => {
    const text = formatCatalogue([
      catalogueLine(row('seed', 'kernel', { ptes: 2 }, { verdict: 'holds', commit: 'abc123' } as Expectation), {
        verdict: 'holds',
        invariant: null,
        length: null,
        schedule: null,
      }),
      catalogueLine(row('seed', 'unlock-before-remove', { ptes: 2, faults: 1 }, { verdict: 'violated', invariant: 'bug-on', commit: 'def' } as Expectation), {
        verdict: 'violated',
        invariant: 'bug-on',
        length: 22,
        schedule: 's1.X',
      }),
      catalogueLine(row('c1-exec-stack', long, {}, null), { verdict: 'violated', invariant: 'I3', length: 9, schedule: null }),
      catalogueLine(row('c5', 'v', {}, { verdict: 'violated', commit: 'c' } as Expectation), {
        verdict: 'inconclusive',
        invariant: null,
        length: null,
        schedule: null,
      }),
      catalogueLine(row('c6', 'w', {}, { verdict: 'holds', invariant: 'I9', commit: 'd' } as Expectation), {
        verdict: 'violated',
        invariant: 'I9',
        length: 3,
        schedule: 'q',
      }),
    ]);
    expect(text).toBe(
      [
        'scenario       variant                                       kernel commit  verdict       steps  invariant  kernel assertion?  history',
        '-------------  --------------------------------------------  -------------  ------------  -----  ---------  -----------------  ------------------------',
        'seed           kernel                                        abc123         holds         -      -          -                  as expected',
        'seed           unlock-before-remove                          def            violated      22     bug-on     yes                as expected',
        'c1-exec-stack  a-variant-with-a-name-much-longer-than-fo...  -              violated      9      I3         no (protocol)      EXPECTED (none recorded)',
        'c5             v                                             c              inconclusive  -      -          -                  EXPECTED violated',
        'c6             w                                             d              violated      3      I9         no (protocol)      EXPECTED holds (I9)',
        '',
        'counterexamples (replay):',
        '  seed unlock-before-remove: mmreplay run seed --param ptes=2 --param faults=1 --variant unlock-before-remove --strategy replay --schedule s1.X',
        `  c1-exec-stack ${long}: mmreplay audit c1-exec-stack --variant ${long}`,
        '  c6 w: mmreplay run c6 --variant w --strategy replay --schedule q',
        '',
      ].join('\n'),
    );
  });

  it("a user invariant's row says it is no kernel assertion, and no protocol invariant either", () => {
    const text = formatCatalogue([catalogueLine(row('s', 'v', {}, null), { verdict: 'violated', invariant: 'mine', length: 2, schedule: 'q' })]);
    expect(text.split('\n')[2]).toMatch(/^s +v +- +violated +2 +mine +no \(user\) +EXPECTED \(none recorded\)$/);
  });

  it('a cell of exactly 44 characters is kept whole', () => {
    const name = 'x'.repeat(44);
    const text = formatCatalogue([catalogueLine(row('s', name, {}, null), { verdict: 'holds', invariant: null, length: null, schedule: null })]);
    expect(text.split('\n')[2]).toContain(` ${name} `);
    expect(formatCatalogue([catalogueLine(row('s', `${name}y`, {}, null), { verdict: 'holds', invariant: null, length: null, schedule: null })])).toContain(
      ` ${'x'.repeat(41)}... `,
    );
  });
});
