#!/usr/bin/env node
// Load and soak: starts the built API (apps/api/bin/api.js) in its own process on a fresh SQLite
// store, then drives it from this process over loopback for a bounded time with a mix of run
// creation, state queries, live subscriptions (SSE) and small audits. Prints one JSON line per
// interval (throughput, p50/p99 latency, errors, the API's RSS and its heap after GC, the store's size)
// and a summary at the end.
//   npm run build && node apps/api/scripts/soak.mjs --seconds 600 [--concurrency 8] [--interval 30]
//     [--profile-at 60,480 --profile-dir DIR [--profile-seconds 20]]   CPU profiles of the API from
//                         these seconds of the soak on (cpu-probe.cjs): DIR/cpu-1.cpuprofile, ...
//     [--prefill 20000]   the store starts with this many runs already recorded (copies of one real
//                         run under new ids), to see at once what a long soak only shows at its end
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEventStore } from '@mmreplay/event-store';
import { runStream } from '@mmreplay/events';
import { RunService } from '@mmreplay/runs';

const args = Object.fromEntries(
  process.argv
    .slice(2)
    .join(' ')
    .split('--')
    .filter(Boolean)
    .map((a) => a.trim().split(/\s+/)),
);
const seconds = Number(args.seconds ?? 60);
const concurrency = Number(args.concurrency ?? 8);
const interval = Number(args.interval ?? 10);
const port = Number(args.port ?? 3900 + Math.floor(Math.random() * 500));
const ADMIN = 'soak-admin-token-0123456789abcdef';
const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mmreplay-soak-'));
const memoryLog = join(dir, 'memory.ndjson');
const profileAt = args['profile-at'];
const prefill = Number(args.prefill ?? 0);
const storeFile = join(dir, 'soak.db');
if (prefill > 0) {
  const started = Date.now();
  const store = await createEventStore(`sqlite:${storeFile}`);
  await new RunService(store).startRun({ runId: 'prefill0', scenario: 'seed', strategy: 'pct', seed: 1, team: 'soak', actor: 'soak' });
  const events = await store.readStream(runStream('prefill0'));
  for (let i = 1; i < prefill; i++) {
    const runId = `prefill${i}`;
    const copy = events.map((e) => ({ type: e.type, data: e.type === 'RunStarted' ? { ...e.data, runId } : e.data, metadata: { ...e.metadata } }));
    await store.appendToStream(runStream(runId), copy, { expectedRevision: 'no-stream' });
  }
  await store.close();
  console.log(JSON.stringify({ prefilled: prefill, eventsPerRun: events.length, seconds: Math.round((Date.now() - started) / 1000) }));
}
const profiling = profileAt ? ['--require', join(here, 'cpu-probe.cjs')] : [];
// The probe collects garbage before each reading: heap after GC is the live data a leak would grow.
const api = spawn(process.execPath, ['--expose-gc', '--require', join(here, 'memory-probe.cjs'), ...profiling, join(here, '../bin/api.js')], {
  env: {
    ...process.env,
    MMREPLAY_MEMORY_LOG: memoryLog,
    MMREPLAY_CPU_PROFILE_DIR: args['profile-dir'] ?? '',
    MMREPLAY_CPU_PROFILE_SECONDS: args['profile-seconds'] ?? '20',
    HOST: '127.0.0.1',
    PORT: String(port),
    MMREPLAY_STORE: `sqlite:${storeFile}`,
    MMREPLAY_ADMIN_TOKEN: ADMIN,
    MMREPLAY_RATE_BURST: '1000000',
    MMREPLAY_RATE_PER_SECOND: '1000000',
    MMREPLAY_AUDITS_PER_TEAM: '4',
  },
  stdio: ['ignore', 'pipe', 'pipe'],
});
const spawnedAt = Date.now();
let apiErr = '';
api.stderr.on('data', (d) => (apiErr += d).length > 1e5 && (apiErr = apiErr.slice(-1e4)));
const base = `http://127.0.0.1:${port}`;
const liveHeap = () => {
  try {
    const last = readFileSync(memoryLog, 'utf8').trim().split('\n').at(-1);
    return JSON.parse(last);
  } catch {
    return undefined;
  }
};
const storeBytes = () =>
  ['soak.db', 'soak.db-wal'].reduce((sum, f) => {
    try {
      return sum + statSync(join(dir, f)).size;
    } catch {
      return sum;
    }
  }, 0);
const rss = () => {
  try {
    return Number(readFileSync(`/proc/${api.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]) * 1024;
  } catch {
    return NaN;
  }
};

async function req(method, path, token, body) {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text && /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : text };
}

for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${base}/health/ready`)).ok) {
      console.log(JSON.stringify({ apiReadyAfterSeconds: Math.round((Date.now() - spawnedAt) / 1000) }));
      break;
    }
  } catch {}
  // a prefilled store is folded into the catalogue at start: give it time (a loaded machine is slow)
  if (i > 1200 + prefill / 10) {
    api.kill('SIGKILL');
    throw new Error(`API did not start: ${apiErr}`);
  }
  await new Promise((r) => setTimeout(r, 100));
}
const team = await req('POST', '/teams', ADMIN, { teamId: 'soak', owner: 'soak' });
const token = team.body.token.token;

