// The model's small pieces against values worked out by hand: PTE words (pte.ts), canonical JSON
// and hashes (hash.ts), "did you mean" (suggest.ts), errors (errors.ts), linking a path and the
// region after a label (program.ts). Written for the mutation batch `core` (BENCHMARKS.md).
import { describe, expect, it } from 'vitest';
import {
  formatPte,
  isMigrationEntry,
  makeDevicePrivate,
  makeMigrationFrom,
  makePresent,
  makePresentFromMigration,
  MigrationType,
  PTE_NONE,
  pteFromJson,
  pteKind,
  PteKind,
  pteMigrationType,
  ptePfn,
  pteToJson,
  pteWritable,
} from './pte.js';
import { canonicalJson, contentHash } from './hash.js';
import { closest, didYouMean } from './suggest.js';
import { DomainError, FieldError, formatIssues } from './errors.js';
import { linkPath, PathLinkError, reachedRegion, successors, INSN_WIDTH, type PathDef, type Step } from './program.js';
import { OP } from './isa.js';
import { mulberry32 } from './prng.js';

describe('PTE words', () => {
  it('pack kind, writable, migration type, young, dirty and the pfn', () => {
    const p = makePresent(5, true, true, true);
    expect(p).toBe(1 | 8 | 64 | 128 | (5 << 8));
    expect([pteKind(p), ptePfn(p), pteWritable(p), isMigrationEntry(p)]).toEqual([PteKind.present, 5, true, false]);
    expect(makePresent(3, false)).toBe(1 | (3 << 8));
    expect(makePresent(0, false, false, true)).toBe(1 | 128);
    expect(makePresent(0, false, true, false)).toBe(1 | 64);
    // the migration entry's type follows the old PTE's write bit; young and dirty stay
    const m = makeMigrationFrom(p, 9);
    expect(m).toBe(2 | (MigrationType.write << 4) | 64 | 128 | (9 << 8));
    expect([isMigrationEntry(m), pteMigrationType(m), ptePfn(m)]).toEqual([true, MigrationType.write, 9]);
    expect(makeMigrationFrom(makePresent(1, false), 2)).toBe(2 | (MigrationType.read << 4) | (2 << 8));
    // and back: a write entry gives a writable PTE
    expect(makePresentFromMigration(m, 4)).toBe(1 | 8 | 64 | 128 | (4 << 8));
    expect(makePresentFromMigration(makeMigrationFrom(makePresent(1, false, true), 2), 4)).toBe(1 | 64 | (4 << 8));
    expect(makePresentFromMigration(2 | (MigrationType.readExclusive << 4), 1)).toBe(1 | (1 << 8));
    expect(makeDevicePrivate(3, true)).toBe(4 | 8 | (3 << 8));
    expect(makeDevicePrivate(3, false)).toBe(4 | (3 << 8));
    expect(ptePfn(makePresent(2 ** 23, false))).toBe(2 ** 23);
  });

  it('print as a kernel developer writes them', () => {
    const name = (pfn: number) => ['P', 'Q'][pfn];
    expect(formatPte(PTE_NONE, name)).toBe('none');
    expect(formatPte(makePresent(1, true), name)).toBe('present(Q,w)');
    expect(formatPte(makePresent(0, false), name)).toBe('present(P,r)');
    expect(formatPte(makeMigrationFrom(makePresent(0, true), 1), name)).toBe('migration(Q,write)');
    expect(formatPte(makeMigrationFrom(makePresent(0, false), 1), name)).toBe('migration(Q,read)');
    expect(formatPte(2 | (2 << 4), name)).toBe('migration(P,readExclusive)');
    expect(formatPte(makeDevicePrivate(0, true), name)).toBe('device_private(P,w)');
    expect(formatPte(makeDevicePrivate(1, false), name)).toBe('device_private(Q,r)');
    expect(formatPte(PteKind.swap | (1 << 8), name)).toBe('swap(Q)');
    expect(formatPte(PteKind.marker)).toBe('marker(0)');
    expect(formatPte(makePresent(7, true))).toBe('present(7,w)');
  });

  it('to and from their JSON form', () => {
    const name = (pfn: number) => ['P', 'Q'][pfn];
    const index = (n: string) => ['P', 'Q'].indexOf(n);
    const cases: [number, object][] = [
      [PTE_NONE, { kind: 'none' }],
      [makePresent(1, true), { kind: 'present', page: 'Q', writable: true }],
      [makePresent(0, false), { kind: 'present', page: 'P', writable: false }],
      [makeMigrationFrom(makePresent(1, true), 1), { kind: 'migration', page: 'Q', type: 'write' }],
      [makeMigrationFrom(makePresent(1, false), 0), { kind: 'migration', page: 'P', type: 'read' }],
      [makeDevicePrivate(1, false), { kind: 'devicePrivate', page: 'Q', writable: false }],
      [PteKind.swap | (1 << 8), { kind: 'swap', page: 'Q', writable: false }],
    ];
    for (const [v, j] of cases) {
      expect(pteToJson(v, name), formatPte(v)).toEqual(j);
      expect(pteFromJson(j as never, index), JSON.stringify(j)).toBe(v);
    }
    // defaults: writable, a write entry, page 0 when none is named
    expect(pteFromJson({ kind: 'present', page: 'Q' }, index)).toBe(makePresent(1, true));
    expect(pteFromJson({ kind: 'devicePrivate', page: 'Q' }, index)).toBe(makeDevicePrivate(1, true));
    expect(pteFromJson({ kind: 'migration', page: 'Q' }, index)).toBe(2 | (1 << 4) | (1 << 8));
    expect(pteFromJson({ kind: 'migration' }, () => 5)).toBe(2 | (1 << 4));
    expect(pteFromJson({ kind: 'marker', page: 'Q' }, index)).toBe(PteKind.marker | (1 << 8));
    // an empty entry maps nothing, whatever page the JSON names
    expect(pteFromJson({ kind: 'none', page: 'Q' }, index)).toBe(PTE_NONE);
  });
});

