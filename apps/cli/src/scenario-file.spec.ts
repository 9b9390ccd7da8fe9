import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseScenarioDocument, resolveModel, resolveScenarioModel } from '@mmreplay/model';
import { cli } from './test-cli.js';

// Issue 13 must-show, through the CLI: a race written only as a document (migration vs mremap
// moving a PTE between two page tables, examples/scenarios/mremap-vs-migration.yaml), audited
// exhaustively: the buggy order is violated with a counterexample that replays, the fixed order
// holds. And documents with problems exit 2 with the field path, never a stack trace.

const race = fileURLToPath(new URL('../../../examples/scenarios/mremap-vs-migration.yaml', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mmreplay-doc-'));

beforeAll(() => {
  process.env.MMREPLAY_STORE = 'memory:';
});

describe('mmreplay audit / run ./race.yaml', () => {
  it('the kernel order (new VMA after the old one) holds, exhaustively', async () => {
    const r = await cli('audit', race);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^mremap-vs-migration \(kernel\) exhaustive: holds/);
    expect(r.code).toBe(0);
  });

  it('the new VMA first with the fix (rmap lock in move_ptes) holds', async () => {
    const r = await cli('audit', race, '--switch', 'ORDER=new-before-old', '--switch', 'FIX=rmap-lock');
    expect(r.out).toMatch(/exhaustive: holds/);
    expect(r.code).toBe(0);
  });

  it('the new VMA first without the fix is violated, and the printed replay reproduces the violation', async () => {
    const r = await cli('audit', race, '--switch', 'ORDER=new-before-old', '--switch', 'FIX=none');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/exhaustive: violated/);
    expect(r.out).toMatch(/I3 .*migration entry eNew points to freed page P/);
    const replay = /replay: mmreplay run (\S+) (.*)$/m.exec(r.out);
    expect(replay?.[1]).toBe(race);
    const args = replay![2].split(' ');
    const run = await cli('run', race, ...args);
    expect(run.out).toMatch(/violation after \d+ steps/);
    expect(run.out).toMatch(/I3 at step/);
    expect(run.code).toBe(1);
  });

  it('a document with a problem exits 2 with the field path and a suggestion', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'name: x\ntitle: t\nthreads: [{name: a, path: mremap}]\npaths: {mremap_move: {regs: {p: page}, steps: [{op: lock_page, args: [p]}]}}\n');
    const r = await cli('audit', bad);
    expect(r.code).toBe(2);
    expect(r.err).toContain("threads[0].path: no path 'mremap'; did you mean 'mremap_move'?");
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('a PTE register where a page is expected is an error, with its path', async () => {
    const bad = join(dir, 'kinds.yaml');
    writeFileSync(
      bad,
      [
        'name: kinds',
        'title: a PTE register where a page is expected',
        'pages: [{name: P, ref: 1, map: 1, mapping: anon}]',
        'ptls: [ptl]',
        'ptes: [{name: e, addr: 16, ptl: ptl, init: {kind: present, page: P}}]',
        'threads: [{name: a, path: p, args: {pte: e}}]',
        'paths: {p: {regs: {pte: pte}, steps: [{op: lock_page, args: [pte]}]}}',
      ].join('\n'),
    );
    const r = await cli('audit', bad);
    expect(r.code).toBe(2);
    expect(r.err).toContain("paths.p.steps[0].args[0]: lock_page's operand 'page' is a page register; 'pte' is a pte register");
  });

  it('a document may not take the name of a built-in scenario', async () => {
    const doc = join(dir, 'seed.yaml');
    writeFileSync(doc, 'name: seed\ntitle: t\nthreads: [{name: a, path: p}]\npaths: {p: {regs: {}, steps: [{op: done}]}}\n');
    const r = await cli('run', doc);
    expect(r.code).toBe(2);
    expect(r.err).toContain("name: 'seed' is already a scenario of this mmreplay");
  });
});

describe('mmreplay scenarios show / export', () => {
  it('show --paths prints every step with its label and kernel citation', async () => {
    const r = await cli('scenarios', 'show', 'c13-mremap', '--paths');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/M2\.move_pte +pte_move +mm\/mremap\.c move_ptes v6\.6/);
  });

  it('show reads a document file too', async () => {
    const r = await cli('scenarios', 'show', race, '--paths');
    expect(r.code).toBe(0);
    expect(r.out).toContain('start.after');
    expect(r.out).toMatch(/FIX=rmap-lock\|none/);
  });

  it("show lists a document's own invariants after the built-ins, as audited, each with what its violation says", async () => {
    const file = fileURLToPath(new URL('../../../examples/scenarios/user-invariant.yaml', import.meta.url));
    const r = await cli('scenarios', 'show', file);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /deadlock \(-, liveness\)[^\n]*\n {4}entry-under-page-lock \(user invariant\): never \(predicate language\); a violation says: a migration entry exists/,
    );
    const json = JSON.parse((await cli('scenarios', 'show', file, '--json')).out);
    expect(json.invariants).toEqual(['deadlock', 'entry-under-page-lock']);
    expect(json.userInvariants).toEqual([{ name: 'entry-under-page-lock', description: expect.stringContaining('never (predicate language)') }]);
  });

  it('export writes a document that loads back to the same model', async () => {
    const r = await cli('scenarios', 'export', 'c12-fork');
    expect(r.code).toBe(0);
    const loaded = parseScenarioDocument(r.out);
    expect(loaded.problems).toEqual([]);
    if (!loaded.ok) return;
    for (const variant of [undefined, 'c12-child-first']) {
      expect(resolveScenarioModel(loaded.scenario, { variant }).modelHash).toBe(resolveModel({ scenario: 'c12-fork', variant }).modelHash);
    }
  });

  it('export --param pins the parameters; a bad one exits 2', async () => {
    const ok = await cli('scenarios', 'export', 'seed', '--param', 'ptes=2', '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out).params[0]).toMatchObject({ name: 'ptes', default: 2, min: 2, max: 2 });
    const bad = await cli('scenarios', 'export', 'seed', '--param', 'ptes=99');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--param ptes must be an integer from 1 to 16');
  });
});
