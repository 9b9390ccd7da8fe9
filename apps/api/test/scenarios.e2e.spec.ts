import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryEventStore } from '@mmreplay/event-store';
import { TestApi } from './harness.js';

describe('scenarios over REST and GraphQL', () => {
  let api: TestApi;
  let token: string;

  beforeAll(async () => {
    api = await TestApi.start({}, { store: new InMemoryEventStore() });
    token = await api.team('mm');
  });
  afterAll(() => api.close());

  it('lists the scenarios with parameters, switches, named variants and invariants', async () => {
    const r = await api.get('/scenarios', token);
    expect(r.status).toBe(200);
    const seed = r.body.nodes.find((s: { name: string }) => s.name === 'seed');
    expect(seed.params.map((p: { name: string }) => p.name)).toEqual(['ptes', 'faults', 'rounds', 'accesses', 'passes']);
    expect(seed.switches.map((w: { name: string }) => w.name)).toEqual(expect.arrayContaining(['WAIT', 'MIG', 'MUTANT', 'WALK', 'MEM']));
    expect(seed.variants.map((v: { name: string }) => v.name)).toContain('unlock-before-remove');
    expect(seed.invariants[0]).toMatchObject({ name: 'bug-on', ref: "I1'", kind: 'safety', class: 'kernel-assertion' });
    expect(seed.invariants[0].backing).toMatch(/pfn_swap_entry_to_page.*BUG_ON/);
    const inv = await api.get('/invariants', token);
    expect(inv.body.map((i: { name: string }) => i.name)).toContain('I9');
    expect(inv.body.find((i: { name: string }) => i.name === 'waiter-ref')).toMatchObject({
      class: 'protocol',
      backing: expect.stringMatching(/ffa65753c431/),
    });
  });

  it('gets one scenario: threads and kernel paths step by step with their source references, as a variant patches them', async () => {
    const r = await api.get('/scenarios/seed', token);
    expect(r.status).toBe(200);
    expect(r.body.threads[0]).toMatchObject({ name: 'mig', path: 'migrate_pages' });
    // and its document, to start one's own from
    expect(r.body.document).toMatchObject({ name: 'seed', threads: expect.arrayContaining([expect.objectContaining({ name: 'mig' })]) });
    const mig = r.body.paths.find((p: { name: string }) => p.name === 'migrate_pages');
    const labels = mig.steps.map((s: { label: string }) => s.label);
    expect(labels.indexOf('U10.remove_migration_ptes')).toBeLessThan(labels.indexOf('U12.unlock_page'));
    expect(mig.steps.find((s: { label: string }) => s.label === 'U12.unlock_page').src).toMatchObject({
      file: expect.stringMatching(/^mm\//),
      fn: expect.any(String),
      version: expect.any(String),
    });
    const mutant = await api.get('/scenarios/seed?variant=unlock-before-remove', token);
    const mlabels = mutant.body.paths.find((p: { name: string }) => p.name === 'migrate_pages').steps.map((s: { label: string }) => s.label);
    expect(mlabels.indexOf('U12.unlock_page')).toBeLessThan(mlabels.indexOf('U10.remove_migration_ptes'));
    expect(mutant.body.modelHash).not.toBe(r.body.modelHash);
    expect((await api.get('/scenarios/nope', token)).status).toBe(404);
    expect((await api.get('/scenarios/seed?variant=nope', token)).status).toBe(422);
  });

  it('GraphQL: scenarios, scenario(name) { paths(variant) }, invariants', async () => {
    const q = await api.graphql(
      `{ scenarios { nodes { name source params { name default min max } switches { name values } variants { name } invariants { name } } next }
         scenario(name: "seed") { title paths(variant: "unlock-before-remove") { name steps { label op src { file fn version } } } }
         invariants { name kind class backing } }`,
      {},
      token,
    );
    expect(q.body.errors).toBeUndefined();
    expect(q.body.data.scenarios.nodes.map((s: { name: string }) => s.name)).toContain('seed');
    expect(q.body.data.scenario.paths.find((p: { name: string }) => p.name === 'handle_mm_fault').steps[0].src.file).toMatch(/^mm\//);
    expect(q.body.data.invariants.find((i: { name: string }) => i.name === 'I9').kind).toBe('liveness');
    expect(q.body.data.invariants.find((i: { name: string }) => i.name === 'I9').class).toBe('protocol');
    const missing = await api.graphql('{ scenario(name: "nope") { name } }', {}, token);
    expect(missing.body.errors[0].extensions.code).toBe('NOT_FOUND');
  });
});
