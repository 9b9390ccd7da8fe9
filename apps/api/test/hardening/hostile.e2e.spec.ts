import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest, type ClientRequest } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_FAILURE_BURST } from '../../src/http/auth-failures.js';
import { wsConnects } from '../ws-connect.js';
import { ADMIN, startApi, until, type ApiProcess } from '../reliability/processes.js';
import { healthBound as bound, startControlServer, type ControlServer } from './control-server.js';

// Issue 12's attacks, each against the real server (a child process on SQLite) while a probe asks
// /health/ready every 10 ms: the attack gets a 4xx or a bounded answer, the probe's worst latency
// stays under 250 ms beyond the scheduling noise of the same moment, and the process is alive at
// the end. Each attack's worst latency is printed.
//
// The noise: a second child process, an HTTP server that does nothing else (control-server.ts), is
// probed at the same time in the same way. When other work shares the cores (`npm test` runs two
// projects at once), both children wait for the scheduler alike, and the control's worst latency
// is that wait; a server that blocks its event loop is slow where the control is not. So the bound
// is 250 ms plus the larger of the control's worst in the same window and the idle server's worst
// (measured for 2 s before any attack).

// On a machine whose load average is far above its cores (CI is 2 quiet cores; a shared
// development box may run 25 processes per core), wall-clock latency measures the scheduler, not
// the server: the figures are then printed, not asserted, and the run says so.
const MAX_HEALTH_MS = 250;
const OVERLOADED = loadavg()[0] > 3 * cpus().length;
let idleWorst = 0;

class Probe {
  private worst = 0;
  private running = false;
  private loop: Promise<void> = Promise.resolve();

  constructor(private readonly url: string) {}

  start(): void {
    this.worst = 0;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const t0 = performance.now();
        const r = await fetch(`${this.url}/health/ready`);
        await r.arrayBuffer();
        if (r.status !== 200) throw new Error(`health: ${r.status}`);
        this.worst = Math.max(this.worst, performance.now() - t0);
        await new Promise((res) => setTimeout(res, 10));
      }
    })();
  }

  async stop(): Promise<number> {
    this.running = false;
    await this.loop;
    return this.worst;
  }
}

const healthBound = (controlWorst: number) => bound(MAX_HEALTH_MS, idleWorst, controlWorst);

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

