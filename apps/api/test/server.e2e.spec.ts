import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '@mmreplay/event-store';
import { auditStream, createEvent } from '@mmreplay/events';
import { admin } from '../src/admin.js';
import { configFromEnv, ConfigError } from '../src/core/config.js';
import { ADMIN_TOKEN, readSse, TestApi } from './harness.js';

describe('the server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmreplay-server-'));
  const file = join(dir, 'api.db');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('health, OpenAPI document and its page, served locally (no CDN)', async () => {
    const api = await TestApi.start();
    try {
      expect((await api.get('/health/live')).body).toEqual({ status: 'ok' });
      expect((await api.get('/health/ready')).body).toEqual({ status: 'ready', store: 'ok' });
      const doc = await api.get('/docs/openapi.json');
      expect(doc.status).toBe(200);
      expect(doc.body.openapi).toMatch(/^3\./);
      const paths = Object.keys(doc.body.paths);
      for (const p of [
        '/scenarios',
        '/scenarios/{name}',
        '/audits',
        '/audits/{id}',
        '/audits/{id}/cancel',
        '/audits/{id}/live',
        '/comparisons',
        '/runs',
        '/runs/{id}/state',
        '/runs/{id}/trace',
        '/runs/{id}/first-where',
        '/teams',
        '/activity',
        '/health/ready',
      ]) {
        expect(paths).toContain(p);
      }
      expect(doc.body.paths['/audits'].post.responses['202']).toBeDefined();
      expect(doc.body.paths['/audits'].post.responses['422'].content['application/problem+json']).toBeDefined();
      expect(doc.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });

      const page = await api.get('/docs');
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      const init = await api.get('/docs/swagger-ui-init.js');
      for (const text of [page.text, init.text]) {
        // Every URL the page loads is this server's: no CDN, no validator service.
        const external = [...text.matchAll(/https?:\/\/[^\s"'<>)]+/g)].map((m) => m[0]).filter((u) => !u.startsWith('http://www.w3.org/'));
        expect(external).toEqual([]);
      }
      const assets = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
      expect(assets.length).toBeGreaterThanOrEqual(3);
      for (const asset of assets) {
        const r = await fetch(new URL(asset, `${api.url}/docs`));
        expect(r.status, asset).toBe(200);
        await r.arrayBuffer();
      }
      expect(init.text).toContain('"validatorUrl": null');
    } finally {
      await api.close();
    }
  });

  it('shutdown cancels the audits in flight and records them interrupted; a restart finds them so, and runs again', async () => {
    const first = await TestApi.start({}, { sqliteFile: file });
    const token = await first.team('mm');
    const long = await first.post('/audits', { scenario: 'seed', strategy: 'random', bounds: { runs: 100_000, maxSeconds: 60 } }, token);
    expect(long.status).toBe(202);
    const live = readSse(`${first.url}/audits/${long.body.id}/live`, token);
    await new Promise((r) => setTimeout(r, 200));
    await first.close();
    // The live stream saw the audit end, then ended itself.
    const events = (await live).events;
    expect(events.map((e) => e.event).slice(-2)).toEqual(['AuditCompleted', 'end']);
    expect(events.at(-2)!.data.audit).toMatchObject({ status: 'interrupted', verdict: 'inconclusive' });

    // An audit whose process died without a word: only its AuditRequested is in the log.
    const store = await SqliteEventStore.open(file);
    await store.appendToStream(auditStream('crashed0000000000000'), [
      createEvent('AuditRequested', {
        auditId: 'crashed0000000000000',
        scenario: 'seed',
        params: {},
        variant: null,
        invariants: ['bug-on'],
        mode: 'exhaustive',
        bounds: {},
        modelHash: 'x',
        actor: 'alice',
        team: 'mm',
      }),
    ]);
    await store.close();

    const second = await TestApi.start({}, { sqliteFile: file });
    try {
      const a = await second.get(`/audits/${long.body.id}`, token);
      expect(a.status).toBe(200);
      expect(a.body).toMatchObject({ status: 'interrupted', verdict: 'inconclusive', result: { bound: 'cancelled' } });
      const crashed = await second.get('/audits/crashed0000000000000', token);
      expect(crashed.body).toMatchObject({ status: 'interrupted', verdict: 'inconclusive' });
      // Teams and tokens came back from the log.
      expect((await second.get('/me', token)).body.team).toBe('mm');
      const again = await second.post('/audits', { scenario: 'seed' }, token);
      expect((await second.settled(again.body.id, token)).verdict).toBe('holds');
    } finally {
      await second.close();
    }
  });

  it('the admin script creates teams and tokens in the store the server uses, even while it runs', async () => {
    const api = await TestApi.start({}, { sqliteFile: file });
    try {
      const out: string[] = [];
      const io = { out: (s: string) => out.push(s), err: (s: string) => out.push(s) };
      const open = () => SqliteEventStore.open(file);
      expect(await admin(['create-team', 'scripted', '--owner', 'zoe', '--json'], io, open)).toBe(0);
      const created = JSON.parse(out.join(''));
      expect(created.team.teamId).toBe('scripted');
      // The running server sees the new token (it follows the log).
      let me;
      for (let i = 0; i < 50; i++) {
        me = await api.get('/me', created.token.token);
        if (me.status === 200) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(me!.body).toMatchObject({ team: 'scripted', member: 'zoe', role: 'owner' });
      out.length = 0;
      // the same words as `mmreplay admin`
      expect(await admin(['add-member', '--team', 'scripted', 'yan', '--role', 'viewer'], io, open)).toBe(0);
      expect(await admin(['create-token', '--team', 'scripted', '--member', 'yan', '--expires', '30d'], io, open)).toBe(0);
      expect(out.join('')).toMatch(/token [0-9a-f]{16} for yan in scripted \(viewer, expires/);
      out.length = 0;
      expect(await admin(['create-team', 'scripted'], io, open)).toBe(2);
      expect(out.join('')).toMatch(/already exists/);
      expect(await admin(['frobnicate'], io, open)).toBe(2);
      expect((await api.get('/teams', ADMIN_TOKEN)).body.map((t: { teamId: string }) => t.teamId)).toContain('scripted');
    } finally {
      await api.close();
    }
  });

  it('configuration from the environment', () => {
    const c = configFromEnv({ HOST: '0.0.0.0', PORT: '8080', MMREPLAY_STORE: 'memory:', MMREPLAY_AUDITS_PER_TEAM: '5', MMREPLAY_ADMIN_TOKEN: 'x'.repeat(16) });
    expect(c).toMatchObject({ host: '0.0.0.0', port: 8080, store: 'memory:', audits: { maxConcurrentPerTeam: 5 }, adminToken: 'x'.repeat(16) });
    expect(configFromEnv({})).toMatchObject({ host: '127.0.0.1', port: 3000, store: 'sqlite:./data/mmreplay.db', adminToken: undefined });
    expect(() => configFromEnv({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => configFromEnv({ MMREPLAY_ADMIN_TOKEN: 'short' })).toThrow(/at least 16/);
  });
});
