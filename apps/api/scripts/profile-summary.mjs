#!/usr/bin/env node
// Summarises V8 .cpuprofile files (from cpu-probe.cjs, `node --cpu-prof` or DevTools): for each
// file, the share of sampled time per function, self and inclusive (a function counted once per
// sample however often it recurses), the busiest first.
//   node apps/api/scripts/profile-summary.mjs [--top 25] [--match catalogue] a.cpuprofile b.cpuprofile
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const [value] = argv.splice(i, 2).slice(1);
  return value;
};
const top = Number(option('top', 25));
const match = option('match', undefined);

for (const file of argv) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (n) => {
    const f = n.callFrame;
    return `${f.functionName || '(anonymous)'} ${f.url ? `${basename(f.url)}:${f.lineNumber + 1}` : ''}`.trim();
  };
  const self = new Map();
  const inclusive = new Map();
  const counts = new Map();
  for (const id of profile.samples) counts.set(id, (counts.get(id) ?? 0) + 1);
  let total = 0;
  let idle = 0;
  for (const [id, count] of counts) {
    const n = byId.get(id);
    total += count;
    if (n.callFrame.functionName === '(idle)') idle += count;
    self.set(name(n), (self.get(name(n)) ?? 0) + count);
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const k = name(byId.get(at));
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + count);
    }
  }
  const busy = total - idle;
  const pct = (x) => `${((100 * x) / busy).toFixed(1).padStart(5)} %`;
  const rows = (m) =>
    [...m]
      .filter(([k]) => k !== '(root)' && k !== '(idle)' && (!match || k.toLowerCase().includes(match.toLowerCase())))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => `  ${pct(v)}  ${k}`)
      .join('\n');
  const seconds = (profile.endTime - profile.startTime) / 1e6;
  console.log(`${basename(file)}: ${seconds.toFixed(1)} s, busy ${((100 * busy) / total).toFixed(1)} % of samples (shares below are of busy samples)`);
  console.log(` inclusive:\n${rows(inclusive)}`);
  console.log(` self:\n${rows(self)}`);
}
