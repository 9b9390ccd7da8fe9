import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { WEB_DIST } from '../../src/web/web-app.js';
import { TestApi } from '../harness.js';
import { hasChromium, launchChromium, screenshot, seriousViolations } from './chromium.js';

// The web app (apps/web, built by `nx build web`, which this project's test target runs first) in
// Debian's Chromium, against the real API on a temporary SQLite store: the seed story as a user
// clicks through it. Skipped, by this name, only where /usr/bin/chromium is not installed.

// expect.poll's own default (1 s) is shorter than a page's round trip to the API on a loaded
// 2-core CI machine, where a click's URL update once took longer (Node 24 run, session 19)
const POLL = { timeout: 15_000 };
// the tutorial's scenario document (docs/scenarios.md), which the start form's editor starts from
const TUTORIAL = fileURLToPath(new URL('../../../../examples/scenarios/tutorial-race.yaml', import.meta.url));
// a document with a user invariant of its own (docs/scenarios.md, "User invariants")
const USER_INVARIANT = fileURLToPath(new URL('../../../../examples/scenarios/user-invariant.yaml', import.meta.url));

describe.skipIf(!hasChromium)('the web app in Chromium (skipped where /usr/bin/chromium is not installed)', () => {
  let api: TestApi;
  let owner: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let comparisonUrl: string;
  let counterexample: { runId: string; step: number };

  beforeAll(async () => {
    if (!existsSync(join(WEB_DIST, 'index.html'))) throw new Error(`no web build at ${WEB_DIST}: run \`npx nx build web\` first`);
    api = await TestApi.start();
    owner = await api.team('kernel-mm', 'alice');
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1400, height: 900 }, colorScheme: 'light' });
    page = await context.newPage();
  });

  // what the page showed when a test failed, beside the other screenshots
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && page) await screenshot(page, `failed-${ctx.task.name.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => {});
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  async function signIn(p: Page, token: string) {
    await p.getByLabel('API token').fill(token);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByTestId('team').waitFor();
  }

  it('serves the page on the API origin for a browser, JSON for everyone else', async () => {
    const html = await fetch(`${api.url}/runs/anything?step=3`, { headers: { accept: 'text/html' } });
    expect(html.status).toBe(200);
    expect(await html.text()).toMatch(/<div id="root">/);
    const json = await api.get('/runs', owner);
    expect(json.status).toBe(200);
    expect(json.body.nodes).toEqual([]);
    expect((await api.get('/runs')).status).toBe(401);
  });

  it('signs in with a token, shows the team, and signs out', async () => {
    await page.goto(`${api.url}/`);
    await page.getByLabel('API token').fill('mmr_not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    await screenshot(page, '01-sign-in');
    await signIn(page, owner);
    expect(await page.getByTestId('team').textContent()).toContain('kernel-mm');
    expect(await page.evaluate("sessionStorage.getItem('mmreplay.token')")).toBe(owner);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API token').waitFor();
    expect(await page.evaluate("sessionStorage.getItem('mmreplay.token')")).toBeNull();
    await signIn(page, owner);
  });

  it('shows inline why a variant typed as JSON is invalid', async () => {
    await page.goto(`${api.url}/audits`);
    await page.getByLabel('Baseline variant').selectOption('(custom JSON)');
    await page.getByLabel('Variant (JSON: switches and patches)').fill('{"switches": {"WAIT": "later"}, "patches": [{"op": "zap"}]}');
    const issues = page.locator('#variant-issues');
    await expect.poll(() => issues.textContent(), POLL).toContain('variant.switches.WAIT');
    expect(await issues.textContent()).toContain('variant.patches[0].op');
    expect(await page.getByRole('button', { name: 'Start comparison' }).isDisabled()).toBe(true);
    await screenshot(page, '02-variant-validation');
    await page.getByLabel('Variant (JSON: switches and patches)').fill('{"switches": {"WAIT": "pre"}}');
    await expect.poll(() => issues.textContent(), POLL).toContain('valid for seed');
    await page.getByLabel('Baseline variant').selectOption('unlock-before-remove');
  });

  it('starts a comparison and watches its audits complete live', async () => {
    await page.getByLabel('ptes').fill('3');
    await page.getByLabel('faults').fill('3');
    await page.getByRole('button', { name: 'Start comparison' }).click();
    await page.waitForURL(/\/comparisons\/[A-Za-z0-9]+$/);
    comparisonUrl = page.url();
    // the fix explores every interleaving (about a second): seen running, then completed, from the stream
    await page.locator('[data-status="running"]').first().waitFor({ timeout: 30_000 });
    await page.getByTestId('conclusion').getByText('removes the violation').waitFor({ timeout: 60_000 });
    const cards = page.locator('section.audit');
    await expect.poll(() => cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-status'))), POLL).toEqual(['completed', 'completed']);
    expect(await cards.nth(0).getByTestId('verdict').textContent()).toBe('violated');
    expect(await cards.nth(1).getByTestId('verdict').textContent()).toBe('holds');
    expect(await cards.nth(0).getByTestId('invariant-class').textContent()).toBe('(kernel assertion)');
    // the chart drew the progress events the stream carried
    expect(await cards.nth(1).locator('svg.chart circle').count()).toBeGreaterThan(1);
    await screenshot(page, '03-comparison');
  });

  it('opens the seed counterexample from its comparison and steps to the BUG_ON', async () => {
    const link = page.getByTestId('counterexample');
    const href = (await link.getAttribute('href'))!;
    const m = /^\/runs\/([^?]+)\?step=(\d+)$/.exec(href)!;
    counterexample = { runId: m[1], step: Number(m[2]) };
    await link.click();
    await page.waitForURL(`**/runs/${counterexample.runId}?step=${counterexample.step}`);
    const state = page.getByTestId('state');
    await page.locator(`[data-testid="state"][data-step="${counterexample.step}"]`).waitFor();
    // back three steps with the keyboard, then forward to the BUG_ON
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
    await page.locator(`[data-testid="state"][data-step="${counterexample.step - 3}"]`).waitFor();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await page.locator(`[data-testid="state"][data-step="${counterexample.step}"]`).waitFor();
    // the URL follows once stepping pauses: the link to this step
    await expect.poll(() => new URL(page.url()).searchParams.get('step'), POLL).toBe(String(counterexample.step));
    const detail = await page.getByTestId('step-event').textContent();
    expect(detail).toContain('BugOnChecked');
    expect(detail).toContain('bug-on');
    // the faulting thread's PTE, and the page its entry names, as the API says
    const thread = (await api.get(`/runs/${counterexample.runId}`, owner)).body.violation.thread as string;
    const view = (await api.get(`/runs/${counterexample.runId}/state?at=${counterexample.step}`, owner)).body.view;
    const pte = view.threads[thread].regs.pte as string;
    const page_ = view.ptes[pte].decoded.page as string;
    // the PTE the faulting thread read holds a migration entry, and its page is unlocked
    expect(await state.locator(`[data-cell="ptes.${pte}.entry"]`).textContent()).toMatch(/^migration\(/);
    expect(await state.locator(`[data-cell="pages.${page_}.locked"]`).textContent()).toBe('no');
    const citation = page.getByTestId('citation');
    expect(await citation.getAttribute('href')).toBe('https://elixir.bootlin.com/linux/v6.6/source/mm/filemap.c');
    expect(await citation.textContent()).toContain('migration_entry_wait_on_locked');
    // the violation is marked on the timeline, and the selected step is the violating one
    expect(await page.locator(`.column.violation.selected[data-step="${counterexample.step}"]`).count()).toBe(1);
    await screenshot(page, '04-run-at-bug-on');
  });

  it('highlights what a step changed and shows an object history', async () => {
    await page.keyboard.press('ArrowLeft');
    await page.locator(`[data-testid="state"][data-step="${counterexample.step - 1}"]`).waitFor();
    const diff = (await api.get(`/runs/${counterexample.runId}/diff?from=${counterexample.step - 2}&to=${counterexample.step - 1}`, owner)).body.changes as {
      path: string;
    }[];
    const changedPcs = diff.filter((c) => /^threads\.\w+\.pc$/.test(c.path)).map((c) => c.path);
    expect(changedPcs.length).toBeGreaterThan(0);
    for (const path of changedPcs) expect(await page.locator(`[data-cell="${path}"]`).getAttribute('class')).toBe('changed');
    expect(await page.locator('td.changed').count()).toBeGreaterThanOrEqual(changedPcs.length);
    await page.getByRole('button', { name: 'e0', exact: true }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('object'), POLL).toBe('pte:e0');
    const history = page.getByRole('list', { name: 'steps that touched pte:e0' });
    await history.getByRole('button').first().waitFor();
    expect(await history.textContent()).toContain('set_migration_pte');
    await page.keyboard.press('ArrowRight');
  });

  it('finds the first step where a predicate holds, and reports a bad one inline', async () => {
    const expected = await api.post(
      `/runs/${counterexample.runId}/first-where`,
      {
        where: {
          exists: 'pte',
          as: '$e',
          where: {
            all: [
              { pte: '$e', kind: 'migration' },
              { page: { of: '$e' }, locked: false },
            ],
          },
        },
      },
      owner,
    );
    await page.getByRole('button', { name: 'Find' }).click();
    await page.locator(`[data-testid="state"][data-step="${expected.body.match.step}"]`).waitFor();
    expect(await page.locator('#fw-status').textContent()).toContain(`First holds after step ${expected.body.match.step}`);
    await page.getByLabel(/^Predicate/).fill('{"pte": "e0", "kind": "sideways"}');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.locator('#fw-status [role="alert"]').waitFor();
    expect(await page.locator('#fw-status').textContent()).toMatch(/kind/);
    expect(await page.locator('pre.trace').textContent()).toContain('migration');
    await page.keyboard.press('End');
  });

  it('shows the 80-column trace for a mail, as the CLI prints it, and copies it', async () => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: api.url });
    const pre = page.locator('pre.trace[data-format="lkml"]');
    await pre.waitFor();
    const shown = (await pre.textContent())!;
    const lines = shown.trimEnd().split('\n');
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(shown).toMatch(/^\[\d+\] mm\/\S+:\w+@v\d/m);
    // the panel's range, rendered by the API with the CLI's renderer
    const range = /Trace, steps (\d+)–(\d+)/.exec((await page.locator('#trace-title').textContent())!)!;
    const api80 = await api.get(`/runs/${counterexample.runId}/trace?format=lkml&from=${range[1]}&to=${range[2]}`, owner);
    expect(shown).toBe(api80.text);
    await page.getByRole('button', { name: 'Copy the trace' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(api80.text);
    // the wide diagram on demand
    await page.getByLabel('wide diagram').check();
    await page.locator('pre.trace[data-format="text"]').waitFor();
    expect(Math.max(...(await page.locator('pre.trace').textContent())!.split('\n').map((l) => l.length))).toBeGreaterThan(80);
    await page.getByLabel(/for a mail/).check();
    await screenshot(page, '04b-trace-for-a-mail');
  });

  it('follows a deep link as a teammate who signs in', async () => {
    const bob = await api.member('kernel-mm', owner, 'bob', 'viewer');
    const teammate = await browser.newContext({ viewport: { width: 1400, height: 900 }, colorScheme: 'dark' });
    try {
      const p = await teammate.newPage();
      const at = counterexample.step - 1;
      await p.goto(`${api.url}/runs/${counterexample.runId}?step=${at}&object=pte:e0`);
      await signIn(p, bob);
      await p.locator(`[data-testid="state"][data-step="${at}"]`).waitFor();
      expect(new URL(p.url()).pathname).toBe(`/runs/${counterexample.runId}`);
      expect(await p.getByRole('button', { name: 'e0', exact: true }).getAttribute('aria-pressed')).toBe('true');
      await p.getByRole('list', { name: 'steps that touched pte:e0' }).getByRole('button').first().waitFor();
      const holder = (await api.get(`/runs/${counterexample.runId}/state?at=${at}`, owner)).body.view.ptls.ptl.holder;
      expect(await p.locator('[data-cell="ptls.ptl.holder"]').textContent()).toBe(holder ?? '-');
      await screenshot(p, '05-deep-link-dark');
      expect(await seriousViolations(p)).toEqual([]);
    } finally {
      await teammate.close();
    }
  });

  it("a deep link asks for its step before the app's script is loaded, and asks once", async () => {
    // a fresh tab (nothing cached in the page) of a member already signed in: the token is in its sessionStorage
    const tab = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await tab.addInitScript(`sessionStorage.setItem('mmreplay.token', ${JSON.stringify(owner)})`);
    const p = await tab.newPage();
    try {
      const sent: string[] = [];
      p.on('request', (r) => sent.push(new URL(r.url()).pathname + new URL(r.url()).search));
      const at = counterexample.step - 2;
      const state = `/runs/${counterexample.runId}/state?at=${at}`;
      await p.goto(`${api.url}/runs/${counterexample.runId}?step=${at}`);
      await p.locator(`[data-testid="state"][data-step="${at}"] table`).first().waitFor();
      const boot = sent.findIndex((u) => /^\/assets\/boot-[\w-]+\.js$/.test(u));
      expect(boot).toBeGreaterThan(0);
      // sent by the entry script, before the app's own script was even asked for
      expect(sent.indexOf(state)).toBeGreaterThanOrEqual(0);
      expect(sent.indexOf(state)).toBeLessThan(boot);
      expect(sent.indexOf(`/runs/${counterexample.runId}`)).toBeLessThan(boot);
      // the views took the early answers: not one of them was asked for again
      for (const u of [state, `/runs/${counterexample.runId}/state?at=${at - 1}`, `/runs/${counterexample.runId}`, '/me'])
        expect(
          sent.filter((x) => x === u),
          u,
        ).toHaveLength(1);
    } finally {
      await tab.close();
    }
  });

  it('replays a schedule under the fix and shows both runs side by side from their divergence', async () => {
    // the counterexample's schedule does not fit the kernel protocol: the API's 422, shown inline
    await page.goto(`${api.url}/runs/${counterexample.runId}`);
    await page.getByRole('button', { name: 'Replay and compare' }).click();
    await page.getByRole('alert').getByText('does not fit this model').waitFor();
    // a PCT run of the mutant whose schedule the kernel protocol can follow
    const mutant = await api.post(
      '/runs',
      { scenario: 'seed', params: { ptes: 2, faults: 2 }, variant: 'unlock-before-remove', strategy: 'pct', seed: 10 },
      owner,
    );
    expect(mutant.status).toBe(201);
    await page.goto(`${api.url}/runs/${mutant.body.id}`);
    await page.getByRole('button', { name: 'Replay and compare' }).click();
    await page.waitForURL(/\/compare\?a=/);
    const divergence = page.getByTestId('divergence');
    await divergence.getByText('They diverge at step').waitFor();
    const b = new URL(page.url()).searchParams.get('b')!;
    const expected = (await api.get(`/runs/${new URL(page.url()).searchParams.get('a')}/divergence/${b}`, owner)).body.divergence;
    expect(await divergence.textContent()).toContain(`diverge at step ${expected.step}`);
    expect(await page.locator('.side').count()).toBe(2);
    await screenshot(page, '06-side-by-side');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('updates the runs list live', async () => {
    await page.goto(`${api.url}/runs`);
    const rows = page.locator('table.list tbody tr');
    await expect.poll(() => rows.count(), POLL).toBeGreaterThan(0);
    const before = await rows.count();
    const started = await api.post('/runs', { scenario: 'seed', params: { ptes: 2, faults: 2 }, strategy: 'pct', seed: 3 }, owner);
    expect(started.status).toBe(201);
    await page.getByRole('link', { name: started.body.id }).waitFor({ timeout: 10_000 });
    expect(await rows.count()).toBe(before + 1);
    // a page at a time, newest first: the next page, and back
    await page.goto(`${api.url}/runs?limit=2`);
    await expect.poll(() => rows.count(), POLL).toBe(2);
    const first = await rows.allTextContents();
    await page.getByRole('button', { name: 'Older' }).click();
    await expect.poll(async () => (await rows.allTextContents())[0], POLL).not.toBe(first[0]);
    expect(await rows.allTextContents()).not.toContain(first[0]);
    await page.getByRole('button', { name: 'Newer' }).click();
    await expect.poll(() => rows.allTextContents(), POLL).toEqual(first);
    await page.goto(`${api.url}/runs`);
    await page.getByLabel('outcome').selectOption('violation');
    await expect.poll(async () => (await rows.allTextContents()).every((t) => t.includes('violation')), POLL).toBe(true);
    await screenshot(page, '07-runs');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('starts an audit from a scenario document typed in the form: the API names what is wrong beside the editor, then it runs', async () => {
    const tutorial = readFileSync(TUTORIAL, 'utf8');
    const broken = tutorial.replace('path: fault', 'path: falt');
    const brokenLine = broken.split('\n').findIndex((l) => l.includes('path: falt')) + 1;
    await page.goto(`${api.url}/audits`);
    await page.getByLabel('one audit').check();
    await page.getByLabel('a document (YAML or JSON)').check();
    const editor = page.getByLabel('Scenario document (YAML or JSON; docs/scenarios.md)');
    const issues = page.locator('#document-issues');
    // the editor starts from the tutorial's document, which the page reads to offer its variants
    await expect.poll(() => issues.textContent(), POLL).toContain('reads as tutorial-race');
    await editor.fill(broken);
    await page.getByRole('button', { name: 'Start audit' }).click();
    // the API's 400, each problem by its path in the document and the line it points at
    await expect.poll(() => issues.textContent(), POLL).toContain('document.threads[1].path');
    expect(await issues.textContent()).toContain(`(line ${brokenLine})`);
    expect(await issues.textContent()).toContain("did you mean 'fault'");
    expect(await editor.getAttribute('aria-invalid')).toBe('true');
    expect(page.url()).toBe(`${api.url}/audits`);
    await screenshot(page, '08-document-refused');
    expect(await seriousViolations(page)).toEqual([]);
    // fixed: the API's issues go with the edit; the document's own named variant is offered
    await editor.fill(tutorial);
    await expect.poll(() => issues.textContent(), POLL).toContain('reads as tutorial-race');
    await page.locator('select[name="variant"]').selectOption('unlock-early');
    await page.getByRole('button', { name: 'Start audit' }).click();
    await page.waitForURL(/\/audits\/[A-Za-z0-9]+$/);
    const card = page.locator('section.audit');
    await card.getByTestId('verdict').waitFor({ timeout: 60_000 });
    expect(await card.getAttribute('data-status')).toBe('completed');
    expect(await card.getByTestId('verdict').textContent()).toBe('violated');
    await screenshot(page, '09-document-audit');
    const audit = (await api.get(`/audits/${page.url().split('/').pop()}`, owner)).body;
    expect(audit).toMatchObject({ scenario: 'tutorial-race', variant: 'unlock-early', verdict: 'violated' });
  });

  it('labels a broken user invariant of the document a user invariant on the audit card, not a protocol invariant', async () => {
    await page.goto(`${api.url}/audits`);
    await page.getByLabel('one audit').check();
    await page.getByLabel('a document (YAML or JSON)').check();
    const issues = page.locator('#document-issues');
    await page.getByLabel('Scenario document (YAML or JSON; docs/scenarios.md)').fill(readFileSync(USER_INVARIANT, 'utf8'));
    await expect.poll(() => issues.textContent(), POLL).toContain('reads as user-invariant');
    await page.locator('select[name="variant"]').selectOption('unlock-early');
    await page.getByRole('button', { name: 'Start audit' }).click();
    await page.waitForURL(/\/audits\/[A-Za-z0-9]+$/);
    const card = page.locator('section.audit');
    await card.getByTestId('verdict').waitFor({ timeout: 60_000 });
    expect(await card.getByTestId('verdict').textContent()).toBe('violated');
    const label = card.getByTestId('invariant-class');
    expect(await label.textContent()).toBe('(user invariant)');
    expect(await label.getAttribute('title')).toBe('the scenario document, in the predicate language');
  });

  it("offers the team's published scenarios by name@version; copies a built-in or a published one into the editor", async () => {
    const published = await api.request('POST', '/scenarios', {
      token: owner,
      raw: readFileSync(TUTORIAL, 'utf8'),
      headers: { 'content-type': 'application/yaml' },
    });
    expect(published.status).toBe(201);
    await page.goto(`${api.url}/audits`);
    const editor = page.getByLabel('Scenario document (YAML or JSON; docs/scenarios.md)');
    // a built-in's document, as GET /scenarios/{name} gives it, renamed so that it is one's own
    await page.getByRole('button', { name: 'Edit a copy as a document' }).click();
    await expect.poll(() => editor.inputValue(), POLL).toContain('name: seed-copy');
    await page.getByLabel("the team's library").check();
    const select = page.getByLabel('Published scenario');
    await expect.poll(() => select.inputValue(), POLL).toBe(published.body.ref);
    await page.getByRole('button', { name: 'Edit a copy as a document' }).click();
    await expect.poll(() => editor.inputValue(), POLL).toContain('name: tutorial-race-copy');
    await expect.poll(() => page.locator('#document-issues').textContent(), POLL).toContain('reads as tutorial-race-copy');
  });

  it('has no serious accessibility violations in the run, audit and sign-in views', async () => {
    // first with the trace not yet come: its empty panel once broke axe's aria-prohibited-attr (an
    // aria-label on a <pre> of no role), which a trace that came first hid (a CI run, session 25)
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    await page.route('**/runs/*/trace*', async (route) => {
      await held;
      await route.continue().catch(() => undefined);
    });
    try {
      await page.goto(`${api.url}/runs/${counterexample.runId}?step=${counterexample.step}`);
      await page.locator(`[data-testid="state"][data-step="${counterexample.step}"]`).waitFor();
      expect(await page.locator('pre.trace').textContent()).toBe('');
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      release();
      await page.unroute('**/runs/*/trace*');
    }
    await page.goto(`${api.url}/runs/${counterexample.runId}?step=${counterexample.step}`);
    await page.locator(`[data-testid="state"][data-step="${counterexample.step}"]`).waitFor();
    await page.locator('pre.trace[data-format]').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto(comparisonUrl);
    await page.getByTestId('conclusion').getByText('removes the violation').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto(`${api.url}/audits`);
    await page.getByRole('button', { name: 'Start comparison' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API token').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });
});
