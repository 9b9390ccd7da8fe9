// HTTP section: `GET /runs/{id}/state?at=<random step>` of a stored run of about 1,000,000 events,
// served by the API (`node apps/api/bin/api.js`, its own process, on the SQLite store) and loaded
// from a second process (bench/http-load.js: keep-alive connections, fixed concurrency and
// duration). Goal (issue 6): p99 under 10 ms and at least 2,000 requests/s on this 2-core machine.

import { fork, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteEventStore } from '@mmreplay/event-store';
import { mmreplayUpcasters } from '@mmreplay/events';
import { RunService } from '@mmreplay/runs';
import { TeamService } from '@mmreplay/teams';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');

const env = (name, dflt) => Number(process.env[name] ?? dflt);

/**
 * Records the benchmark's seed run (`bench`, random schedule, seed 1) into the SQLite file and
 * creates team `bench`, whose owner token reads it: the setup of the HTTP and web benchmarks.
 */
export async function recordBenchRun(file, rounds) {
  const store = await SqliteEventStore.open(file, { upcasters: mmreplayUpcasters() });
  try {
    const report = await new RunService(store).startRun({
      runId: 'bench',
      scenario: 'seed',
      params: { ptes: 2, faults: 2, rounds },
      strategy: 'random',
      seed: 1,
      team: 'bench',
      actor: 'bench',
    });
    const teams = new TeamService(store);
    await teams.start();
    try {
      return { report, token: (await teams.createTeam({ teamId: 'bench', owner: 'bench' }, { actor: 'bench' })).token.token };
    } finally {
      teams.stop();
    }
  } finally {
    await store.close();
  }
}

/** Starts the API and resolves with its URL once it prints its banner. */
export function startApi(file) {
  const child = spawn(process.execPath, [join(ROOT, 'apps/api/bin/api.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      MMREPLAY_STORE: `sqlite:${file}`,
      HOST: '127.0.0.1',
      PORT: '0',
      MMREPLAY_ADMIN_TOKEN: 'bench-admin-token-0123456789',
      // the load generator is one client: lift the per-token rate limit out of the way
      MMREPLAY_RATE_BURST: '100000000',
      MMREPLAY_RATE_PER_SECOND: '100000000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`API did not start in 60 s: ${out}${err}`)), 60_000);
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1] });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`API exited with ${code}: ${out}${err}`));
    });
  });
}

function runLoad(args) {
  return new Promise((resolve, reject) => {
    const child = fork(join(HERE, 'http-load.js'), [JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load generator exited with ${code}: ${out}`))));
  });
}

export async function http() {
  const rounds = env('MMREPLAY_BENCH_ROUNDS', 21_500);
  const seconds = env('MMREPLAY_BENCH_SECONDS', 20);
  // one load per concurrency: 32 saturates 2 cores (latency = queueing), 8 shows the latency below saturation
  const levels = String(process.env.MMREPLAY_BENCH_CONCURRENCY ?? '32,8')
    .split(',')
    .map(Number);
  const dir = mkdtempSync(join(tmpdir(), 'mmreplay-bench-http-'));
  const file = join(dir, 'http-bench.db');
  let api;
  try {
    // 1. the stored run, and a team whose token reads it
    const t0 = performance.now();
    const { report, token } = await recordBenchRun(file, rounds);
    const recordSeconds = (performance.now() - t0) / 1000;
    console.log(
      `recorded run ${report.runId}: ${report.events.toLocaleString('en-US')} events, ${report.steps.toLocaleString('en-US')} steps in ${recordSeconds.toFixed(1)} s`,
    );

    // 2. the server, in its own process
    api = await startApi(file);
    console.log(`API at ${api.url} (pid ${api.child.pid})`);

    // 3. the load, from a second process, once per concurrency level
    const rows = [{ concurrency: '-', measure: 'events in the run', value: report.events, goal: '~1,000,000' }];
    for (const concurrency of levels) {
      const r = await runLoad({
        url: api.url,
        token,
        runId: 'bench',
        lastStep: report.steps - 1,
        concurrency,
        seconds,
        maxRequests: 2_000_000,
        warmupSeconds: 2,
      });
      const met = r.p99Ms < 10 && r.requestsPerSec >= 2_000 && r.errors === 0;
      console.log(`concurrency ${concurrency}: ${JSON.stringify(r)}`);
      rows.push(
        { concurrency, measure: 'duration s', value: r.seconds, goal: '' },
        { concurrency, measure: 'requests', value: r.requests, goal: '' },
        { concurrency, measure: 'errors (non-200 or network)', value: r.errors, goal: '0' },
        { concurrency, measure: 'requests/s', value: r.requestsPerSec, goal: '>= 2,000' },
        { concurrency, measure: 'p50 ms', value: r.p50Ms, goal: '' },
        { concurrency, measure: 'p90 ms', value: r.p90Ms, goal: '' },
        { concurrency, measure: 'p99 ms', value: r.p99Ms, goal: '< 10' },
        { concurrency, measure: 'max ms', value: r.maxMs, goal: '' },
        { concurrency, measure: 'mean response bytes', value: r.meanBytes, goal: '' },
        { concurrency, measure: 'goal met', value: met ? 'yes' : 'no', goal: 'p99 < 10 ms and >= 2,000 req/s' },
      );
    }
    return rows;
  } finally {
    if (api) {
      api.child.kill('SIGTERM');
      await new Promise((res) => (api.child.exitCode !== null ? res() : api.child.once('exit', res)));
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
