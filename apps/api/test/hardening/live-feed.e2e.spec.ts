import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryEventStore } from '@mmreplay/event-store';
import { readSse, TestApi } from '../harness.js';

describe('live run feeds read at the pace of the reader (issue 12)', () => {
  const store = new InMemoryEventStore();
  let api: TestApi;
  let token: string;

  beforeAll(async () => {
    api = await TestApi.start({}, { store });
    token = await api.team('live');
  });
  afterAll(() => api?.close());

  it('a follower waiting at the end of a run receives a RunCompleted appended alone', async () => {
    // a run recorded by the server, then its RunCompleted cut off and appended later, alone
    const started = await api.post('/runs', { scenario: 'seed', strategy: 'round-robin' }, token);
    expect(started.status).toBe(201);
    const id = started.body.id as string;
    const events = await store.readStream(`run-${id}`);
    const copy = `${id}x`;
    await store.appendToStream(
      `run-${copy}`,
      events.slice(0, -1).map((e) => ({
        type: e.type,
        data: (e.type === 'RunStarted' ? { ...(e.data as object), runId: copy } : e.data) as Record<string, unknown>,
        metadata: { step: e.metadata.step },
      })),
      { expectedRevision: 'no-stream' },
    );
    const follow = readSse(`${api.url}/runs/${copy}/live?fromStep=${events.length - 3}`, token);
    await new Promise((r) => setTimeout(r, 300));
    await store.appendToStream(`run-${copy}`, [{ type: 'RunCompleted', data: events.at(-1)!.data as Record<string, unknown> }], {
      expectedRevision: BigInt(events.length - 2),
    });
    const got = await Promise.race([follow, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 5_000))]);
    expect(got).not.toBe('hung');
    expect((got as Awaited<typeof follow>).events.map((e) => e.event).slice(-2)).toEqual(['RunCompleted', 'end']);
  });
});