describe('hostile clients against one shared server (issue 12)', () => {
  let dir: string;
  let api: ApiProcess;
  let probe: Probe;
  let control: ControlServer;
  let controlProbe: Probe;
  let owner: string;
  let member: string;
  let viewer: string;
  let longRun: string;
  const worst: Record<string, number> = {};

  /** Runs `attack` while the probes measure health; records and checks the worst latency. */
  async function under<T>(name: string, attack: () => Promise<T>): Promise<T> {
    probe.start();
    controlProbe.start();
    try {
      return await attack();
    } finally {
      const ms = await probe.stop();
      const noise = await controlProbe.stop();
      worst[name] = Math.round(ms);
      console.log(`hostile: ${name}: worst /health/ready ${ms.toFixed(0)} ms (control server ${noise.toFixed(0)} ms)`);
      if (!OVERLOADED)
        expect(ms, `${name}: worst health latency (idle: ${idleWorst.toFixed(0)} ms, control: ${noise.toFixed(0)} ms)`).toBeLessThan(healthBound(noise));
      expect(api.child.exitCode).toBeNull();
    }
  }

  const gql = (query: string, variables: Record<string, unknown> = {}, token?: string) => api.request('POST', '/graphql', token, { query, variables });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mmreplay-hostile-'));
    api = await startApi(`sqlite:${join(dir, 'hostile.db')}`, { MMREPLAY_RUNS_PER_TEAM: '4', MMREPLAY_RUNS_PER_TOKEN: '2' });
    probe = new Probe(api.url);
    control = await startControlServer();
    controlProbe = new Probe(control.url);
    owner = (await api.request('POST', '/teams', ADMIN, { teamId: 'mm', owner: 'alice' })).body.token.token;
    const issue = async (name: string, role: string) => {
      expect((await api.request('POST', '/teams/mm/members', owner, { member: name, role })).status).toBe(201);
      return (await api.request('POST', '/teams/mm/tokens', owner, { member: name })).body.token as string;
    };
    member = await issue('mallory', 'member');
    viewer = await issue('victor', 'viewer');
    const run = await api.request('POST', '/runs', owner, { scenario: 'seed', params: { rounds: 10_000_000 }, strategy: 'round-robin', maxSteps: 40_000 });
    expect(run.status).toBe(201);
    longRun = run.body.id;
    probe.start();
    await new Promise((r) => setTimeout(r, 2_000));
    idleWorst = await probe.stop();
    console.log(`hostile: idle server: worst /health/ready ${idleWorst.toFixed(0)} ms`);
    if (OVERLOADED) console.log(`hostile: load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores: latencies printed, NOT asserted`);
  }, 120_000);

  afterAll(async () => {
    console.log(`hostile: worst /health/ready per attack (ms, idle ${idleWorst.toFixed(0)}): ${JSON.stringify(worst)}`);
    await api?.kill();
    await control?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('1. a schedule token standing for 10^8 steps: 400 before anything is allocated', async () => {
    const r = await under('1 schedule token', () =>
      api.request('POST', '/runs', member, { scenario: 'seed', strategy: 'replay', schedule: 's1.AYDC1y8BgMLXLw.' }),
    );
    expect(r.status).toBe(400);
    expect(r.body.errors[0].field).toBe('schedule');
  });

  it('2. 2,000 aliases of __schema without a token: 400 QUERY_TOO_COSTLY', async () => {
    const query = `{ ${Array.from({ length: 2_000 }, (_, i) => `a${i}: __schema { types { fields { name type { name } } } }`).join(' ')} }`;
    const r = await under('2 introspection aliases', () => gql(query));
    expect(r.status).toBe(400);
    expect(r.body.errors[0].extensions.code).toBe('QUERY_TOO_COSTLY');
  });

  it('3. long runs are recorded in slices; the per-token and per-team caps answer 429 with Retry-After', async () => {
    const big = { scenario: 'seed', params: { rounds: 10_000_000 }, maxSteps: 60_000, wait: false };
    const statuses = await under('3 long runs', async () => {
      const out: { status: number; retryAfter: string | null }[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await api.request('POST', '/runs', member, { ...big, seed: i });
        out.push({ status: r.status, retryAfter: r.headers.get('retry-after') });
      }
      // recorded while health stays fast
      await new Promise((r) => setTimeout(r, 1_500));
      return out;
    });
    expect(statuses.map((s) => s.status)).toEqual([202, 202, 429]);
    expect(Number(statuses[2].retryAfter)).toBeGreaterThan(0);
  });

  it('4. a predicate nested 4 deep: 422 naming the budget', async () => {
    let where: unknown = { all: [0, 1, 2, 3].map((i) => ({ pte: `$p${i}`, kind: 'swap' })) };
    for (let i = 3; i >= 0; i--) where = { exists: 'pte', as: `$p${i}`, where };
    const wide = await api.request('POST', '/runs', owner, { scenario: 'seed', params: { ptes: 13 }, strategy: 'round-robin' });
    expect(wide.status).toBe(201);
    const r = await under('4 nested predicate', () => api.request('POST', `/runs/${wide.body.id}/first-where`, viewer, { where }));
    expect(r.status).toBe(422);
    expect(r.body.detail).toMatch(/work per state budget/);
  });

  it('5. history of a long run, 3 aliases: paged, bounded', async () => {
    const q = `query ($id: ID!) { run(id: $id) { a: history(object: "page:P") { step } b: history(object: "page:P") { step } c: history(object: "page:P") { step } } }`;
    const r = await under('5 history aliases', () => gql(q, { id: longRun }, viewer));
    expect(r.status).toBe(200);
    expect(r.body.data.run.a).toHaveLength(100);
    const huge = await gql(
      `query ($id: ID!) { run(id: $id) { a: history(object: "page:P", first: 10000) { step } b: history(object: "page:P", first: 10000) { step } } }`,
      { id: longRun },
      viewer,
    );
    expect(huge.status).toBe(400);
    const rest = await under('5 history REST page', () => api.request('GET', `/runs/${longRun}/history?object=page:P&limit=500`, viewer));
    expect(rest.status).toBe(200);
    expect(rest.body).toHaveLength(500);
    expect(rest.headers.get('link')).toMatch(/after=\d+.*rel="next"/);
  });

  it('6. SSE clients that never read: memory bounded (backpressure), and a cap per token', async () => {
    const before = rssMb(api.child.pid!);
    const held: ClientRequest[] = [];
    await under('6 stalled SSE readers', async () => {
      for (let i = 0; i < 4; i++) {
        await new Promise<void>((resolve, reject) => {
          const req = httpRequest(`${api.url}/runs/${longRun}/live`, { headers: { authorization: `Bearer ${viewer}`, accept: 'text/event-stream' } }, (res) => {
            res.pause(); // never read: the socket fills up
            resolve();
          });
          req.on('error', reject);
          req.end();
          held.push(req);
        });
      }
      await new Promise((r) => setTimeout(r, 2_000));
    });
    const grown = rssMb(api.child.pid!) - before;
    console.log(`hostile: 6 stalled SSE readers: RSS grew ${grown.toFixed(1)} MB`);
    expect(grown).toBeLessThan(80);
    // the per-token cap (16 by default) holds: 4 held, 12 more stalled readers allowed, the next is 429
    const more: ClientRequest[] = [];
    const statuses: number[] = [];
    for (let i = 0; i < 13; i++) {
      statuses.push(
        await new Promise<number>((resolve) => {
          const req = httpRequest(`${api.url}/runs/${longRun}/live`, { headers: { authorization: `Bearer ${viewer}` } }, (res) => {
            resolve(res.statusCode!);
            if (res.statusCode === 200)
              res.pause(); // stalled too: it stays open
            else res.resume();
          });
          req.end();
          more.push(req);
        }),
      );
    }
    for (const r of [...held, ...more]) r.destroy();
    expect(statuses.slice(0, 12).every((s) => s === 200)).toBe(true);
    expect(statuses[12]).toBe(429);
  });

  it('7. a variable default counts like the literal', async () => {
    const r = await under('7 variable default', () => gql('query ($l: Int = 10000) { runs(first: 20) { nodes { events(limit: $l) { step } } } }', {}, member));
    expect(r.status).toBe(400);
    expect(r.body.errors[0].extensions.code).toBe('QUERY_TOO_COSTLY');
  });

  it('8. variants that cannot run: 422 naming the step; an endless local loop mid-run ends failed, its live stream ends', async () => {
    const variant = (...steps: object[]) => ({ name: 'hostile', patches: [{ op: 'insert', path: 'migrate_pages', after: 'U2.locked', steps }] });
    for (const steps of [[{ label: 'X1', op: 'jmp', args: ['X1'] }], [{ label: 'X1', op: 'ret', args: [] }]]) {
      const r = await under('8 unrunnable variant', () => api.request('POST', '/runs', owner, { scenario: 'seed', variant: variant(...steps) }));
      expect(r.status).toBe(422);
      expect(JSON.stringify(r.body.errors)).toMatch(/X1/);
    }
    const spin = variant({ label: 'X1', op: 'mov', args: ['ok', 0] }, { label: 'X2', op: 'beq', args: ['ok', 0, 'X2'] });
    const r = await under('8 failing run', () => api.request('POST', '/runs', owner, { scenario: 'seed', variant: spin }));
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: 'completed', outcome: 'failed' });
    expect(r.body.reason).toMatch(/never reaches an atomic step/);
    const live = await fetch(`${api.url}/runs/${r.body.id}/live`, { headers: { authorization: `Bearer ${owner}` } });
    expect(await live.text()).toMatch(/event: end/);
  });

  it('9 and 10. graphql-ws: a revoked token opens no subscription; token guessing is rate-limited', async () => {
    const connect = (token: string) => wsConnects(api.url, token);
    const started = Date.now();
    const refused = await under('10 graphql-ws guessing', async () => {
      const out: boolean[] = [];
      for (let i = 0; i < 30; i++) out.push(await connect(`mmr_${i.toString(16).padStart(16, '0')}_guess`));
      return out;
    });
    expect(refused.every((ok) => !ok)).toBe(true);
    // This client's address is now blocked for REST too: the guesses spent the burst of 20 that
    // REST shares. The bucket refills one a second, so on a slow machine the seconds the guessing
    // took may let as many more failures through first (a limiter of REST's own would let 20).
    const refills = Math.ceil((Date.now() - started) / 1000) + 1;
    const statuses: number[] = [];
    while (statuses.length <= refills && statuses.at(-1) !== 429) statuses.push((await api.request('GET', '/me', 'mmr_nope')).status);
    expect(statuses.at(-1), `REST after the guesses: ${statuses.join(', ')}`).toBe(429);
    expect(refills).toBeLessThan(AUTH_FAILURE_BURST);
    await until('the limiter to refill', async () => (await api.request('GET', '/me', owner)).status === 200, 30_000, 250);
  });

  it('the process is alive, and every run it accepted completed', async () => {
    expect(api.child.exitCode).toBeNull();
    await until(
      'no run left running',
      async () => {
        const r = await api.request('GET', '/runs?status=running', owner);
        return r.status === 200 && r.body.nodes.length === 0;
      },
      60_000,
      250,
    );
  });
});
