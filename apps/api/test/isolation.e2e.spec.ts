import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryEventStore, type AppendOptions, type AppendResult, type EventData } from '@mmreplay/event-store';
import { runIdOf } from '@mmreplay/events';
import { subscribe, TestApi } from './harness.js';
import {
  auditProbes,
  cancelProbe,
  expectGraphqlOwnerOnly,
  expectNotFound,
  expectOwnerOnly,
  expectSubscriptionOwnerOnly,
  graphqlProbes,
  publishProbeScenario,
  scenarioGraphqlProbes,
  scenarioProbes,
  runProbes,
  send,
  subscriptionProbes,
  type ProbeIds,
} from './team-probes.js';

// A token of team B can neither read, list, query, subscribe to, cancel nor guess team A's runs and
// audits: everything of A answers B exactly as an id that does not exist. Every probe is first
// made by A and succeeds, so a refusal is never a request that would have failed anyway. Runs and
// audits are probed finished and while still in progress (the API answers those from its own
// in-flight tables, a separate path).

/**
 * A store whose run appends after the first (RunStarted) wait while `hold()` is in force: a run
 * started then stays "recording" for as long as the test needs, with no timing involved.
 */
class GatedStore extends InMemoryEventStore {
  private gate: Promise<void> | null = null;
  private unblock: () => void = () => undefined;
  readonly held = new Set<string>();

  hold(): void {
    this.gate = new Promise((resolve) => (this.unblock = resolve));
  }

  open(): void {
    this.gate = null;
    this.unblock();
  }

  override async appendToStream(stream: string, events: readonly EventData[], options: AppendOptions = {}): Promise<AppendResult> {
    if (this.gate && stream.startsWith('run-') && options.expectedRevision !== 'no-stream') {
      this.held.add(runIdOf(stream) ?? stream);
      await this.gate;
    }
    return super.appendToStream(stream, events, options);
  }
}

