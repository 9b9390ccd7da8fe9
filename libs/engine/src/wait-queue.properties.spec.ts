import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KernelPath, PageField, PageFlag, opNames, type World } from '@mmreplay/model';
import { Machine } from './machine.js';

// The page lock and its wait queue against a reference written from wake_up_page_bit (mm/filemap.c,
// v5.15; folio_wake_bit from v5.16) alone: a FIFO queue of entries per page, each shared or
// exclusive; an unlock with PG_waiters set wakes the shared entries in order up to the first
// exclusive one, hands that one the lock and stops; PG_waiters is cleared when the queue is then
// empty. Issue 20: the mutation run over semantics/page-lock.ts left the queue's bookkeeping (the
// positions kept in the wait flags, the walk over the threads, the page a walk looks at) alive,
// since no run of the catalogue had two sleepers on one page, nor a sleeper on a page other than
// the first. Here six threads contend on two pages in every random order, and after every step
// the machine's lock bits, owners, PG_waiters and runnable threads must be the reference's.

function locker(name: string): KernelPath {
  const k = new KernelPath(name, name, { page: 'page' });
  k.at('mm/filemap.c', '__folio_lock', 'v6.6');
  k.folio_lock('L1.folio_lock', 'page');
  k.folio_unlock('L1.folio_unlock', 'page');
  k.folio_lock('L2.folio_lock', 'page');
  k.folio_unlock('L2.folio_unlock', 'page');
  k.done('L.done');
  return k;
}

function waiter(name: string): KernelPath {
  const k = new KernelPath(name, name, { page: 'page' });
  k.at('mm/filemap.c', 'migration_entry_wait_on_locked', 'v6.6');
  k.folio_wait_queue_add('W1.folio_set_waiters', 'page');
  k.io_schedule('W1.io_schedule');
  k.folio_wait_queue_add('W2.folio_set_waiters', 'page');
  k.io_schedule('W2.io_schedule');
  k.done('W.done');
  return k;
}

const THREADS = [
  { name: 'a', path: 'locker', page: 'Q' },
  { name: 'b', path: 'waiter', page: 'Q' },
  { name: 'c', path: 'locker', page: 'Q' },
  { name: 'd', path: 'waiter', page: 'Q' },
  { name: 'e', path: 'locker', page: 'Q' },
  { name: 'f', path: 'locker', page: 'P' },
  { name: 'g', path: 'waiter', page: 'P' },
] as const;
const PAGES = ['P', 'Q'];

const world: World = {
  scenario: 'wait-queue',
  params: {},
  memoryModel: 'sc',
  rmapOrder: 'fixed',
  pages: PAGES.map((name, index) => ({ name, ref: 1, map: 0, mapping: 'anon' as const, index })),
  vmas: [],
  ptes: [],
  ptls: [],
  threads: THREADS.map((t) => ({ name: t.name, path: t.path, args: { page: t.page } })),
  paths: { locker: locker('locker').build(), waiter: waiter('waiter').build() },
  invariants: ['bug-on', 'deadlock'],
  symmetry: [],
};

interface Entry {
  readonly thread: number;
  readonly exclusive: boolean;
}

/** The reference: per page, the lock owner and the FIFO queue; per thread, whether it sleeps. */
class Reference {
  readonly owner = PAGES.map(() => -1);
  readonly waitersBit = PAGES.map(() => false);
  readonly queue: Entry[][] = PAGES.map(() => []);

  asleep(t: number): boolean {
    return this.queue.some((q) => q.some((e) => e.thread === t));
  }

  step(op: string, t: number, page: number): void {
    const q = this.queue[page];
    switch (op) {
      case 'lock_page':
        // free, or handed over by the unlock that woke this exclusive waiter
        if (this.owner[page] === -1 || this.owner[page] === t) this.owner[page] = t;
        else {
          q.push({ thread: t, exclusive: true });
          this.waitersBit[page] = true;
        }
        return;
      case 'unlock_page':
        this.owner[page] = -1;
        if (!this.waitersBit[page]) return;
        while (q.length > 0) {
          const e = q.shift()!;
          if (e.exclusive) {
            this.owner[page] = e.thread;
            break;
          }
        }
        if (q.length === 0) this.waitersBit[page] = false;
        return;
      case 'waitq_add':
        // PG_waiters is set either way; the entry is WOKEN at once when the page is unlocked
        this.waitersBit[page] = true;
        if (this.owner[page] !== -1) q.push({ thread: t, exclusive: false });
        return;
      default:
        return; // io_schedule returns once woken, and the exit: the queues do not change
    }
  }
}

describe('page lock and wait queue against a reference wake_up_page_bit', () => {
  const m = new Machine(world);
  const L = m.layout;
  const pageOf = THREADS.map((t) => PAGES.indexOf(t.page));

  it('after every step of random interleavings of seven threads on two pages: lock bits, owners, PG_waiters and who can run', () => {
    let sleeps = 0;
    let handOffs = 0;
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 10, maxLength: 80 }), (walk) => {
        const s = m.initialState();
        const ref = new Reference();
        for (const r of walk) {
          const runnable: number[] = [];
          for (let t = 0; t < m.threadCount; t++) if (m.isRunnable(s, t)) runnable.push(t);
          for (let t = 0; t < m.threadCount; t++) expect(m.isRunnable(s, t), `thread ${THREADS[t].name}`).toBe(!m.isFinished(s, t) && !ref.asleep(t));
          if (runnable.length === 0) break;
          const t = runnable[r % runnable.length];
          const op = opNames[m.opAt(s, t)];
          const ownerBefore = ref.owner[pageOf[t]];
          expect(m.step(s, t, 0), `${THREADS[t].name} ${op}`).toBe(true);
          ref.step(op, t, pageOf[t]);
          if (ref.asleep(t)) sleeps++;
          if (op === 'unlock_page' && ref.owner[pageOf[t]] !== -1 && ownerBefore === t) handOffs++;
          for (let p = 0; p < PAGES.length; p++) {
            const flags = s[L.page(p, PageField.flags)];
            const what = `page ${PAGES[p]} after ${THREADS[t].name} ${op}`;
            expect((flags & PageFlag.locked) !== 0, `${what}: locked`).toBe(ref.owner[p] !== -1);
            expect(s[L.page(p, PageField.owner)], `${what}: owner`).toBe(ref.owner[p] + 1);
            expect((flags & PageFlag.waiters) !== 0, `${what}: PG_waiters`).toBe(ref.waitersBit[p]);
          }
        }
      }),
      { numRuns: 120, seed: 20 },
    );
    // the walks are about something: threads slept and unlocks handed the lock on
    expect(sleeps).toBeGreaterThan(100);
    expect(handOffs).toBeGreaterThan(20);
  });
});