describe('hashes', () => {
  it('canonical JSON sorts keys at every level and drops undefined fields', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: undefined, b: null }], c: 'x' })).toBe('{"a":[{"b":null,"d":2}],"b":1,"c":"x"}');
    expect(canonicalJson([3, 'a', true, null])).toBe('[3,"a",true,null]');
    expect(canonicalJson('é')).toBe('"é"');
    expect(canonicalJson({ B: 1, a: 2, _: 3, '10': 4, '9': 5 })).toBe('{"10":4,"9":5,"B":1,"_":3,"a":2}');
    expect(canonicalJson({})).toBe('{}');
    expect(contentHash({ a: 1, b: 2 })).toBe(contentHash({ b: 2, a: 1 }));
    expect(contentHash({ a: 1 })).toBe('015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862');
  });
});

describe('did you mean', () => {
  it('near names by edit distance for the length, a swap of two letters as one, prefixes; the nearest only', () => {
    expect(closest('aduit', ['audit', 'admin'])).toEqual(['audit']);
    expect(closest('ab', ['ac', 'xy'])).toEqual(['ac']);
    expect(closest('ab', ['cd'])).toEqual([]);
    // the limit follows the longer name: 3 letters allow one edit, 4 two
    expect(closest('abc', ['xyc'])).toEqual([]);
    expect(closest('abcd', ['ab'])).toEqual(['ab']);
    // a prefix of two letters is near, and as near as one edit
    expect(closest('mi', ['migrate_pages'])).toEqual(['migrate_pages']);
    expect(closest('ab', ['abzzzz', 'xb'])).toEqual(['abzzzz', 'xb']);
    expect(closest('abcd', ['abxy', 'zzzz'])).toEqual(['abxy']);
    expect(closest('abcd', ['axyz'])).toEqual([]);
    expect(closest('abcdefghi', ['abcdefxyz'])).toEqual(['abcdefxyz']);
    expect(closest('abcdefghi', ['abcdewxyz'])).toEqual([]);
    expect(closest('abcdefgh', ['abcdefxy'])).toEqual(['abcdefxy']);
    expect(closest('abcdefgh', ['abcdexyz'])).toEqual([]);
    expect(closest('WAIT', ['wait'])).toEqual(['wait']);
    expect(closest('wait', ['wait'])).toEqual([]);
    expect(closest('mig', ['migrate_pages_long_name'])).toEqual(['migrate_pages_long_name']);
    expect(closest('m', ['migrate'])).toEqual([]);
    expect(closest('x', ['y'])).toEqual(['y']);
    expect(closest('ab', ['abc', 'abd', 'abe', 'abf'])).toEqual(['abc', 'abd', 'abe']);
    expect(closest('ab', ['abf', 'abc'], 1)).toEqual(['abc']);
    expect(closest('abc', ['abcd', 'xbc'])).toEqual(['abcd', 'xbc']);
    expect(didYouMean('sed', ['seed', 'x'])).toBe("; did you mean 'seed'?");
    expect(didYouMean('ab', ['ac', 'ad'])).toBe("; did you mean 'ac' or 'ad'?");
    expect(didYouMean('zzz', ['seed'])).toBe('');
  });
});

