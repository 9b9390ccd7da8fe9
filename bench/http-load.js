// The load generator of the `http` bench section, run as its own process (bench/http.js forks it):
// `concurrency` keep-alive connections, each sending `GET /runs/{id}/state?at=<uniformly random
// step>` back to back for `seconds` (after `warmupSeconds` not measured), at most `maxRequests`.
// Prints one JSON object: requests, errors, requests/s, latency quantiles in ms.

import { Agent, request } from 'node:http';

const { url, token, runId, lastStep, concurrency, seconds, maxRequests, warmupSeconds = 0 } = JSON.parse(process.argv[2]);
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
const target = new URL(url);

function get(path) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = request(
      { agent, host: target.hostname, port: target.port, path, method: 'GET', headers: { authorization: `Bearer ${token}`, accept: 'application/json' } },
      (res) => {
        let bytes = 0;
        res.on('data', (c) => (bytes += c.length));
        res.on('end', () => resolve({ ok: res.statusCode === 200, ms: performance.now() - t0, bytes, status: res.statusCode }));
        res.on('error', () => resolve({ ok: false, ms: performance.now() - t0, bytes, status: 0 }));
      },
    );
    req.on('error', () => resolve({ ok: false, ms: performance.now() - t0, bytes: 0, status: 0 }));
    req.end();
  });
}

const pick = () => Math.floor(Math.random() * (lastStep + 2)) - 1;

async function phase(durationSeconds, limit, record) {
  const end = performance.now() + durationSeconds * 1000;
  let sent = 0;
  const worker = async () => {
    while (performance.now() < end && sent < limit) {
      sent++;
      record(await get(`/runs/${encodeURIComponent(runId)}/state?at=${pick()}`));
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return (performance.now() - t0) / 1000;
}

await phase(warmupSeconds, Number.MAX_SAFE_INTEGER, () => {});
const times = [];
let errors = 0;
let bytes = 0;
const statuses = {};
const elapsed = await phase(seconds, maxRequests, (r) => {
  times.push(r.ms);
  bytes += r.bytes;
  if (!r.ok) {
    errors++;
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  }
});
agent.destroy();
times.sort((a, b) => a - b);
const q = (p) => Math.round(times[Math.min(times.length - 1, Math.floor(p * times.length))] * 1000) / 1000;
process.stdout.write(
  JSON.stringify({
    seconds: Math.round(elapsed * 10) / 10,
    requests: times.length,
    errors,
    statuses,
    requestsPerSec: Math.round(times.length / elapsed),
    p50Ms: q(0.5),
    p90Ms: q(0.9),
    p99Ms: q(0.99),
    maxMs: Math.round(times[times.length - 1] * 1000) / 1000,
    meanBytes: Math.round(bytes / Math.max(1, times.length)),
  }),
);
