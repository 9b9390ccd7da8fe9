import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApi } from './harness.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
/** The examples use curl, and jq for readability: without them there is nothing to run. */
const tools = ['bash', 'curl', 'jq'].every(has);

/** The README block marked `<!-- api-examples ... -->`, exactly as printed. */
function readmeExamples(): string {
  const readme = readFileSync(`${root}README.md`, 'utf8');
  const m = /<!-- api-examples[^>]*-->\s*```sh\n([\s\S]*?)```/.exec(readme);
  if (!m) throw new Error('no api-examples block in README.md');
  return m[1];
}

describe("the README's curl and GraphQL examples", () => {
  let api: TestApi;
  let token: string;

  beforeAll(async () => {
    api = await TestApi.start({ audits: { progressEveryMs: 1_000 } });
    token = await api.team('kernel-mm');
  });
  afterAll(() => api.close());

  it.skipIf(!tools)('run as printed (only the address is the test server’s; needs bash, curl and jq)', async () => {
    const script = readmeExamples();
    expect(script).toContain('http://127.0.0.1:3000');
    const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script.replaceAll('http://127.0.0.1:3000', api.url)], {
      cwd: root,
      // No MMREPLAY_API: every address the examples use is in the block itself, so any port works.
      env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'MMREPLAY_API')), TOKEN: token },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 60_000,
    });
    expect(stdout).toContain('"status":"ready"');
    expect(stdout).toMatch(/event: AuditCompleted/);
    expect(stdout).toMatch(/AuditCompleted completed holds/);
    expect(stdout).toMatch(/"baseline": "violated",\s+"fix": "holds"/);
    expect(stdout).toMatch(/!!!! bug-on: flt\d: BUG_ON\(!PageLocked\)/);
    expect(stdout).toMatch(/"outcome": "violation"/);
    expect(stdout).toMatch(/"e0": "migration\(P,write\)"|"locks"/);
    expect(stdout).toMatch(/"status": "running"/);
    expect(stdout).toMatch(/"action":"run.started"/);
  });

  it('follow-audit.mjs takes the API address from its command line, and a failure is one line', async () => {
    const script = fileURLToPath(new URL('../examples/follow-audit.mjs', import.meta.url));
    const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'MMREPLAY_API')), TOKEN: token };
    const down = await promisify(execFile)('node', [script, 'no-such-audit', 'http://127.0.0.1:9'], { cwd: root, env, timeout: 30_000 }).catch(
      (e) => e as { code: number; stderr: string },
    );
    expect((down as { code: number }).code).toBe(1);
    expect(down.stderr).toMatch(/^follow-audit: ws:\/\/127\.0\.0\.1:9\/graphql: .*ECONNREFUSED.*\n$/);
    const missing = await promisify(execFile)('node', [script, 'no-such-audit', api.url], { cwd: root, env, timeout: 30_000 }).catch(
      (e) => e as { code: number; stderr: string },
    );
    expect((missing as { code: number }).code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/NOT_FOUND|unknown audit/);
  });
});
