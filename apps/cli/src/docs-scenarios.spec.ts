import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from './test-cli.js';

// docs/scenarios.md's commands run as printed: every `$ mmreplay ...` line of its console blocks,
// from the repository root, with the exit code its `# exit N` comment gives, and the output lines
// printed under it appear in what the command prints.

const root = fileURLToPath(new URL('../../../', import.meta.url));
const doc = readFileSync(`${root}docs/scenarios.md`, 'utf8');

interface Example {
  readonly argv: string[];
  readonly exit: number;
  readonly expected: string[];
}

function examples(): Example[] {
  const out: Example[] = [];
  for (const block of doc.matchAll(/```console\n([\s\S]*?)```/g)) {
    let cur: { argv: string[]; exit: number; expected: string[] } | null = null;
    for (const line of block[1].split('\n')) {
      const m = /^\$ mmreplay (.*?)\s+# exit (\d+)$/.exec(line);
      if (m) {
        cur = { argv: m[1].split(/\s+/), exit: Number(m[2]), expected: [] };
        out.push(cur);
      } else if (cur && line.trim()) cur.expected.push(line.trim());
    }
  }
  return out;
}

beforeAll(() => {
  process.env.MMREPLAY_STORE = 'memory:';
  process.chdir(root);
});

describe('docs/scenarios.md runs as printed', () => {
  const all = examples();
  it('has commands to run', () => expect(all.length).toBeGreaterThanOrEqual(7));
  for (const ex of all) {
    it(`mmreplay ${ex.argv.join(' ')}`, async () => {
      const r = await cli(...ex.argv.map((a) => a.replace(/^examples\//, `${root}examples/`)));
      expect(r.code, r.err).toBe(ex.exit);
      const printed = r.out.split('\n').map((l) => l.trim());
      for (const line of ex.expected)
        expect(
          printed.some((p) => p === line.replace(/examples\//, `${root}examples/`) || p === line),
          line,
        ).toBe(true);
    });
  }
});
