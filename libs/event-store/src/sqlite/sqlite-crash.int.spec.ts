// Kill -9 a process in the middle of its appends, many times: every acknowledged batch must be
// there whole, no batch may be there in part, and every stream must stay numbered 0, 1, 2, ...
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedEvent } from '@mmreplay/events';
import { mulberry32 } from '@mmreplay/model';
// Test support shared by the multi-process tests, outside every project (no dependency edge).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { buildChildLibraries, type ChildLibraries } from '../../../../test-support/child-lib.js';
import { SqliteEventStore } from './sqlite-event-store.js';

// Each kill lands on an announced batch, so 40 give well over the 20 mid-append kills the claim
// needs; a child's start-up (about 1 s on a loaded machine) is most of the time.
const KILLS = 40;
const child = fileURLToPath(new URL('../../test/crash-child.mjs', import.meta.url));

interface Batch {
  stream: string;
  size: number;
  first?: bigint;
}

/**
 * Starts the child with `seed` (its streams and batch sizes), kills it as soon as it announces its
 * `killAt`-th batch (1-based): the kill is sent while that batch's transaction is running, not
 * after a guessed delay. Returns the lines it printed.
 */
function runAndKill(lib: ChildLibraries, file: string, seed: number, killAt: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, lib.entries['event-store'], lib.entries.model, file, String(seed)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let killed = false;
    proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (!killed && (out.match(/^begin /gm)?.length ?? 0) >= killAt) {
        killed = true;
        proc.kill('SIGKILL');
      }
    });
    proc.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    proc.on('error', reject);
    proc.on('close', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`the child ended by itself (${signal ?? _code}): ${err}`));
      else resolve(out.split('\n').filter((line) => line.length > 0));
    });
  });
}

describe('SQLite event store killed mid-append', () => {
  let dir: string;
  let lib: ChildLibraries;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mmreplay-crash-'));
    lib = buildChildLibraries(['model', 'events', 'event-store'], 'event-store-test');
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    lib.cleanup();
  });

  it(`keeps acknowledged batches whole and no partial batch, over ${KILLS} kills`, async () => {
    const file = join(dir, 'crash.db');
    const batches = new Map<string, Batch>();
    let acknowledged = 0;
    let killedInFlight = 0;

    // the kill points, from the same generator the child draws its batches from
    const random = mulberry32(20_2611);
    for (let kill = 0; kill < KILLS; kill++) {
      const lines = await runAndKill(lib, file, 1_000 + kill, 1 + Math.floor(random() * 4));
      for (const line of lines) {
        const [word, batch, stream, a, b] = line.split(' ');
        if (word === 'begin') batches.set(batch, { stream, size: Number(a) });
        if (word === 'ack') {
          const known = batches.get(batch)!;
          expect(known.size).toBe(Number(b));
          known.first = BigInt(a);
          acknowledged++;
        }
      }
      if (lines[lines.length - 1]?.startsWith('begin')) killedInFlight++;
    }

    // Kills land on an announced batch, so nearly all find one in flight (a kill can only miss
    // when the child has printed the batch's ack and not yet the next begin).
    expect(killedInFlight).toBeGreaterThanOrEqual((KILLS * 2) / 3);
    expect(killedInFlight).toBeGreaterThanOrEqual(20);
    expect(acknowledged).toBeGreaterThanOrEqual(10);

    const store = await SqliteEventStore.open(file);
    try {
      let total = 0;
      for (const stream of ['crash-a', 'crash-b', 'crash-c']) {
        const events = await store.readStream(stream);
        total += events.length;
        // Numbered 0, 1, 2, ... with no hole.
        events.forEach((event, k) => expect(event.revision).toBe(BigInt(k)));
        // Cut into the batches that wrote them: each one whole, at consecutive revisions.
        const present = new Map<string, RecordedEvent[]>();
        for (const event of events) {
          const { batch } = event.data as { batch: string };
          present.set(batch, [...(present.get(batch) ?? []), event]);
        }
        for (const [batch, written] of present) {
          const known = batches.get(batch);
          expect(known, `batch ${batch} was never begun`).toBeDefined();
          expect(known!.stream).toBe(stream);
          expect(written.length, `batch ${batch} is partial`).toBe(known!.size);
          written.forEach((event, k) => {
            expect((event.data as { index: number }).index).toBe(k);
            expect(event.revision).toBe(written[0].revision + BigInt(k));
          });
          if (known!.first !== undefined) expect(written[0].revision).toBe(known!.first);
        }
        // Every acknowledged batch is there.
        for (const [batch, known] of batches) {
          if (known.stream === stream && known.first !== undefined) expect(present.has(batch), `acknowledged batch ${batch} lost`).toBe(true);
        }
      }
      const all = await store.readAll();
      expect(all.length).toBe(total);
      all.forEach((event, k) => k > 0 && expect(event.position > all[k - 1].position).toBe(true));
    } finally {
      await store.close();
    }
  }, 180_000);
});