describe('errors', () => {
  class Problem extends DomainError {
    readonly kind = 'invalid';
  }
  class Bad extends FieldError {
    readonly kind = 'invalid';
  }

  it('carry their issues, the field they are relative to, a detail and a retry time', () => {
    const cause = new Error('root');
    const e = new Problem('m', {
      issues: [
        { field: 'a', message: 'x' },
        { field: '', message: 'y' },
      ],
      at: 'variant',
      detail: 'd',
      retryAfterSeconds: 3,
      cause,
    });
    expect([e.name, e.message, e.detail, e.retryAfterSeconds, e.at, e.cause]).toEqual(['Problem', 'm', 'd', 3, 'variant', cause]);
    expect(e.requestIssues()).toEqual([
      { field: 'variant.a', message: 'x' },
      { field: 'variant', message: 'y' },
    ]);
    const plain = new Problem('n');
    expect([plain.detail, plain.issues, plain.at, plain.retryAfterSeconds, 'cause' in plain]).toEqual(['n', [], undefined, undefined, false]);
    expect(new Problem('n', { issues: [{ field: 'f', message: 'z' }] }).requestIssues()).toEqual([{ field: 'f', message: 'z' }]);
    const f = new Bad('bounds.maxStates', 'too big');
    expect([f.message, f.field, f.issues]).toEqual(['bounds.maxStates: too big', 'bounds.maxStates', [{ field: 'bounds.maxStates', message: 'too big' }]]);
    expect(f).toBeInstanceOf(DomainError);
    expect(
      formatIssues([
        { field: 'a', message: 'x' },
        { field: '', message: 'y' },
      ]),
    ).toBe('a: x; (root): y');
    expect(formatIssues([{ field: '', message: 'y' }], 'request')).toBe('request: y');
  });
});

