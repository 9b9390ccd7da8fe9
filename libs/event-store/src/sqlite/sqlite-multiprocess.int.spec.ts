// Several processes on one SQLite file: optimistic concurrency between them, and live delivery
// of one process's appends to another's subscription.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedEvent } from '@mmreplay/events';
// Test support shared by the multi-process tests, outside every project (no dependency edge).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { buildChildLibrary } from '../../../../test-support/child-lib.js';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { startReadyChild, type ReadyChild } from '../../../../test-support/ready-child.js';
import { SqliteEventStore } from './sqlite-event-store.js';

const raceChild = fileURLToPath(new URL('../../test/race-child.mjs', import.meta.url));
const lockstepChild = fileURLToPath(new URL('../../test/lockstep-child.mjs', import.meta.url));

interface Attempt {
  writer: string;
  attempt: number;
  won: boolean;
  expected: string;
  first?: string;
  size?: number;
  actual?: string;
}

interface Writer {
  proc: ReadyChild['proc'];
  ready: Promise<void>;
  done: Promise<Attempt[]>;
}

function startWriter(lib: string, file: string, name: string, target: number, delayMs = 0): Writer {
  const { proc, ready, closed } = startReadyChild(raceChild, [lib, file, name, String(target), String(delayMs)]);
  const done = closed.then(({ code, out, err }) => {
    if (code !== 0 || !out.trimEnd().endsWith('done')) throw new Error(`writer ${name} failed (${code}): ${err}`);
    return out
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Attempt);
  });
  return { proc, ready, done };
}

describe('SQLite event store shared by several processes', () => {
  let dir: string;
  let lib: { entry: string; cleanup: () => void };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mmreplay-multiprocess-'));
    lib = buildChildLibrary();
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    lib.cleanup();
  });

  it('in lockstep, two processes expecting the same revision: exactly one wins every round', async () => {
    const file = join(dir, 'lockstep.db');
    await (await SqliteEventStore.open(file)).close();
    const procs = ['left', 'right'].map((name) => spawn(process.execPath, [lockstepChild, lib.entry, file, name]));
    const lines = procs.map((p) => {
      const queue: string[] = [];
      let wake: (() => void) | null = null;
      let buf = '';
      p.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        buf += chunk;
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
          queue.push(buf.slice(0, i));
          buf = buf.slice(i + 1);
          wake?.();
        }
      });
      return async () => {
        while (!queue.length) await new Promise<void>((r) => (wake = r));
        return queue.shift()!;
      };
    });
    try {
      for (const next of lines) expect(await next()).toBe('ready');
      let expected = 'no-stream';
      for (let round = 0; round < 25; round++) {
        for (const p of procs) p.stdin.write(`expect ${expected}\n`);
        const results = await Promise.all(lines.map(async (next) => JSON.parse(await next()) as { won: boolean; revision?: string; actual?: string }));
        const winners = results.filter((r) => r.won);
        expect(winners, `round ${round}`).toHaveLength(1);
        const loser = results.find((r) => !r.won)!;
        expect(loser.actual).toBe(winners[0].revision);
        expected = winners[0].revision!;
      }
    } finally {
      for (const p of procs) p.stdin.end();
    }
    const store = await SqliteEventStore.open(file);
    expect((await store.readStream('lockstep')).map((e) => e.revision)).toEqual(Array.from({ length: 25 }, (_, i) => BigInt(i)));
    await store.close();
  });

  it('lets exactly one of two processes win each race for a revision, and loses nothing', async () => {
    const file = join(dir, 'race.db');
    await (await SqliteEventStore.open(file)).close(); // create the schema before the race
    const target = 1_500;
    const writers = ['left', 'right'].map((name) => startWriter(lib.entry, file, name, target));
    await Promise.all(writers.map((w) => w.ready));
    for (const w of writers) w.proc.stdin.end('go\n');
    const attempts = (await Promise.all(writers.map((w) => w.done))).flat();

    const store = await SqliteEventStore.open(file);
    let events: RecordedEvent[];
    try {
      events = await store.readStream('race');
    } finally {
      await store.close();
    }

    // The stream is numbered without a hole.
    expect(events.length).toBeGreaterThanOrEqual(target);
    events.forEach((event, k) => expect(event.revision).toBe(BigInt(k)));

    // Each expected revision that was raced for has exactly one winner.
    const wins = attempts.filter((a) => a.won);
    const losses = attempts.filter((a) => !a.won);
    const winnerOf = new Map<string, Attempt>();
    for (const win of wins) {
      expect(winnerOf.has(win.expected), `two winners expecting ${win.expected}`).toBe(false);
      winnerOf.set(win.expected, win);
    }
    for (const loss of losses) {
      const winner = winnerOf.get(loss.expected);
      expect(winner, `nobody won the race expecting ${loss.expected}`).toBeDefined();
      expect(winner!.writer).not.toBe(loss.writer);
      // The loser was told where the stream really was: past what it expected.
      expect(loss.actual).not.toBe('no-stream');
      if (loss.expected !== 'no-stream') expect(BigInt(loss.actual!)).toBeGreaterThan(BigInt(loss.expected));
    }
    // Races really happened, and both processes got through.
    // How often the free-running writers collide depends on the machine's load; the lockstep
    // test below makes collisions certain.
    expect(new Set(wins.map((w) => w.writer))).toEqual(new Set(['left', 'right']));

    // Every stored event is from an acknowledged append, at the revisions it was acknowledged at,
    // and every acknowledged append is stored: nothing lost, nothing extra.
    let covered = 0;
    for (const win of wins) {
      const first = Number(win.first);
      for (let index = 0; index < win.size!; index++) {
        expect(events[first + index].data).toEqual({ writer: win.writer, attempt: win.attempt, index, size: win.size });
      }
      covered += win.size!;
    }
    expect(covered).toBe(events.length);
  });

  it("delivers another process's appends to a live subscription, in order, without gap or duplicate", async () => {
    const file = join(dir, 'live.db');
    const store = await SqliteEventStore.open(file);
    try {
      await store.appendToStream('race', [{ type: 'Seed', data: {} }]);
      const received: RecordedEvent[] = [];
      const subscription = store.subscribeToAll().subscribe((e) => received.push(e));
      expect(store.polling).toBe(true);

      // The child starts from 'no-stream', loses once, then appends with a pause between appends.
      const writer = startWriter(lib.entry, file, 'other', 200, 2);
      await writer.ready;
      writer.proc.stdin.end('go\n');
      await writer.done;
      const receivedWhileWriting = received.length;

      const expected = await store.readAll();
      const deadline = Date.now() + 5_000;
      while (received.length < expected.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 120)); // two more polls: nothing more may come
      subscription.unsubscribe();

      expect(received).toEqual(expected);
      expect(expected.length).toBeGreaterThanOrEqual(200);
      // Delivered live, while the other process was still writing, not only at the end.
      expect(receivedWhileWriting).toBeGreaterThan(1);
      expect(store.polling).toBe(false);
    } finally {
      await store.close();
    }
  });
});
