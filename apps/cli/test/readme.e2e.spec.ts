// The README's command-line blocks (marked `<!-- cli-examples -->`), run as printed with bash from
// the repository root on a fresh store, through the installed `npx mmreplay`. A line whose comment
// says `# exit N` must exit with N (a violation is 1, an inconclusive audit 125); every other
// command must succeed. Issue 14: "every README example runs as printed in a test".
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const tools = ['bash', 'jq'].every((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status === 0);

/** Every block marked `<!-- cli-examples ... -->`, exactly as printed. */
function blocks(): string[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  return [...readme.matchAll(/<!-- cli-examples[^>]*-->\s*```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
}

/** The lines that document an exit code, by line number (1-based): `# exit N`. */
function expectedExits(script: string): Map<number, number> {
  const out = new Map<number, number>();
  script.split('\n').forEach((line, i) => {
    const m = /#\s*exit (\d+)/.exec(line);
    if (m) out.set(i + 1, Number(m[1]));
  });
  return out;
}

describe("the README's command-line examples", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mmreplay-readme-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('there are two blocks, the commands and the seed story', () => {
    expect(blocks()).toHaveLength(2);
  });

  it.skipIf(!tools)('each runs as printed; each command exits as its comment says (needs bash and jq)', { timeout: 240_000 }, async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, MMREPLAY_STORE: `sqlite:${join(dir, 'readme.db')}`, MMREPLAY_TEAM: 'kernel-mm', MMREPLAY_ACTOR: 'alice' };
    delete env.MMREPLAY_API;
    delete env.MMREPLAY_TOKEN;
    for (const script of blocks()) {
      // The ERR trap reports every command that exits non-zero, with its line: compared with the comments.
      // `npx mmreplay` is this checkout's bin (node_modules/.bin/mmreplay); called directly to spare
      // npx's own start-up on every line. The line numbers stay those of the block.
      const traced = `npx() { if [ "$1" = mmreplay ]; then shift; node apps/cli/bin/mmreplay.js "$@"; else command npx "$@"; fi; }; trap 'echo "::exit $? at $LINENO" >&2' ERR\n${script}`;
      const r = await promisify(execFile)('bash', ['-o', 'pipefail', '-c', traced], { cwd: root, env, maxBuffer: 64 * 1024 * 1024, timeout: 200_000 }).catch(
        (e) => e as { stdout: string; stderr: string },
      );
      const seen = new Map([...r.stderr.matchAll(/::exit (\d+) at (\d+)/g)].map((m) => [Number(m[2]) - 1, Number(m[1])] as [number, number]));
      expect(seen, `${script}\n--- stderr:\n${r.stderr.slice(-3000)}`).toEqual(expectedExits(script));
      expect(r.stderr).not.toMatch(/\n\s+at |Error:/);
    }
  });
});
