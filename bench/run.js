#!/usr/bin/env node
// mmreplay benchmarks (DESIGN.md §3). Run after the build: `npm run bench` (all sections) or
// `node bench/run.js engine spin` (the named sections, in that order). Prints one table per
// section and writes every row to bench/results.json (machine-readable; not meant for git). Sections
// not run this time keep their previous rows in results.json; each section records its own date.
//
// A section is a module bench/<name>.js exporting `async function <name>()` that returns rows
// (plain objects). Add a section by adding a module and one line to SECTIONS.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hugePagesNote } from './huge-pages.js';

const HERE = dirname(fileURLToPath(import.meta.url));

const SECTIONS = {
  engine: { title: 'Engine: simulated steps/s on one core (seeded random schedules)', load: async () => (await import('./engine.js')).engine },
  explorer: { title: 'Exhaustive explorer: seed scenario, ptes=N faults=N, kernel protocol', load: async () => (await import('./explorer.js')).explorer },
  store: { title: 'Event store: SQLite appends, reads and catch-up (1,000,000 events)', load: async () => (await import('./store.js')).store },
  'time-travel': {
    title: 'Time travel: stateAt on a stored 1,000,000-event run, fold rate, catalogue rebuild',
    load: async () => (await import('./time-travel.js')).timeTravel,
  },
  'memory-models': {
    title: 'Memory models: exhaustive C11 audits under sc, tso and lkmm',
    load: async () => (await import('./memory-models.js')).memoryModels,
  },
  catalogue: {
    title: 'Catalogue: one page of GET /runs from the run table at 10,000, 100,000 and 1,000,000 runs (p50, p99)',
    load: async () => (await import('./catalogue.js')).catalogue,
  },
  http: {
    title: 'HTTP: state at a step of a stored 1,000,000-event run, from a second process (p50, p99, requests/s)',
    load: async () => (await import('./http.js')).http,
  },
  web: { title: 'Web app in Chromium: first render and step redraw of a 1,000,000-event run', load: async () => (await import('./web.js')).web },
  spin: { title: 'SPIN on the equivalent Promela model (bench/spin/seed.pml)', load: async () => (await import('./spin.js')).spin },
};

function machine() {
  const c = cpus();
  return {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: c.length,
    cpuModel: c[0]?.model ?? 'unknown',
    memoryGB: Number((totalmem() / 2 ** 30).toFixed(1)),
  };
}

function fmt(v) {
  if (v === null || v === undefined) return '-';
  if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('en-US') : v.toLocaleString('en-US', { maximumFractionDigits: 3 });
  return String(v);
}

/** A plain-text table over the union of the rows' keys; long free-text columns go last. */
export function table(rows, skip = ['command']) {
  const keys = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!keys.includes(k) && !skip.includes(k)) keys.push(k);
  const cells = rows.map((r) => keys.map((k) => fmt(r[k])));
  const width = keys.map((k, i) => Math.max(k.length, ...cells.map((c) => c[i].length)));
  const line = (c) =>
    c
      .map((x, i) => x.padEnd(width[i]))
      .join('  ')
      .trimEnd();
  return [line(keys), line(width.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

async function main() {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(`usage: node bench/run.js [section ...]\nsections: ${Object.keys(SECTIONS).join(', ')} (default: all)`);
    return;
  }
  const unknown = args.filter((a) => !(a in SECTIONS));
  if (unknown.length) {
    console.error(`unknown section(s): ${unknown.join(', ')}; known: ${Object.keys(SECTIONS).join(', ')}`);
    process.exit(2);
  }
  const names = args.length ? args : Object.keys(SECTIONS);
  const results = { machine: machine(), command: `node bench/run.js ${args.join(' ')}`.trim(), sections: {} };
  const m = results.machine;
  console.log(`mmreplay bench — ${m.date}, Node ${m.node}, ${m.cpus} x ${m.cpuModel}, ${m.memoryGB} GB, ${hugePagesNote()}`);
  let failed = false;
  for (const name of names) {
    const { title, load } = SECTIONS[name];
    console.log(`\n== ${name}: ${title}`);
    const t0 = Date.now();
    try {
      const rows = await (await load())();
      const seconds = (Date.now() - t0) / 1000;
      results.sections[name] = { title, date: new Date(t0).toISOString(), seconds, rows };
      console.log(table(rows));
      console.log(`(${seconds.toFixed(1)} s)`);
    } catch (err) {
      failed = true;
      results.sections[name] = { title, error: String(err?.stack ?? err) };
      console.error(`section ${name} failed: ${err?.stack ?? err}`);
    }
  }
  // explorer and spin measured in this one run: side by side, as Markdown for BENCHMARKS.md
  if (names.includes('explorer') && names.includes('spin')) {
    const { sideBySide } = await import('./side-by-side.js');
    const md = sideBySide(results.sections.explorer?.rows, results.sections.spin?.rows);
    if (md) {
      const load = loadavg()
        .map((x) => x.toFixed(1))
        .join(' ');
      results.sideBySide = md;
      console.log(`
== explorer vs SPIN, side by side (Markdown; ${m.date}, load average now ${load})

${md}`);
    }
  }
  const out = join(HERE, 'results.json');
  if (existsSync(out)) {
    try {
      const old = JSON.parse(readFileSync(out, 'utf8'));
      for (const [k, v] of Object.entries(old.sections ?? {})) if (!(k in results.sections)) results.sections[k] = v;
    } catch {
      // unreadable previous results: overwrite them
    }
  }
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nresults written to ${out}`);
  if (failed) process.exit(1);
}

await main();
