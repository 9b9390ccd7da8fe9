import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse } from 'yaml';
import { InMemoryEventStore } from '@mmreplay/event-store';
import { TestApi } from './harness.js';

// The team scenario library over real HTTP: the mremap-vs-migration document (examples/scenarios,
// written only as a file) published over REST (YAML) and over GraphQL (JSON), audited through both:
// the buggy order is violated with a counterexample that replays as a run, the fixed order holds.

const YAML_TEXT = readFileSync(new URL('../../../examples/scenarios/mremap-vs-migration.yaml', import.meta.url), 'utf8');
const DOCUMENT = parse(YAML_TEXT) as Record<string, unknown>;
const NAME = 'mremap-vs-migration';

describe('team scenario library', () => {
  let api: TestApi;
  let store: InMemoryEventStore;
  let a: string;
  let b: string;
  let c: string;
  let version: string;

  beforeAll(async () => {
    store = new InMemoryEventStore();
    api = await TestApi.start({}, { store });
    a = await api.team('lib-a', 'ann');
    b = await api.team('lib-b', 'ben');
    c = await api.team('lib-c', 'cat');
  });
  afterAll(() => api.close());

  const yamlPost = (text: string, token: string) => api.request('POST', '/scenarios', { token, raw: text, headers: { 'content-type': 'application/yaml' } });

  it('publishes a YAML document over REST: a version addressed by its content hash; the same text again is the same version', async () => {
    const r = await yamlPost(YAML_TEXT, a);
    expect(r.status, r.text).toBe(201);
    expect(r.body).toMatchObject({
      name: NAME,
      version: expect.stringMatching(/^[0-9a-f]{12}$/),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      created: true,
      publishedBy: 'ann',
    });
    version = r.body.version;
    expect(r.body.hash.startsWith(version)).toBe(true);
    expect(r.headers.get('location')).toBe(`/scenarios/${NAME}/versions/${version}`);
    // JSON with another key order and formatting is the same document: the same version, not a new one
    const again = await api.post('/scenarios', Object.fromEntries(Object.entries(DOCUMENT).reverse()), a);
    expect(again.status, again.text).toBe(200);
    expect(again.body).toMatchObject({ version, created: false });
    const versions = await api.get(`/scenarios/${NAME}/versions`, a);
    expect(versions.body.map((v: { version: string }) => v.version)).toEqual([version]);
    // the fact in the team's stream
    const events = await store.readStream('scenarios-lib-a');
    expect(events.map((e) => [e.type, e.metadata.schemaVersion])).toEqual([['ScenarioPublished', 1]]);
    expect(events[0].data).toMatchObject({ name: NAME, hash: r.body.hash, actor: 'ann', team: 'lib-a' });
  });

  it('lists the built-ins and the published scenario a page at a time; shows it with its paths; serves the JSON Schema', async () => {
    const all: { name: string; source: string }[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 20; pages++) {
      const page: { status: number; body: { nodes: { name: string; source: string }[]; next: string | null } } = await api.get(
        `/scenarios?limit=4${after ? `&after=${after}` : ''}`,
        a,
      );
      expect(page.status).toBe(200);
      expect(page.body.nodes.length).toBeLessThanOrEqual(4);
      all.push(...page.body.nodes);
      after = page.body.next;
      if (!after) break;
    }
    expect(all.filter((s) => s.source === 'team').map((s) => s.name)).toEqual([NAME]);
    expect(all.map((s) => s.name)).toContain('seed');
    expect(new Set(all.map((s) => s.name)).size).toBe(all.length);
    const mine = all.find((s) => s.name === NAME) as unknown as Record<string, unknown>;
    expect(mine).toMatchObject({ version, switches: expect.arrayContaining([expect.objectContaining({ name: 'FIX' })]) });
    // another team's list has the built-ins only
    const theirs = await api.get('/scenarios?limit=200', c);
    expect(theirs.body.nodes.map((s: { name: string }) => s.name)).not.toContain(NAME);

    const one = await api.get(`/scenarios/${NAME}?variant=merged-unfixed`, a);
    expect(one.status, one.text).toBe(200);
    expect(one.body).toMatchObject({ source: 'team', version, variant: 'merged-unfixed' });
    expect(one.body.paths.flatMap((p: { steps: { label: string }[] }) => p.steps.map((s) => s.label))).toContain('M2.move_pte');
    expect((await api.get(`/scenarios/${NAME}@${version}`, a)).body.version).toBe(version);

    const schema = await api.get('/scenarios/schema', a);
    expect(schema.status).toBe(200);
    expect(schema.body.properties.name).toMatchObject({ type: 'string' });
  });

  it("GraphQL lists and gets the team's published scenarios as REST does, a page at a time; another team sees the built-ins only", async () => {
    type Node = { name: string; source: string; ref: string | null; version: string | null };
    const q = 'query ($l: Int, $a: String) { scenarios(limit: $l, after: $a) { nodes { name source ref version } next } }';
    const walk = async (token: string) => {
      const all: Node[] = [];
      let after: string | null = null;
      for (let pages = 0; pages < 20; pages++) {
        const r = await api.graphql(q, { l: 4, a: after }, token);
        expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined();
        const page = r.body.data.scenarios as { nodes: Node[]; next: string | null };
        expect(page.nodes.length).toBeLessThanOrEqual(4);
        all.push(...page.nodes);
        after = page.next;
        if (!after) break;
      }
      return all;
    };
    const mine = await walk(a);
    const rest = (await api.get('/scenarios?limit=200', a)).body.nodes as Node[];
    expect(mine.map((n) => [n.name, n.source])).toEqual(rest.map((n) => [n.name, n.source]));
    expect(mine.filter((n) => n.source === 'team')).toEqual([{ name: NAME, source: 'team', ref: `${NAME}@${version}`, version }]);
    expect(mine.find((n) => n.name === 'seed')).toMatchObject({ source: 'built-in', ref: null });
    const theirs = await walk(c);
    expect(theirs.every((n) => n.source === 'built-in')).toBe(true);
    expect(theirs.map((n) => n.name)).not.toContain(NAME);
    // one scenario by name or name@version, with the paths of the published document
    const one = 'query ($n: String!) { scenario(name: $n) { name source ref paths { name steps { label } } } }';
    for (const n of [NAME, `${NAME}@${version}`]) {
      const r = await api.graphql(one, { n }, a);
      expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined();
      expect(r.body.data.scenario).toMatchObject({ name: NAME, source: 'team', ref: `${NAME}@${version}` });
      expect(r.body.data.scenario.paths.map((p: { name: string }) => p.name)).toContain('move_vma');
    }
    const other = await api.graphql(one, { n: NAME }, c);
    expect(other.body.errors.map((e) => e.extensions.code)).toEqual(['NOT_FOUND']);
    expect(JSON.stringify(other.body)).not.toContain('lib-a');
    const builtIn = await api.graphql(one, { n: 'seed' }, c);
    expect(builtIn.body.data.scenario).toMatchObject({ name: 'seed', source: 'built-in' });
    const bad = await api.graphql(q, { l: 0, a: null }, a);
    expect(bad.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', errors: [{ field: 'limit' }] });
  });

  it('audits the published version over REST: the buggy order is violated with a counterexample that replays; the fixed order holds', async () => {
    const buggy = await api.post('/audits', { scenario: `${NAME}@${version}`, variant: 'merged-unfixed' }, a);
    expect(buggy.status, buggy.text).toBe(202);
    const fixed = await api.post('/audits', { scenario: NAME, variant: 'merged-fixed' }, a);
    expect(fixed.status, fixed.text).toBe(202);
    const bad = await api.settled(buggy.body.id, a);
    expect(bad).toMatchObject({ status: 'completed', verdict: 'violated' });
    expect(bad.counterexample.invariant).toBe('I3');
    const good = await api.settled(fixed.body.id, a);
    expect(good).toMatchObject({ status: 'completed', verdict: 'holds' });
    expect(good.result.boundHit).toBe(false);
    // the counterexample is a recorded run of the published document: it ends in the violation
    const run = await api.get(`/runs/${bad.counterexample.runId}`, a);
    expect(run.status, run.text).toBe(200);
    expect(run.body).toMatchObject({ scenario: NAME, outcome: 'violation' });
    const started = (await store.readStream(`run-${bad.counterexample.runId}`, { maxCount: 1 }))[0];
    expect((started.data as { document: unknown }).document).toEqual(DOCUMENT);
  });

  it('publishes over GraphQL and audits through GraphQL (another team, the same document)', async () => {
    const pub = await api.graphql('mutation ($d: JSON!) { publishScenario(document: $d) { name version ref created } }', { d: DOCUMENT }, b);
    expect(pub.body.errors).toBeUndefined();
    expect(pub.body.data).toMatchObject({ publishScenario: { name: NAME, version, ref: `${NAME}@${version}`, created: true } });
    const versions = await api.graphql('query ($n: String!) { scenarioVersions(name: $n) { version publishedBy } }', { n: NAME }, b);
    expect(versions.body.data).toEqual({ scenarioVersions: [{ version, publishedBy: 'ben' }] });
    const start = 'mutation ($i: StartAuditInput!) { startAudit(input: $i) { id } }';
    const buggy = await api.graphql(start, { i: { scenario: `${NAME}@${version}`, variant: 'merged-unfixed' } }, b);
    const fixed = await api.graphql(start, { i: { scenario: NAME, variant: 'merged-fixed' } }, b);
    expect(buggy.body.errors).toBeUndefined();
    expect(fixed.body.errors).toBeUndefined();
    const verdict = async (id: string) => {
      for (;;) {
        const r = await api.graphql('query ($id: ID!) { audit(id: $id) { status verdict counterexample { runId invariant } } }', { id }, b);
        expect(r.body.errors).toBeUndefined();
        if (r.body.data.audit.status !== 'running') return r.body.data.audit;
        await new Promise((res) => setTimeout(res, 50));
      }
    };
    const bad = await verdict(buggy.body.data.startAudit.id);
    expect(bad).toMatchObject({ status: 'completed', verdict: 'violated', counterexample: { invariant: 'I3' } });
    expect(await verdict(fixed.body.data.startAudit.id)).toMatchObject({ status: 'completed', verdict: 'holds' });
    const run = await api.graphql('query ($id: ID!) { run(id: $id) { outcome } }', { id: bad.counterexample.runId }, b);
    expect(run.body.data).toEqual({ run: { outcome: 'violation' } });
  });

  it("another team's scenarios answer 404 (REST and GraphQL); its name is not a scenario of theirs", async () => {
    for (const path of [`/scenarios/${NAME}`, `/scenarios/${NAME}@${version}`, `/scenarios/${NAME}/versions`]) {
      const r = await api.get(path, c);
      expect(r.status, path).toBe(404);
      expect(r.body.type).toBe('/problems/not-found');
      expect(JSON.stringify(r.body)).not.toContain('lib-a');
    }
    const gql = await api.graphql('query ($r: String!) { publishedScenario(ref: $r) { version } }', { r: `${NAME}@${version}` }, c);
    expect(gql.body.errors.map((e) => e.extensions.code)).toEqual(['NOT_FOUND']);
    const audit = await api.post('/audits', { scenario: `${NAME}@${version}`, variant: 'merged-unfixed' }, c);
    expect(audit.status).toBe(404);
    const run = await api.post('/runs', { scenario: NAME }, c);
    expect(run.status).toBe(400);
    expect(run.body.errors[0].field).toBe('scenario');
  });

  it('a run records its exact document: it replays after the scenario is republished, and the name then means the new version', async () => {
    const first = await api.post('/runs', { scenario: NAME, variant: 'merged-unfixed', strategy: 'pct', seed: 3 }, a);
    expect(first.status, first.text).toBe(201);
    expect(first.body).toMatchObject({ schedule: expect.any(String), steps: expect.any(Number), outcome: expect.any(String) });
    // republish: the fault thread no longer runs, so the worlds differ
    const changed = { ...DOCUMENT, title: 'republished', threads: (DOCUMENT.threads as unknown[]).slice(0, 2) };
    const v2 = await api.post('/scenarios', changed, a);
    expect(v2.status, v2.text).toBe(201);
    expect(v2.body.version).not.toBe(version);
    const versions = await api.get(`/scenarios/${NAME}/versions`, a);
    expect(versions.body.map((v: { version: string }) => v.version)).toEqual([v2.body.version, version]);
    expect((await api.get(`/scenarios/${NAME}`, a)).body.version).toBe(v2.body.version);

    // the recorded run still answers from its own events
    const recorded = await api.get(`/runs/${first.body.id}`, a);
    expect(recorded.body).toMatchObject({ outcome: first.body.outcome, steps: first.body.steps, modelHash: first.body.modelHash });
    const started = (await store.readStream(`run-${first.body.id}`, { maxCount: 1 }))[0].data as { document: unknown };
    expect(started.document).toEqual(DOCUMENT);
    // replaying the schedule: the version it ran, or the document it recorded, give the same run
    const schedule = first.body.schedule;
    for (const target of [{ scenario: `${NAME}@${version}` }, { document: started.document }]) {
      const replay = await api.post('/runs', { ...target, variant: 'merged-unfixed', schedule }, a);
      expect(replay.status, replay.text).toBe(201);
      expect(replay.body).toMatchObject({ modelHash: first.body.modelHash, outcome: first.body.outcome, steps: first.body.steps });
    }
    // the name now means the new version: another model
    const latest = await api.post('/runs', { scenario: NAME, variant: 'merged-unfixed', strategy: 'pct', seed: 3 }, a);
    expect(latest.status, latest.text).toBe(201);
    expect(latest.body.modelHash).not.toBe(first.body.modelHash);
  });

  it("a published document's own invariants are listed with the built-ins it audits, class user (REST and GraphQL)", async () => {
    const d = await api.team('lib-d', 'dan');
    const text = readFileSync(new URL('../../../examples/scenarios/user-invariant.yaml', import.meta.url), 'utf8');
    expect((await yamlPost(text, d)).status).toBe(201);
    const listed = (await api.get('/scenarios/user-invariant', d)).body.invariants as { name: string; class: string; kind: string; description: string }[];
    expect(listed.map((i) => i.name)).toEqual(['deadlock', 'entry-under-page-lock']);
    expect(listed[1]).toMatchObject({ class: 'user', kind: 'safety', ref: '-' });
    expect(listed[1].description).toContain("a migration entry exists while mig does not hold its page's lock");
    const q = 'query ($n: String!) { scenario(name: $n) { invariants { name class description } } }';
    const g = await api.graphql(q, { n: 'user-invariant' }, d);
    expect(g.body.data.scenario.invariants.map((i: { name: string; class: string }) => `${i.name}:${i.class}`)).toEqual([
      'deadlock:protocol',
      'entry-under-page-lock:user',
    ]);
  });

  it('an inline document runs like a published one; a bad inline document is a 400 naming document paths', async () => {
    const inline = await api.post('/runs', { document: YAML_TEXT, variant: 'merged-fixed', strategy: 'pct', seed: 1 }, a);
    expect(inline.status, inline.text).toBe(201);
    const bad = await api.post('/audits', { document: { ...DOCUMENT, threads: [{ name: 't', path: 'mremap' }] } }, a);
    expect(bad.status, bad.text).toBe(400);
    expect(bad.body.errors.every((e: { field: string }) => e.field.startsWith('document'))).toBe(true);
  });

  it('malformed documents (fast-check, mutations of the mremap document and arbitrary text) get a 4xx with a field path, never a 5xx', async () => {
    const paths = (v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] => {
      out.push(at);
      if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
      return out;
    };
    const mutated = fc.tuple(fc.nat(), fc.boolean(), fc.jsonValue({ maxDepth: 2 })).map(([n, drop, value]) => {
      const doc = structuredClone(DOCUMENT) as Record<string, unknown>;
      const all = paths(doc).filter((p) => p.length > 0);
      const p = all[n % all.length];
      const parent = p.slice(0, -1).reduce<any>((x, k) => x[k], doc);
      const last = p[p.length - 1];
      if (drop) {
        if (Array.isArray(parent)) parent.splice(Number(last), 1);
        else delete parent[last];
      } else parent[last] = value;
      return { json: doc };
    });
    const text = fc
      .oneof(fc.string({ maxLength: 200 }), fc.constantFrom('a: &x [*x]', 'name: [', '{', '- 1\n- 2', 'name: x\nthreads: 5'))
      .map((t) => ({ yaml: t }));
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutated, mutated, text), async (input) => {
        const r = 'json' in input ? await api.post('/scenarios', input.json, a) : await yamlPost(input.yaml, a);
        expect(r.status, r.text).toBeLessThan(500);
        if (r.status >= 400) {
          refused++;
          expect(r.body.type, r.text).toBe('/problems/invalid-request');
          expect(r.body.errors.length).toBeGreaterThan(0);
          for (const e of r.body.errors) expect(typeof e.field === 'string' && e.field.length > 0, r.text).toBe(true);
          expect(r.text).not.toMatch(/\n\s+at /);
        } else expect([200, 201]).toContain(r.status);
      }),
      { numRuns: 300, seed: 13 },
    );
    expect(refused).toBeGreaterThan(150);
  });
});
