import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { mutate, mutationsArb, SMALL_DOCUMENT } from '@mmreplay/model/fuzz';
import { EXIT } from './exit-codes.js';
import { cli } from './test-cli.js';

// Issue 13 must-show, at the command line: generated malformed documents, written to files and
// given to `mmreplay run FILE` through the CLI's own entry point (main, in process), exit 2 with
// every problem as `path: message`, never a stack trace and never another exit code. The
// generator is the model's (libs/model/test/fuzz, exported to specs only as `@mmreplay/model/fuzz`); a mutant that happens to be valid runs.

const RUNS = Number(process.env.MMREPLAY_CLI_FUZZ_RUNS ?? 5200);
const dir = mkdtempSync(join(tmpdir(), 'mmreplay-malformed-'));

beforeAll(() => {
  process.env.MMREPLAY_STORE = 'memory:';
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('malformed scenario documents through the CLI (fast-check)', () => {
  it(`${RUNS} mutated documents: mmreplay run exits 2 with field paths, or runs; never a stack trace`, async () => {
    let n = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(mutationsArb, fc.boolean(), async (ms, asJson) => {
        // a name of its own, so that a valid mutant is not refused for reusing an earlier one's
        const doc = mutate({ ...SMALL_DOCUMENT, name: `small-${n}` }, ms);
        const file = join(dir, `d${n++}.${asJson ? 'json' : 'yaml'}`);
        writeFileSync(file, asJson ? (JSON.stringify(doc) ?? '') : stringify(doc));
        const r = await cli('run', file, '--quiet', '--max-steps', '200');
        expect(r.err).not.toMatch(/\n\s+at \S+ \(/);
        if (r.code === EXIT.badInput) {
          refused++;
          // `mmreplay: FILE has N problems:` then one `  path: message` line per problem
          const lines = r.err.split('\n').filter((l) => /^ {2}\S/.test(l));
          expect(lines.length, r.err).toBeGreaterThan(0);
          for (const l of lines) expect(l, r.err).toMatch(/^ {2}\S.*?: \S/);
          return;
        }
        expect([EXIT.ok, EXIT.violated, EXIT.inconclusive], r.err).toContain(r.code);
      }),
      { numRuns: RUNS, seed: 13 },
    );
    console.log(`refused ${refused} of ${RUNS}`);
    expect(refused).toBeGreaterThanOrEqual(Math.min(5000, RUNS - 200));
  }, 600_000);
});
