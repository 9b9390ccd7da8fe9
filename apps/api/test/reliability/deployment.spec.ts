import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configFromEnv, DEFAULT_CONFIG } from '../../src/core/config.js';
import { parseStoreConfig } from '@mmreplay/event-store';
import { PATH_METADATA } from '@nestjs/common/constants.js';
import 'reflect-metadata';
import { HealthController } from '../../src/health/health.controller.js';

// No Docker engine runs here: docker/ is kept correct by checking it against the app's own
// configuration code (the env vars it reads, its port, its health path, its store strings).
const root = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
const read = (p: string) => readFileSync(join(root, p), 'utf8');
const compose = parse(read('docker/compose.yaml'), { merge: true }) as { services: Record<string, any>; volumes: Record<string, unknown> };
const dockerfile = read('docker/Dockerfile');
const nginx = read('docker/nginx.conf');
const configSource = read('apps/api/src/core/config.ts');
/** The path a Nest handler is mounted on (the controller has no prefix). */
const routeOf = (handler: unknown) => Reflect.getMetadata(PATH_METADATA, handler as object) as string;
const envRead = new Set([...configSource.matchAll(/env\.([A-Z_]+)|int\('([A-Z_]+)'/g)].map((m) => m[1] ?? m[2]));

const apis = Object.entries(compose.services).filter(([, s]) => s.build?.dockerfile === 'docker/Dockerfile');
const esdbs = Object.entries(compose.services).filter(([, s]) => /^eventstore\/eventstore:|^docker\.kurrent\.io\//.test(s.image ?? ''));

describe('docker/Dockerfile', () => {
  const stages = [...dockerfile.matchAll(/^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/gim)].map((m) => ({ image: m[1], name: m[2] }));
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

  // Which Node image: test/node-lines.spec.ts (the recommended line).
  it('is multi-stage on node: npm ci and the build in the builder, dev dependencies pruned', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const s of stages) expect(s.image).toMatch(/^node:\d+(\b|-)/);
    const builder = dockerfile.slice(0, dockerfile.lastIndexOf('\nFROM '));
    expect(builder).toMatch(/npm ci/);
    expect(builder).toMatch(/npm run build/);
    expect(builder).toMatch(/npm prune --omit=dev/);
    // the final stage installs nothing and copies no sources it would not run
    expect(runtime).not.toMatch(/npm (ci|install)/);
    expect(runtime).toMatch(/COPY --from=builder \/app\/apps\/api\/dist/);
  });

  // read by glibc's malloc at start-up, not by the API: the audits' tables on transparent huge pages
  // (README, Configuration; BENCHMARKS.md, issue 15 session 23), as `npm start` runs the API
  it('asks for huge pages for the audits as `npm start` does', () => {
    expect(runtime).toMatch(/^\s*GLIBC_TUNABLES=glibc\.malloc\.hugetlb=1\s*$/m);
    const start = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.start;
    expect(start).toMatch(/GLIBC_TUNABLES=\$\{GLIBC_TUNABLES:-glibc\.malloc\.hugetlb=1\} node apps\/api\/bin\/api\.js$/);
  });

  it('runs as a non-root user the command the package runs', () => {
    expect(runtime).toMatch(/^USER\s+(?!root\b|0\b)\S+/m);
    expect(runtime).toMatch(/CMD \["node", "apps\/api\/bin\/api\.js"\]/);
    expect(read('apps/api/bin/api.js')).toMatch(/dist\/main\.js/);
  });

  it('its ENV is read by the API, and its port and health check match the app', () => {
    const env = Object.fromEntries([...runtime.matchAll(/^\s*(?:ENV\s+)?([A-Z_]+)=(\S+?)\s*\\?$/gm)].map((m) => [m[1], m[2]]));
    expect(Object.keys(env).sort()).toEqual(['GLIBC_TUNABLES', 'HOST', 'MMREPLAY_STORE', 'NODE_ENV', 'PORT']);
    for (const k of Object.keys(env)) if (k !== 'NODE_ENV' && k !== 'GLIBC_TUNABLES') expect(envRead, k).toContain(k);
    const config = configFromEnv(env);
    expect(config.host).toBe('0.0.0.0');
    expect(runtime).toMatch(new RegExp(`^EXPOSE ${config.port}$`, 'm'));
    expect(config.store).toBe('sqlite:/data/mmreplay.db');
    expect(runtime).toMatch(/^VOLUME \["\/data"\]$/m);
    expect(runtime).toMatch(/HEALTHCHECK[\s\S]*\/health\/live/);
    expect(routeOf(HealthController.prototype.live)).toBe('health/live');
  });
});