describe('team isolation', () => {
  let api: TestApi;
  let store: GatedStore;
  let a: string;
  let b: string;
  let runA: string;
  let auditA: string;
  let comparisonA: string;
  let ceRunA: string;
  const secrets = ['team-a', 'ann'];

  beforeAll(async () => {
    store = new GatedStore();
    api = await TestApi.start({}, { store });
    a = await api.team('team-a', 'ann');
    b = await api.team('team-b', 'ben');
    runA = (await api.post('/runs', { scenario: 'seed', strategy: 'pct', seed: 1 }, a)).body.id;
    const cmp = await api.post('/comparisons', { scenario: 'seed', params: { ptes: 2, faults: 2 }, baseline: 'unlock-before-remove' }, a);
    comparisonA = cmp.body.id;
    auditA = cmp.body.baseline.id;
    const settled = await api.settled(auditA, a);
    ceRunA = settled.counterexample.runId;
    await api.settled(cmp.body.fix.id, a);
  });
  afterAll(async () => {
    store.open();
    await api.close();
  });

  it('an unknown id answers 404 not-found (the answer B must get for everything of A)', async () => {
    expectNotFound(await api.get('/runs/0123456789abcdef0123', b), 'unknown run');
    expectNotFound(await api.get('/audits/0123456789abcdef0123', b), 'unknown audit');
    expectNotFound(await api.get('/comparisons/0123456789abcdef0123', b), 'unknown comparison');
  });

  it("finished runs, audits and comparisons: A's requests succeed, B's are not found (REST, GraphQL, subscriptions)", async () => {
    for (const run of [runA, ceRunA]) {
      const ids: ProbeIds = { run, other: run === runA ? ceRunA : runA, audit: auditA, comparison: comparisonA };
      for (const probe of runProbes(ids, 1)) await expectOwnerOnly(api, probe, a, b, secrets);
      for (const probe of graphqlProbes(ids, 1)) await expectGraphqlOwnerOnly(api, probe, a, b);
    }
    const ids: ProbeIds = { run: runA, other: ceRunA, audit: auditA, comparison: comparisonA };
    for (const probe of auditProbes(ids)) await expectOwnerOnly(api, probe, a, b, secrets);
    for (const probe of subscriptionProbes(ids)) await expectSubscriptionOwnerOnly(api, probe, a, b);
    // Cancelling a finished audit: B is not found, A is told it is not running (not a 404).
    expectNotFound(await send(api, cancelProbe(ids), b), 'cancel by B');
    expect((await send(api, cancelProbe(ids), a)).status).toBe(409);
    const gql = 'mutation ($id: ID!) { cancelAudit(id: $id) { id } }';
    expect((await api.graphql(gql, { id: auditA }, b)).body.errors.map((e) => e.extensions.code)).toEqual(['NOT_FOUND']);
    expect((await api.graphql(gql, { id: auditA }, a)).body.errors.map((e) => e.extensions.code)).not.toContain('NOT_FOUND');
    // B's own run cannot be compared with A's either (A's run on the other side).
    const own = (await api.post('/runs', { scenario: 'seed', strategy: 'pct', seed: 1 }, b)).body.id;
    expect((await api.get(`/runs/${own}/divergence/${own}`, b)).status).toBe(200);
    expectNotFound(await api.get(`/runs/${own}/divergence/${runA}`, b), "divergence with A's run");
    expectNotFound(await api.get(`/runs/${own}/diff?from=0&to=0&otherRun=${runA}`, b), "diff with A's run");
  });

  it("the team's scenario library: A reads its published versions, B is not found (REST, GraphQL), and cannot run them", async () => {
    const published = await publishProbeScenario(api, a);
    for (const probe of scenarioProbes(published)) await expectOwnerOnly(api, probe, a, b, secrets);
    for (const probe of scenarioGraphqlProbes(published)) await expectGraphqlOwnerOnly(api, probe, a, b);
    expectNotFound(await api.post('/runs', { scenario: `${published.name}@${published.version}` }, b), "a run of A's version by B");
    expect((await api.post('/runs', { scenario: `${published.name}@${published.version}` }, a)).status).toBe(201);
    expect((await api.get('/scenarios?limit=200', b)).body.nodes.map((s: { name: string }) => s.name)).not.toContain(published.name);
  });

  it('a run still recording: A reads it, B is not found, on every endpoint and operation', async () => {
    store.hold();
    let running: string;
    try {
      const started = await api.post('/runs', { scenario: 'seed', strategy: 'pct', seed: 2, wait: false }, a);
      expect(started.status).toBe(202);
      running = started.body.id;
      // It really is in flight: its second append waits at the gate.
      await expect.poll(() => store.held.has(running), { timeout: 10_000, interval: 5 }).toBe(true);
      expect((await api.get(`/runs/${running}`, a)).body.status).toBe('running');
      const ids: ProbeIds = { run: running, other: runA, audit: auditA, comparison: comparisonA };
      for (const probe of runProbes(ids, -1)) await expectOwnerOnly(api, probe, a, b, secrets);
      for (const probe of graphqlProbes(ids, -1).filter((p) => p.operation.startsWith('run'))) await expectGraphqlOwnerOnly(api, probe, a, b);
      await expectSubscriptionOwnerOnly(api, subscriptionProbes(ids)[0], a, b);
      const list = await api.get('/runs', b);
      expect(list.body.nodes.map((r: { id: string }) => r.id)).not.toContain(running);
    } finally {
      store.open();
    }
    await expect.poll(async () => (await api.get(`/runs/${running!}`, a)).body.status, { timeout: 30_000, interval: 20 }).toBe('completed');
  });

  it('an audit and a comparison still running: A reads and cancels them, B is not found', async () => {
    // The kernel protocol holds, so an exhaustive audit of a large seed world runs until cancelled.
    const cmp = await api.post(
      '/comparisons',
      { scenario: 'seed', params: { ptes: 6, faults: 6 }, baseline: 'unlock-before-remove', strategy: 'exhaustive' },
      a,
    );
    expect(cmp.status).toBe(202);
    const fix = cmp.body.fix.id as string;
    try {
      expect((await api.get(`/audits/${fix}`, a)).body.status).toBe('running');
      const ids: ProbeIds = { run: runA, other: ceRunA, audit: fix, comparison: cmp.body.id };
      for (const probe of auditProbes(ids)) await expectOwnerOnly(api, probe, a, b, secrets);
      for (const probe of graphqlProbes(ids, 1).filter((p) => p.operation === 'audit' || p.operation === 'comparison'))
        await expectGraphqlOwnerOnly(api, probe, a, b);
      await expectSubscriptionOwnerOnly(api, subscriptionProbes(ids)[1], a, b);
      expect((await api.get('/audits', b)).body.nodes).toEqual([]);
      // B cannot cancel it (REST or GraphQL); it is still running after B tried.
      expectNotFound(await send(api, cancelProbe(ids), b), 'cancel by B');
      const gql = 'mutation ($id: ID!) { cancelAudit(id: $id) { id status } }';
      expect((await api.graphql(gql, { id: fix }, b)).body.errors.map((e) => e.extensions.code)).toEqual(['NOT_FOUND']);
      expect((await api.get(`/audits/${fix}`, a)).body.status).toBe('running');
      // A can.
      expect((await send(api, cancelProbe(ids), a)).status).toBe(200);
    } finally {
      await api.post(`/audits/${fix}/cancel`, {}, a);
      await api.post(`/audits/${cmp.body.baseline.id}/cancel`, {}, a);
    }
    expect((await api.settled(fix, a)).status).toBe('cancelled');
  });

  it("B's listings hold only B's objects", async () => {
    const runs = await api.get('/runs', b);
    expect(runs.body.nodes.map((r: { id: string }) => r.id)).not.toContain(runA);
    expect(runs.body.nodes.map((r: { id: string }) => r.id)).not.toContain(ceRunA);
    expect((await api.get(`/runs?counterexampleOf=${auditA}`, b)).body.nodes).toEqual([]);
    expect((await api.get('/audits', b)).body.nodes).toEqual([]);
    expect((await api.get(`/runs?after=${runA}`, b)).status).toBe(400);
    const activity = await api.get('/activity', b);
    expect(JSON.stringify(activity.body)).not.toContain(runA);
    expect(JSON.stringify(activity.body)).not.toContain(auditA);
    expect((await api.get('/runs', a)).body.nodes.map((r: { id: string }) => r.id)).toEqual(expect.arrayContaining([runA, ceRunA]));
  });

  it('a graphql-ws connection without a valid token is refused', async () => {
    const ws = api.ws('mmr_0000000000000000_' + 'x'.repeat(43));
    const r = await subscribe(ws, 'subscription ($id: ID!) { auditEvents(id: $id) { type } }', { id: auditA });
    expect(r.values).toEqual([]);
    expect(r.errors.length).toBe(1);
    await ws.dispose();
  });

  it("B's GraphQL listings hold only B's objects", async () => {
    const lists = await api.graphql('{ runs { nodes { id } } audits { nodes { id } } }', {}, b);
    expect(lists.body.data.audits.nodes).toEqual([]);
    expect(lists.body.data.runs.nodes.map((r: { id: string }) => r.id)).not.toContain(runA);
    const own = await api.graphql('{ runs { nodes { id } } audits { nodes { id } } }', {}, a);
    expect(own.body.data.runs.nodes.map((r: { id: string }) => r.id)).toEqual(expect.arrayContaining([runA, ceRunA]));
    expect(own.body.data.audits.nodes.map((r: { id: string }) => r.id)).toContain(auditA);
  });
});