describe('paths', () => {
  const step = (label: string, op: string, ...args: (string | number)[]): Step => ({
    label,
    op: op as Step['op'],
    args,
    src: { file: 'f', fn: 'f', version: '-' },
  });
  const def = (steps: Step[], regs = ['page', 'n']): PathDef => ({
    name: 'p',
    title: 'p',
    regs: regs.map((name) => ({ name, type: name === 'page' ? 'page' : 'int' })),
    steps,
  });
  const linkError = (d: PathDef) => {
    try {
      linkPath(d);
    } catch (e) {
      expect(e).toBeInstanceOf(PathLinkError);
      // a path of the request that does not fit the model, not a malformed request
      expect((e as PathLinkError).kind).toBe('not-applicable');
      return [(e as PathLinkError).message, (e as PathLinkError).issues];
    }
    return expect.unreachable('linked');
  };

  it('links steps into code: op, operands, the end; refuses what does not link', () => {
    const p = linkPath(def([step('A', 'lock_page', 'page'), step('B', 'add', 'n', 3), step('C', 'blt', 'n', 5, 'A')]));
    expect(p.length).toBe(4);
    expect([...p.code]).toEqual([
      ...[OP.lock_page, 0, 0, 0, 0, 0, 0],
      ...[OP.add, 1, 3, 0, 0, 0, 0],
      ...[OP.blt, 1, 5, 0, 0, 0, 0],
      ...[OP.done, 0, 0, 0, 0, 0, 0],
    ]);
    expect(INSN_WIDTH).toBe(7);
    expect([...p.visible]).toEqual([1, 0, 0, 0]);
    expect([...p.labelIndex]).toEqual([
      ['A', 0],
      ['B', 1],
      ['C', 2],
    ]);
    expect(linkError(def([step('A', 'nop'), step('A', 'nop')]))).toEqual([
      "p: steps[1].label: duplicate label 'A'",
      [{ field: 'paths.p.steps[1].label', message: "duplicate label 'A'" }],
    ]);
    expect(linkError(def([step('A', 'nope')]))[0]).toBe("p: steps[0].op: unknown op 'nope'");
    expect(linkError(def([step('A', 'add', 'n')]))[0]).toBe('p: steps[0].args: add takes 2 arguments, got 1');
    expect(linkError(def([step('A', 'add', 'm', 1)]))[0]).toBe("p: steps[0].args[0]: 'm' is not a reg of this path");
    expect(linkError(def([step('A', 'add', 3, 1)]))[0]).toBe("p: steps[0].args[0]: '3' is not a reg of this path");
    expect(linkError(def([step('A', 'add', 'n', 1.5)]))[0]).toBe("p: steps[0].args[1]: '1.5' is not a integer of this path");
    expect(linkError(def([step('A', 'add', 'n', '1')]))[0]).toBe("p: steps[0].args[1]: '1' is not a integer of this path");
    expect(linkError(def([step('A', 'jmp', 'Z')]))[0]).toBe("p: steps[0].args[0]: 'Z' is not a label of this path");
    expect(linkError(def([step('A', 'jmp', 0)]))[0]).toBe("p: steps[0].args[0]: '0' is not a label of this path");
    const regs = Array.from({ length: 11 }, (_, i) => `r${i}`);
    expect(linkError(def([], regs))[0]).toBe('p: regs: at most 10 registers');
    expect(linkPath(def([], regs.slice(1))).length).toBe(1);
  });

  it('successors by control flow: next, jump, branch and call, a return anywhere, nothing after the end', () => {
    const p = linkPath(def([step('A', 'call', 'D'), step('B', 'beq', 'n', 0, 'A'), step('C', 'jmp', 'E'), step('D', 'ret'), step('E', 'done')]));
    expect(successors(p)).toEqual([[1, 3], [2, 0], [4], [0, 1, 2, 3, 4, 5], [], []]);
  });

  it('the region after a label, or why a thread can leave it', () => {
    const straight = linkPath(def([step('A', 'nop'), step('B', 'nop'), step('C', 'nop')]));
    expect([...(reachedRegion(straight, 1) as Uint8Array)]).toEqual([0, 1, 1, 1]);
    expect([...(reachedRegion(straight, 0) as Uint8Array)]).toEqual([1, 1, 1, 1]);
    const loop = linkPath(def([step('A', 'nop'), step('B', 'nop'), step('C', 'blt', 'n', 3, 'A')]));
    expect(reachedRegion(loop, 1)).toBe(
      "'C' can go on to 'A', which is reached without passing 'B': a thread can leave what follows that label (a loop or a return goes back before it)",
    );
    // a branch around B: what follows B is reached without it, unless B ends the thread
    const around = linkPath(def([step('A', 'beq', 'n', 0, 'C'), step('B', 'nop'), step('C', 'nop')]));
    expect(reachedRegion(around, 1)).toMatch(/^'B' can go on to 'C', which is reached without passing 'B'/);
    // a ret goes anywhere, the end of the path included: after the last step there is no label to name
    const last = linkPath(def([step('M', 'call', 'F'), step('J', 'jmp', 'AT'), step('F', 'lock_page', 'page'), step('R', 'ret'), step('AT', 'nop')]));
    expect(reachedRegion(last, 4)).toMatch(/^'AT' can go on to 'step 5', which is reached without passing 'AT'/);
    const ends = linkPath(def([step('A', 'beq', 'n', 0, 'C'), step('B', 'done'), step('C', 'nop')]));
    expect([...(reachedRegion(ends, 1) as Uint8Array)]).toEqual([0, 1, 0, 0]);
  });
});

describe('mulberry32', () => {
  it('is a seeded generator of floats in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
    expect(mulberry32(43)()).not.toBe(xs[0]);
    // the sequence itself is pinned: libs/litmus' generated tests are drawn from it
    expect(xs.slice(0, 3).map((x) => x * 2 ** 32)).toEqual([2581720956, 1925393290, 3661312704]);
    const z = mulberry32(0);
    expect([z(), z()].map((x) => x * 2 ** 32)).toEqual([1144304738, 1416247]);
  });
});
