import { describe, expect, it } from 'vitest';
import { InMemoryEventStore, type EventStore } from '@mmreplay/event-store';
import { RunService } from '../run.service.js';
import { CatalogueService } from './catalogue.service.js';

describe('the catalogue on a full or read-only disk (issue 12)', () => {
  it('listing runs answers even when saving the catalogue and its checkpoint fails', async () => {
    const store = new InMemoryEventStore();
    const runs = new RunService(store);
    for (const seed of [1, 2, 3]) await runs.startRun({ runId: `r${seed}`, scenario: 'seed', strategy: 'random', seed, team: 'mm' });
    const full = (): never => {
      throw new Error('SQLITE_FULL: database or disk is full');
    };
    const readOnly: EventStore = Object.create(store);
    Object.defineProperty(readOnly, 'snapshots', { value: { load: async () => undefined, save: async () => full() } });
    Object.defineProperty(readOnly, 'checkpoints', { value: { load: async () => undefined, store: async () => full() } });
    const catalogue = new CatalogueService(readOnly);
    const page = await catalogue.page('mm', {}, { limit: 2 });
    expect(page?.runs.map((r) => r.runId)).toEqual(['r3', 'r2']);
    expect(page?.next).toBe('r2');
    expect((await catalogue.page('mm', {}, { limit: 2, after: 'r2' }))?.runs.map((r) => r.runId)).toEqual(['r1']);
  });
});

describe('the catalogue tables on a full disk (issue 12)', () => {
  it('a catch-up whose fold fails answers from the tables as they are, and the next one folds what it missed', async () => {
    const store = new InMemoryEventStore();
    const runs = new RunService(store);
    const catalogue = new CatalogueService(store);
    await runs.startRun({ runId: 'r1', scenario: 'seed', strategy: 'random', seed: 1, team: 'mm' });
    expect((await catalogue.page('mm', {}, { limit: 5 }))?.runs.map((r) => r.runId)).toEqual(['r1']);
    const fold = catalogue.index.fold.bind(catalogue.index);
    let full = true;
    catalogue.index.fold = (events) => {
      if (full) throw new Error('SQLITE_FULL: database or disk is full');
      return fold(events);
    };
    for (const seed of [2, 3]) await runs.startRun({ runId: `r${seed}`, scenario: 'seed', strategy: 'random', seed, team: 'mm' });
    expect((await catalogue.page('mm', {}, { limit: 5 }))?.runs.map((r) => r.runId)).toEqual(['r1']);
    full = false;
    const page = await catalogue.page('mm', {}, { limit: 5 });
    expect(page?.runs.map((r) => [r.runId, r.status])).toEqual([
      ['r3', 'completed'],
      ['r2', 'completed'],
      ['r1', 'completed'],
    ]);
  });
});
