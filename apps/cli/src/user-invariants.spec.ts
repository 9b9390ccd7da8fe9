import { writeFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from './test-cli.js';

// Issue 13, user invariants through the CLI: a document's own invariant in the predicate language
// is audited like a built-in one (exit 1 with a counterexample whose replay breaks it again), and
// a predicate with an error exits 2 with its field path, before anything runs.

const example = fileURLToPath(new URL('../../../examples/scenarios/user-invariant.yaml', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mmreplay-inv-'));

beforeAll(() => {
  process.env.MMREPLAY_STORE = 'memory:';
});

describe('mmreplay audit / run with a user invariant', () => {
  it('the kernel order holds, and the audit says it checked the user invariant', async () => {
    const r = await cli('audit', example);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^user-invariant \(kernel\) exhaustive: holds/);
    expect(r.out).toMatch(/checked {5}deadlock, entry-under-page-lock/);
    expect(r.code).toBe(0);
  });

  it('the early unlock is violated with the invariant message, and the printed replay breaks it again', async () => {
    const r = await cli('audit', example, '--variant', 'unlock-early');
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      "entry-under-page-lock (user invariant) at step 5 (6 steps): mig: a migration entry exists while mig does not hold its page's lock",
    );
    // the document's own invariant, not one of mmreplay's protocol invariants: a reader quoting it must not think so
    expect(r.out).toContain('  defined in: the scenario document, in the predicate language\n');
    expect(r.out).not.toMatch(/protocol invariant|the argument:/);
    const j = await cli('audit', example, '--variant', 'unlock-early', '--json');
    expect(JSON.parse(j.out).violated).toEqual({
      invariant: 'entry-under-page-lock',
      class: 'user',
      backing: 'the scenario document, in the predicate language',
    });
    const replay = /replay: mmreplay run (\S+) (.*)$/m.exec(r.out);
    const run = await cli('run', replay![1], ...replay![2].split(' '));
    expect(run.out).toMatch(/violation after 6 steps/);
    expect(run.out).toContain('entry-under-page-lock at step 5: mig:');
    expect(run.code).toBe(1);
  });

  it('a predicate with errors exits 2 with the field path of each, never a stack trace', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, readFileSync(example, 'utf8').replace('kind: migration }', 'kind: migrated }').replace('lockedBy: mig }', 'lockedBy: migr }'));
    const r = await cli('audit', bad);
    expect(r.code).toBe(2);
    expect(r.err).toContain('invariants[1].never.where.all[0].kind: must be one of none, present, migration');
    expect(r.err).toContain("invariants[1].never.where.all[1].not.lockedBy: the world has no thread 'migr' (it has mig, flt)");
    expect(r.err).not.toMatch(/\n\s+at /);
    const run = await cli('run', bad);
    expect(run.code).toBe(2);
  });
});