const window = { n: 0, errors: 0, lat: [], kinds: {} };
const total = { n: 0, errors: 0, lat: [] };
const runs = [];
const errorSamples = [];
async function op(kind, fn) {
  const t0 = performance.now();
  let ok = false;
  try {
    ok = await fn();
  } catch (e) {
    if (errorSamples.length < 10) errorSamples.push(`${kind}: ${e.message}`);
  }
  const ms = performance.now() - t0;
  for (const w of [window, total]) {
    w.n++;
    w.lat.push(ms);
    if (!ok) w.errors++;
  }
  window.kinds[kind] = (window.kinds[kind] ?? 0) + 1;
}
const check = (kind, r, ...ok) => {
  if (!ok.includes(r.status) && errorSamples.length < 10) errorSamples.push(`${kind}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
  return ok.includes(r.status);
};
let seq = 0;
const mix = [
  [
    'run',
    30,
    async () => {
      const r = await req('POST', '/runs', token, { scenario: 'seed', strategy: 'pct', seed: seq++ });
      if (r.status === 201) runs.push(r.body.id ?? r.body.runId);
      // 429: the team already records as many runs as the server allows at once (a correct answer)
      return check('run', r, 201, 429);
    },
  ],
  [
    'state',
    35,
    async () => {
      if (!runs.length) return true;
      const id = runs[Math.floor(Math.random() * runs.length)];
      const r = await req('GET', `/runs/${id}/state?at=${Math.floor(Math.random() * 10)}`, token);
      return check('state', r, 200, 400);
    },
  ],
  ['list', 15, async () => check('list', await req('GET', '/runs?limit=20', token), 200)],
  [
    'live',
    15,
    async () => {
      if (!runs.length) return true;
      const id = runs[Math.floor(Math.random() * runs.length)];
      const res = await fetch(`${base}/runs/${id}/live`, { headers: { authorization: `Bearer ${token}` } });
      const t = await res.text();
      return res.status === 200 && t.includes('event: end');
    },
  ],
  [
    'audit',
    5,
    async () => {
      const r = await req('POST', '/audits', token, { scenario: 'seed', strategy: 'random', bounds: { runs: 20, seed: seq++, maxSeconds: 5 } });
      return check('audit', r, 202, 429);
    },
  ],
];
const weights = mix.reduce((s, m) => s + m[1], 0);
const pick = () => {
  let x = Math.random() * weights;
  for (const m of mix) if ((x -= m[1]) < 0) return m;
  return mix[0];
};
const pct = (a, p) => {
  if (!a.length) return 0;
  const s = [...a].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

const start = Date.now();
const end = start + seconds * 1000;
for (const [n, at] of (profileAt ?? '').split(',').filter(Boolean).map(Number).entries()) {
  setTimeout(() => {
    api.kill('SIGUSR2');
    console.log(JSON.stringify({ profile: `cpu-${n + 1}.cpuprofile`, fromSecond: at }));
  }, at * 1000).unref();
}
const series = [];
const timer = setInterval(() => {
  const line = {
    t: Math.round((Date.now() - start) / 1000),
    ops: window.n,
    perSecond: Math.round(window.n / interval),
    errors: window.errors,
    p50: +pct(window.lat, 50).toFixed(1),
    p99: +pct(window.lat, 99).toFixed(1),
    rssMB: +(rss() / 2 ** 20).toFixed(1),
    heapAfterGcMB: +((liveHeap()?.heapUsed ?? NaN) / 2 ** 20).toFixed(1),
    externalMB: +((liveHeap()?.external ?? NaN) / 2 ** 20).toFixed(1),
    storeMB: +(storeBytes() / 2 ** 20).toFixed(1),
    runs: runs.length,
    kinds: window.kinds,
  };
  series.push(line);
  console.log(JSON.stringify(line));
  Object.assign(window, { n: 0, errors: 0, lat: [], kinds: {} });
}, interval * 1000);
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (Date.now() < end) {
      const [k, , fn] = pick();
      await op(k, fn);
    }
  }),
);
clearInterval(timer);
const summary = {
  seconds,
  concurrency,
  ops: total.n,
  perSecond: Math.round(total.n / seconds),
  errors: total.errors,
  p50: +pct(total.lat, 50).toFixed(1),
  p99: +pct(total.lat, 99).toFixed(1),
  rssMB: { first: series[0]?.rssMB, max: Math.max(...series.map((s) => s.rssMB)), last: series.at(-1)?.rssMB },
  heapAfterGcMB: { first: series[0]?.heapAfterGcMB, last: series.at(-1)?.heapAfterGcMB },
  storeMB: series.at(-1)?.storeMB,
  runs: runs.length,
  errorSamples,
  apiAlive: api.exitCode === null,
};
console.log(JSON.stringify({ summary }));
api.kill('SIGTERM');
await new Promise((r) => api.once('exit', r));
rmSync(dir, { recursive: true, force: true });
process.exit(summary.errors === 0 && summary.apiAlive ? 0 : 1);