describe('docker/compose.yaml', () => {
  it('has a three-node EventStoreDB cluster that gossips with itself, each node with its own volume', () => {
    expect(esdbs.map(([n]) => n).sort()).toEqual(['esdb-1', 'esdb-2', 'esdb-3']);
    const seeds = new Set<string>();
    for (const [name, s] of esdbs) {
      expect(s.environment.EVENTSTORE_CLUSTER_SIZE).toBe('3');
      expect(s.environment.EVENTSTORE_NODE_IP).toBe(name);
      for (const seed of s.environment.EVENTSTORE_GOSSIP_SEED.split(',')) seeds.add(seed);
      const data = (s.volumes as string[]).find((v) => v.endsWith(':/var/lib/eventstore'))!;
      expect(compose.volumes).toHaveProperty(data.split(':')[0]);
      expect(s.healthcheck.test.join(' ')).toMatch(/health\/live/);
    }
    expect([...seeds].sort()).toEqual(esdbs.map(([n]) => `${n}:2113`).sort());
    // data volumes are not shared between nodes
    const volumes = esdbs.flatMap(([, s]) => s.volumes as string[]).map((v) => v.split(':')[0]);
    expect(new Set(volumes).size).toBe(volumes.length);
  });

  it('runs two API instances whose environment the API accepts, on the cluster', () => {
    expect(apis.map(([n]) => n).sort()).toEqual(['api-1', 'api-2']);
    for (const [, s] of apis) {
      const env = Object.fromEntries(
        Object.entries(s.environment as Record<string, string>).map(([k, v]) => [k, v.replace(/\$\{MMREPLAY_ADMIN_TOKEN[^}]*\}/, 'x'.repeat(32))]),
      );
      for (const k of Object.keys(env)) expect(envRead, `the API does not read ${k}`).toContain(k);
      const config = configFromEnv(env);
      expect(config.host).toBe('0.0.0.0');
      expect(config.port).toBe(3000);
      // the compose file's token reaches the API as its admin token, not some other variable
      expect(config.adminToken).toBe('x'.repeat(32));
      // the store string is one the factory accepts, naming every node of the cluster
      expect(() => parseStoreConfig(config.store)).not.toThrow();
      const hosts = config.store
        .replace(/^[a-z+]+:\/\//, '')
        .split('?')[0]
        .split(',');
      expect(hosts.sort()).toEqual(esdbs.map(([n]) => `${n}:2113`).sort());
      expect(config.store).toMatch(/tls=false/);
      expect(Object.keys(s.depends_on).sort()).toEqual(esdbs.map(([n]) => n).sort());
      expect(s.healthcheck.test.join(' ')).toContain(`:${config.port}/health/ready`);
      // the route the probe calls is the one the controller serves (read from Nest's metadata)
      expect(routeOf(HealthController.prototype.ready)).toBe('health/ready');
    }
    expect(DEFAULT_CONFIG.port).toBe(3000);
  });

  it('puts nginx in front of both instances: one upstream per API service on its port, one published port', () => {
    const proxy = compose.services.proxy;
    expect(proxy.image).toMatch(/^nginx:/);
    expect(proxy.volumes).toContain('./nginx.conf:/etc/nginx/nginx.conf:ro');
    const upstreams = [...nginx.matchAll(/^\s*server\s+([\w.-]+):(\d+)/gm)].map((m) => `${m[1]}:${m[2]}`);
    expect(upstreams.sort()).toEqual(apis.map(([n]) => `${n}:3000`).sort());
    const listen = nginx.match(/listen\s+(\d+);/)![1];
    expect(proxy.ports).toEqual([`8080:${listen}`]);
    expect(nginx).toMatch(/proxy_set_header Upgrade \$http_upgrade/); // graphql-ws
    expect(nginx).toMatch(/proxy_buffering off/); // SSE
    // published host ports do not collide
    const published = Object.values(compose.services).flatMap((s: any) => (s.ports ?? []).map((p: string) => p.split(':')[0]));
    expect(new Set(published).size).toBe(published.length);
  });
});
