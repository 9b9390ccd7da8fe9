// Web section: the web app (apps/web) in Debian's Chromium against the API (its own process) on a
// stored run of about 1,000,000 events. Measured by the page's own clock (performance.now()):
// - first render: from navigation start to the run view drawn (state tables at the step, and the
//   timeline's marks) when a deep link opens the run in the middle; goal < 1,000 ms;
// - step redraw: from a press of → to the tables showing the next step (the DOM updated and a frame
//   painted), pressing again as soon as it is drawn; goal < 50 ms;
// - jump redraw: the same for a jump to a random step (nothing cached: the state is fetched).
// Needs `npm run build` (the API and the web app) and /usr/bin/chromium.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { recordBenchRun, startApi } from './http.js';

const env = (name, dflt) => Number(process.env[name] ?? dflt);
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const round1 = (x) => Math.round(x * 10) / 10;

/** In the page: presses `key` (or jumps via the URL) `count` times, each time waiting for the redraw. */
const STEPPING = `async ({ count, jump, last }) => {
  const shown = () => Number(document.querySelector('[data-testid="state"]').dataset.step);
  const drawn = (want) => new Promise((resolve) => {
    const check = () => { if (shown() === want) { requestAnimationFrame(() => resolve(performance.now())); return true; } return false; };
    if (check()) return;
    const obs = new MutationObserver(() => { if (check()) obs.disconnect(); });
    obs.observe(document.querySelector('[data-testid="state"]'), { attributes: true, attributeFilter: ['data-step'] });
  });
  const bounded = (want) => Promise.race([drawn(want), new Promise((_, reject) => setTimeout(() => reject(new Error('step ' + want + ' not drawn in 10 s: shown ' + shown() + ', ' + location.search + ', input ' + document.querySelector('.goto input').value)), 10000))]);
  const times = [];
  for (let i = 0; i < count; i++) {
    const from = shown();
    const want = jump ? Math.floor(Math.random() * last) : from + 1;
    const t0 = performance.now();
    if (jump) {
      const input = document.querySelector('.goto input');
      const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
      set.call(input, String(want));
      input.dispatchEvent(new Event('input', { bubbles: true }));
    } else window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    times.push((await bounded(want)) - t0);
  }
  return times;
}`;

export async function web() {
  const executablePath = process.env.MMREPLAY_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(executablePath))
    return [{ measure: `skipped: no Chromium at ${executablePath} (apt-get install -y chromium)`, n: 0, p50: '-', p95: '-', max: '-', goal: '' }];
  const rounds = env('MMREPLAY_BENCH_ROUNDS', 21_500);
  const loads = env('MMREPLAY_BENCH_LOADS', 7);
  const steps = env('MMREPLAY_BENCH_STEPS', 300);
  const dir = mkdtempSync(join(tmpdir(), 'mmreplay-bench-web-'));
  const file = join(dir, 'web-bench.db');
  let api;
  let browser;
  try {
    const { report, token } = await recordBenchRun(file, rounds);
    console.log(`recorded run bench: ${report.events.toLocaleString('en-US')} events, ${report.steps.toLocaleString('en-US')} steps`);
    api = await startApi(file);
    browser = await chromium.launch({ executablePath, headless: true, args: FLAGS });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.addInitScript(`sessionStorage.setItem('mmreplay.token', ${JSON.stringify(token)})`);
    const page = await context.newPage();
    const last = report.steps - 1;

    // first render, a fresh page each time, at a step in the middle of the run
    const firstRender = [];
    for (let i = 0; i < loads; i++) {
      const at = Math.floor(last / 2) + i * 1_000;
      await page.goto(`${api.url}/runs/bench?step=${at}`, { waitUntil: 'commit' });
      const ms = await page
        .waitForFunction(
          `(() => document.querySelector('[data-testid="state"][data-step="${at}"] table') && document.querySelector('.column.selected .mark') ? performance.now() : false)()`,
          undefined,
          { polling: 'raf', timeout: 30_000 },
        )
        .catch(async (e) => {
          await page.screenshot({ path: join(tmpdir(), 'mmreplay-bench-web-failed.png') });
          throw e;
        });
      firstRender.push(await ms.jsonValue());
    }
    console.log(`first render (ms): ${firstRender.map(round1).join(', ')}`);

    const stepTimes = await page.evaluate(`(${STEPPING})(${JSON.stringify({ count: steps, jump: false, last })})`);
    const jumpTimes = await page.evaluate(`(${STEPPING})(${JSON.stringify({ count: Math.max(20, Math.floor(steps / 5)), jump: true, last })})`);
    const summary = (measure, xs, goal) => ({
      measure,
      n: xs.length,
      p50: round1(quantile(xs, 0.5)),
      p95: round1(quantile(xs, 0.95)),
      max: round1(Math.max(...xs)),
      goal,
    });
    return [
      { measure: 'events in the run', n: report.events, p50: '-', p95: '-', max: '-', goal: '~1,000,000' },
      summary('first render of the run view, ms (navigation start to tables and timeline drawn)', firstRender, '< 1,000'),
      summary('step redraw, ms (→ pressed to the next step drawn)', stepTimes, '< 50'),
      summary('jump redraw, ms (a random step typed to it drawn)', jumpTimes, ''),
    ];
  } finally {
    await browser?.close();
    if (api) {
      api.child.kill('SIGTERM');
      await new Promise((res) => (api.child.exitCode !== null ? res() : api.child.once('exit', res)));
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
