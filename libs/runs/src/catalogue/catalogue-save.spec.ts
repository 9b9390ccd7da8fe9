import { describe, expect, it } from 'vitest';
import { InMemoryEventStore } from '@mmreplay/event-store';
import { RunService } from '../run.service.js';
import { CatalogueService } from './catalogue.service.js';

// A snapshot of the catalogue serialises every run: saving one on each request's catch-up made
// `GET /runs` cost O(runs), and the soak's throughput fell as runs accumulated (BENCHMARKS.md, Soak).
describe('catalogue snapshots are saved at a bounded rate, not per request', () => {
  it('serialises the catalogue once however many catch-ups read new runs within saveEveryMs', async () => {
    const store = new InMemoryEventStore();
    const runs = new RunService(store);
    const catalogue = new CatalogueService(store, { saveEveryMs: 60_000 });
    const save = store.snapshots.save.bind(store.snapshots);
    let saves = 0;
    store.snapshots.save = (...args: Parameters<typeof save>) => {
      saves++;
      return save(...args);
    };
    for (const seed of [1, 2, 3, 4, 5]) {
      await runs.startRun({ runId: `r${seed}`, scenario: 'seed', strategy: 'random', seed, team: 'mm' });
      const page = await catalogue.page('mm', {}, { limit: 50 });
      // every catch-up still sees the run it follows (the index is written each time)
      expect(page?.runs.map((r) => r.runId)).toContain(`r${seed}`);
    }
    expect(saves).toBe(1);
    await store.close();
  });
});
