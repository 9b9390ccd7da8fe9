import { describe, expect, it } from 'vitest';
import { InMemoryEventStore } from '../memory/memory-event-store.js';
import type { ReadStreamOptions } from '../port.js';
import { iterateStreamPages } from './paging.js';

// `iterateStream` reads a stream in pages of at most `pageSize` (issue 20, survivors of the
// mutation run over paging.ts): the events alone cannot show how they were read, so the reads
// are recorded. A page as large as what is left would hold the whole stream in memory; a walk
// backwards that goes on after revision 0 asks for revision -1, which the store refuses.

async function pages(length: number, options: Parameters<typeof iterateStreamPages>[2]) {
  const store = new InMemoryEventStore();
  await store.appendToStream(
    's',
    Array.from({ length }, (_, i) => ({ type: 'A', data: i })),
  );
  const reads: ReadStreamOptions[] = [];
  const readStream = (stream: string, o: ReadStreamOptions) => {
    reads.push(o);
    return store.readStream(stream, o);
  };
  const revisions: bigint[] = [];
  for await (const event of iterateStreamPages(readStream, 's', options)) revisions.push(event.revision);
  return { revisions, reads };
}

describe('iterateStreamPages', () => {
  it('forwards: pages of pageSize from the start, the next one after the last event, until a short page', async () => {
    const { revisions, reads } = await pages(5, { pageSize: 2 });
    expect(revisions).toEqual([0n, 1n, 2n, 3n, 4n]);
    expect(reads).toEqual([
      { fromRevision: 'start', direction: 'forwards', maxCount: 2 },
      { fromRevision: 2n, direction: 'forwards', maxCount: 2 },
      { fromRevision: 4n, direction: 'forwards', maxCount: 2 },
    ]);
  });

  it('forwards in pages of one: revision 0 is not the end', async () => {
    const { revisions, reads } = await pages(2, { pageSize: 1 });
    expect(revisions).toEqual([0n, 1n]);
    expect(reads.map((r) => r.fromRevision)).toEqual(['start', 1n, 2n]);
  });

  it('backwards: stops after revision 0 without asking for revision -1', async () => {
    const { revisions, reads } = await pages(4, { pageSize: 2, direction: 'backwards' });
    expect(revisions).toEqual([3n, 2n, 1n, 0n]);
    expect(reads).toEqual([
      { fromRevision: 'end', direction: 'backwards', maxCount: 2 },
      { fromRevision: 1n, direction: 'backwards', maxCount: 2 },
    ]);
  });

  it('a page never asks for more than is left of maxCount, nor more than pageSize', async () => {
    const { revisions, reads } = await pages(10, { pageSize: 4, maxCount: 6, fromRevision: 1n });
    expect(revisions).toEqual([1n, 2n, 3n, 4n, 5n, 6n]);
    expect(reads.map((r) => [r.fromRevision, r.maxCount])).toEqual([
      [1n, 4],
      [5n, 2],
    ]);
  });
});
