import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FileTypeValidator } from '@nestjs/common';
import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';

// The Node lines mmreplay supports are stated in four places: `engines`, the README, the Node
// versions .ci/run installs, the Docker image. This file keeps them one statement, and shows on
// the Node running it what npm's EBADENGINE warnings on Node 20 are worth.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const read = (path: string) => readFileSync(`${root}${path}`, 'utf8');

type Version = [number, number, number];
const parse = (v: string): Version => v.replace(/^v/, '').split('.').map(Number) as Version;
const atLeast = (v: Version, min: Version) => (v[0] !== min[0] ? v[0] > min[0] : v[1] !== min[1] ? v[1] > min[1] : v[2] >= min[2]);

/** `engines.node` is one `^major.minor.patch` per supported line, oldest first. */
const lines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node.split('||').map((range) => {
  const m = /^\s*\^(\d+\.\d+\.\d+)\s*$/.exec(range);
  if (!m) throw new Error(`engines.node: "${range}" is not a ^major.minor.patch range`);
  return parse(m[1]);
});
const supported = (v: Version) => lines.some((min) => v[0] === min[0] && atLeast(v, min));
const recommended = lines.at(-1)!;
const here = parse(process.versions.node);

describe('the supported Node lines', () => {
  it('engines names each line once, oldest first, and the Node running this test is one of them', () => {
    expect(lines.map((l) => l[0])).toEqual([...new Set(lines.map((l) => l[0]))].sort((a, b) => a - b));
    expect(supported(here), `Node ${process.versions.node} is not a line in package.json engines`).toBe(true);
  });

  it('.ci/run installs a supported Node of every line but the machine’s, the recommended one among them', () => {
    const m = /^REGISTRY_NODES=\(([^)]*)\)/m.exec(read('.ci/run'));
    const installed = m![1].trim().split(/\s+/).map(parse);
    for (const v of installed) expect(supported(v), v.join('.')).toBe(true);
    expect(installed.map((v) => v[0])).toEqual(lines.slice(1).map((l) => l[0]));
  });

  it('the README states the same lines, the newest as the recommended one', () => {
    const quickStart = /^On a fresh machine with (.*):$/m.exec(read('README.md'))![1];
    const named = [...quickStart.matchAll(/Node\.js (\d+)[^(]*\((\d+\.\d+)\+/g)].map((m) => [Number(m[1]), m[2]]);
    expect(named).toEqual(lines.map((l) => [l[0], `${l[0]}.${l[1]}`]).reverse());
    expect(quickStart).toMatch(new RegExp(`\\(${recommended[0]}\\.${recommended[1]}\\+, recommended\\)`));
  });

  it('the Docker image runs the recommended line', () => {
    const images = [...read('docker/Dockerfile').matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]);
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) expect(image).toMatch(new RegExp(`^node:${recommended[0]}-`));
  });
});

// npm ci on Node 20 warns EBADENGINE for three packages Nest and Fastify pull in: they declare
// Node >= 22. They are ES modules their dependents load with require(), which Node does since
// 20.19. Each is used here through its dependent, as the stack uses it: the same result on every line.
const warned = [
  { name: 'cookie', via: 'light-my-request (Fastify inject)' },
  { name: 'content-disposition', via: '@fastify/static' },
  { name: 'file-type', via: '@nestjs/common' },
];

describe('the packages npm warns about on Node 20 (EBADENGINE)', () => {
  it.each(warned)('$name declares a Node range that leaves out Node 20 and no other supported line', ({ name }) => {
    const range = (JSON.parse(read(`node_modules/${name}/package.json`)) as { engines: { node: string } }).engines.node;
    const declared = Number(/^>=\s*(\d+)(\.0)*$/.exec(range)![1]);
    for (const line of lines) expect(line[0] < declared, `${name} (node ${range}) on Node ${line[0]}`).toBe(line[0] === 20);
  });

  it('cookie 2 encodes the cookies of an injected request (light-my-request)', async () => {
    const app = Fastify();
    app.get('/', async (request) => request.headers.cookie);
    const res = await app.inject({ url: '/', cookies: { team: 'kernel mm' } });
    expect(res.body).toBe('team=kernel%20mm');
    await app.close();
  });

  it('content-disposition 3 names a download, non-ASCII included (@fastify/static)', async () => {
    const app = Fastify();
    await app.register(fastifyStatic, { root: fileURLToPath(new URL('.', import.meta.url)), serve: false });
    app.get('/', (_request, reply) => reply.download('node-lines.spec.ts', 'trace-ü.txt'));
    const res = await app.inject({ url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="trace-?.txt"; filename*=UTF-8''trace-%C3%BC.txt`);
    await app.close();
  });

  it('file-type 22 tells a PNG from a JPEG by its magic number (Nest FileTypeValidator)', async () => {
    const validator = new FileTypeValidator({ fileType: 'image/png' });
    const file = (hex: string) => ({ mimetype: 'image/png', buffer: Buffer.from(hex, 'hex') }) as Parameters<FileTypeValidator['isValid']>[0];
    expect(await validator.isValid(file('89504e470d0a1a0a0000000d49484452'))).toBe(true);
    expect(await validator.isValid(file('ffd8ffe000104a4649460001'))).toBe(false);
  });
});
