import { KernelPath, resolveModel, type MemoryModelName, type PathDef, type World } from '@mmreplay/model';
import { describe, expect, it } from 'vitest';
import { Runtime } from './runtime.js';
import { RandomScheduler } from './schedulers/random.js';
import { ReplayScheduler } from './schedulers/replay.js';
import { decodeSchedule, encodeSchedule } from './schedule-token.js';

// memory-trace.ts through the step events: each step's `memory` accesses, word for word, on one
// two-thread litmus world under tso and under lkmm. P0 stores x twice, reads x back (tso: from its
// own store buffer), then smp_wmb() and a release store to y; P1 reads x, acquires y, reads x
// again. The runs show which write each load read (the initial value, a store still buffered, one
// visible since a flush), the newer writes it did not read, a late load's issue and satisfaction,
// the fences by name and the orderings. step-events.spec pins the events' kinds and labels; these
// pin what the trace says of each access (its notes are what the run views print).

const path = (name: string, body: (k: KernelPath) => void): PathDef => {
  const k = new KernelPath(name, name, { one: 'int', two: 'int', r0: 'int', r1: 'int' }).at('t.c', `fn_${name}`, 'v1');
  k.mov('one', 1, `${name}.one`);
  k.mov('two', 2, `${name}.two`);
  body(k);
  return k.build();
};

const world = (memoryModel: MemoryModelName): World => ({
  scenario: 'test',
  params: {},
  memoryModel,
  rmapOrder: 'any',
  pages: [],
  vmas: [],
  ptes: [],
  ptls: [],
  threads: [
    { name: 'P0', path: 'P0', args: {} },
    { name: 'P1', path: 'P1', args: {} },
  ],
  paths: {
    P0: path(
      'P0',
      (k) => (k.WRITE_ONCE('a', 0, 'one'), k.WRITE_ONCE('b', 0, 'two'), k.READ_ONCE('h', 'r1', 0), k.smp_wmb('c'), k.smp_store_release('d', 1, 'one')),
    ),
    P1: path(
      'P1',
      (k) => (k.READ_ONCE('e', 'r0', 0), k.smp_load_acquire('f', 'r1', 1), k.READ_ONCE('g', 'r0', 0), k.observe('o', 0, 'r0'), k.observe('p', 1, 'r1')),
    ),
  },
  invariants: ['deadlock'],
  symmetry: [],
  litmus: { vars: ['x', 'y'], results: ['1:r0', '1:r1'], exists: [] },
});

/** Each event's label and memory accesses, for a replayed run; the same Runtime twice gives the same (the history starts afresh). */
function trace(memoryModel: MemoryModelName, threads: number[], choices: number[]) {
  const runtime = new Runtime(world(memoryModel));
  const once = () => {
    const events: [string, unknown][] = [];
    const r = runtime.run({
      scheduler: new ReplayScheduler(encodeSchedule({ threads, choices })),
      maxSteps: threads.length,
      onEvent: (e) => events.push([e.label, e.memory ?? null]),
    });
    expect(r.outcome).toBe('completed');
    expect(decodeSchedule(r.schedule)).toEqual({ threads, choices });
    return events;
  };
  const first = once();
  expect(once()).toEqual(first);
  return first;
}

const tsoRun = [
  [
    'a',
    [
      {
        access: 'store-buffered',
        location: 'var:x',
        value: 1,
        note: 'P0 queues var:x = 1 in its store buffer',
      },
    ],
  ],
  [
    'e',
    [
      {
        access: 'load',
        location: 'var:x',
        value: 0,
        readFrom: {
          step: null,
          thread: null,
          label: null,
          value: 0,
          visibleAt: null,
        },
        forwarded: false,
        newer: [
          {
            step: 0,
            thread: 'P0',
            label: 'a',
            value: 1,
            visibleAt: null,
          },
        ],
        note: "P1 read var:x = 0, the initial value; not the newer P0's store at step 0 (a, still in its store buffer)",
      },
    ],
  ],
  [
    'b',
    [
      {
        access: 'store-buffered',
        location: 'var:x',
        value: 2,
        note: 'P0 queues var:x = 2 in its store buffer',
      },
    ],
  ],
  [
    'h',
    [
      {
        access: 'load',
        location: 'var:x',
        value: 2,
        readFrom: {
          step: 2,
          thread: 'P0',
          label: 'b',
          value: 2,
          visibleAt: null,
        },
        forwarded: true,
        newer: [],
        note: "P0 read var:x = 2, P0's store at step 2 (b, still in its store buffer)",
      },
    ],
  ],
  [
    'c',
    [
      {
        access: 'fence',
        fence: 'smp_wmb',
      },
    ],
  ],
  [
    'a',
    [
      {
        access: 'store-visible',
        location: 'var:x',
        value: 1,
        issuedAt: 0,
        note: "var:x = 1 (P0's store at step 0) becomes visible",
      },
    ],
  ],
  [
    'f',
    [
      {
        access: 'load',
        location: 'var:y',
        value: 0,
        ordering: 'acquire',
        readFrom: {
          step: null,
          thread: null,
          label: null,
          value: 0,
          visibleAt: null,
        },
        forwarded: false,
        newer: [],
        note: 'P1 read var:y = 0, the initial value',
      },
    ],
  ],
  [
    'g',
    [
      {
        access: 'load',
        location: 'var:x',
        value: 1,
        readFrom: {
          step: 0,
          thread: 'P0',
          label: 'a',
          value: 1,
          visibleAt: 5,
        },
        forwarded: false,
        newer: [
          {
            step: 2,
            thread: 'P0',
            label: 'b',
            value: 2,
            visibleAt: null,
          },
        ],
        note: "P1 read var:x = 1, P0's store at step 0 (a, visible since step 5); not the newer P0's store at step 2 (b, still in its store buffer)",
      },
    ],
  ],
  ['o', null],
  ['p', null],
  [
    'd',
    [
      {
        access: 'store-buffered',
        location: 'var:y',
        value: 1,
        ordering: 'release',
        note: 'P0 queues var:y = 1 in its store buffer',
      },
    ],
  ],
  [
    'b',
    [
      {
        access: 'store-visible',
        location: 'var:x',
        value: 2,
        issuedAt: 2,
        note: "var:x = 2 (P0's store at step 2) becomes visible",
      },
    ],
  ],
  [
    'd',
    [
      {
        access: 'store-visible',
        location: 'var:y',
        value: 1,
        issuedAt: 10,
        note: "var:y = 1 (P0's store at step 10) becomes visible",
      },
    ],
  ],
];

const lkmmStale = [
  [
    'a',
    [
      {
        access: 'store',
        location: 'var:x',
        value: 1,
        note: 'P0 stores var:x = 1, the newest; it reaches each other CPU on its own',
      },
    ],
  ],
  [
    'b',
    [
      {
        access: 'store',
        location: 'var:x',
        value: 2,
        note: 'P0 stores var:x = 2, the newest; it reaches each other CPU on its own',
      },
    ],
  ],
  [
    'h',
    [
      {
        access: 'load',
        location: 'var:x',
        value: 2,
        readFrom: {
          step: 1,
          thread: 'P0',
          label: 'b',
          value: 2,
          visibleAt: 1,
        },
        forwarded: false,
        newer: [],
        note: "P0 read var:x = 2, P0's store at step 1 (b)",
      },
    ],
  ],
  [
    'e',
    [
      {
        access: 'load',
        location: 'var:x',
        value: 1,
        readFrom: {
          step: 0,
          thread: 'P0',
          label: 'a',
          value: 1,
          visibleAt: 0,
        },
        forwarded: false,
        newer: [
          {
            step: 1,
            thread: 'P0',
            label: 'b',
            value: 2,
            visibleAt: 1,
          },
        ],
        note: "P1 read var:x = 1, P0's store at step 0 (a); not the newer P0's store at step 1 (b)",
      },
    ],
  ],
  [
    'f',
    [
      {
        access: 'load',
        location: 'var:y',
        value: 0,
        ordering: 'acquire',
        readFrom: {
          step: null,
          thread: null,
          label: null,
          value: 0,
          visibleAt: null,
        },
        forwarded: false,
        newer: [],
        note: 'P1 read var:y = 0, the initial value',
      },
    ],
  ],
  [
    'g',
    [
      {
        access: 'load',
        location: 'var:x',
        value: 2,
        readFrom: {
          step: 1,
          thread: 'P0',
          label: 'b',
          value: 2,
          visibleAt: 1,
        },
        forwarded: false,
        newer: [],
        note: "P1 read var:x = 2, P0's store at step 1 (b)",
      },
    ],
  ],
  ['o', null],
  ['p', null],
  [
    'c',
    [
      {
        access: 'fence',
        fence: 'smp_wmb',
      },
    ],
  ],
  [
    'd',
    [
      {
        access: 'store',
        location: 'var:y',
        value: 1,
        ordering: 'release',
        note: 'P0 stores var:y = 1, the newest; it reaches each other CPU on its own',
      },
    ],
  ],
];

const lkmmLate = [
  [
    'a',
    [
      {
        access: 'store',
        location: 'var:x',
        value: 1,
        note: 'P0 stores var:x = 1, the newest; it reaches each other CPU on its own',
      },
    ],
  ],
  [
    'b',
    [
      {
        access: 'store',
        location: 'var:x',
        value: 2,
        note: 'P0 stores var:x = 2, the newest; it reaches each other CPU on its own',
      },
    ],
  ],
  [
    'h',
    [
      {
        access: 'load',
        location: 'var:x',
        value: 2,
        readFrom: {
          step: 1,
          thread: 'P0',
          label: 'b',
          value: 2,
          visibleAt: 1,
        },
        forwarded: false,
        newer: [],
        note: "P0 read var:x = 2, P0's store at step 1 (b)",
      },
    ],
  ],
  [
    'e',
    [
      {
        access: 'load-issued',
        location: 'var:x',
        note: 'P1 issues its load of var:x; it is satisfied later',
      },
    ],
  ],
  [
    'f',
    [
      {
        access: 'load',
        location: 'var:y',
        value: 0,
        ordering: 'acquire',
        readFrom: {
          step: null,
          thread: null,
          label: null,
          value: 0,
          visibleAt: null,
        },
        forwarded: false,
        newer: [],
        note: 'P1 read var:y = 0, the initial value',
      },
    ],
  ],
  [
    'e',
    [
      {
        access: 'load-satisfied',
        location: 'var:x',
        value: 2,
        readFrom: {
          step: 1,
          thread: 'P0',
          label: 'b',
          value: 2,
          visibleAt: 1,
        },
        forwarded: false,
        newer: [],
        issuedAt: 3,
        note: "P1 read var:x = 2, P0's store at step 1 (b) (the load was issued at step 3)",
      },
    ],
  ],
  [
    'g',
    [
      {
        access: 'load',
        location: 'var:x',
        value: 2,
        readFrom: {
          step: 1,
          thread: 'P0',
          label: 'b',
          value: 2,
          visibleAt: 1,
        },
        forwarded: false,
        newer: [],
        note: "P1 read var:x = 2, P0's store at step 1 (b)",
      },
    ],
  ],
  ['o', null],
  ['p', null],
  [
    'c',
    [
      {
        access: 'fence',
        fence: 'smp_wmb',
      },
    ],
  ],
  [
    'd',
    [
      {
        access: 'store',
        location: 'var:y',
        value: 1,
        ordering: 'release',
        note: 'P0 stores var:y = 1, the newest; it reaches each other CPU on its own',
      },
    ],
  ],
];

describe('the memory trace of a run', () => {
  it('tso: buffered stores, a forwarded read, flushes, and loads that read an older write than the newest', () => {
    expect(trace('tso', [0, 1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0], [0, 0, 0, 1, 0])).toEqual(tsoRun);
  });

  it('lkmm: a load reads an older store of x than the newest, which reached every CPU', () => {
    expect(trace('lkmm', [0, 0, 0, 1, 1, 1, 1, 1, 0, 0], [0, 1, 0])).toEqual(lkmmStale);
  });

  it('lkmm: a load left outstanding, then satisfied after a later load, says when it was issued', () => {
    expect(trace('lkmm', [0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0], [0, 3, 0, 0, 0])).toEqual(lkmmLate);
  });
});

// c11-split-order (a split's stores of a tail's flags and head, and a zap and a fault that load them
// and check softleaf_to_folio's BUG_ON on what they loaded): the page locations' values as names
// (pages, flag names), the BUG_ON check's note on the write it loaded and the newer ones, the SC
// steps' writes to the same locations (folio_lock) as writes the loads read. Seeded runs, each
// access as `step access [from step] [newer steps]: note`.
const C11: Record<string, { outcome: string; accesses: string[] }> = {
  tso2: {
    outcome: 'completed',
    accesses: [
      '17 load from init: zap read page:t1.head = H, the initial value',
      '18 fence: smp_rmb',
      '19 load from init: zap read page:t1.flags = 0, the initial value',
      "20 load from 0: zap read page:H.flags = locked, split's store at step 0 (S0.folio_lock, visible at once)",
      "21 check from 0: zap checks page:H.flags = locked as loaded at step 20: split's store at step 0 (S0.folio_lock, visible at once)",
      '23 store-buffered: split queues page:t1.flags = locked in its store buffer',
      "25 store-visible: page:t1.flags = locked (split's store at step 23) becomes visible",
      '26 fence: smp_wmb',
      '27 store-buffered: split queues page:t1.head = t1 in its store buffer',
      "28 store-visible: page:t1.head = t1 (split's store at step 27) becomes visible",
      '29 store-buffered: split queues page:t2.flags = locked in its store buffer',
      "30 store-visible: page:t2.flags = locked (split's store at step 29) becomes visible",
      '31 fence: smp_wmb',
      '32 store-buffered: split queues page:t2.head = t2 in its store buffer',
      '33 store-buffered: split queues page:t3.flags = locked in its store buffer',
      '34 fence: smp_wmb',
      "35 store-visible: page:t2.head = t2 (split's store at step 32) becomes visible",
      '36 store-buffered: split queues page:t3.head = t3 in its store buffer',
      "37 store-visible: page:t3.flags = locked (split's store at step 33) becomes visible",
      "37 store-visible: page:t3.head = t3 (split's store at step 36) becomes visible",
    ],
  },
  tso30: {
    outcome: 'completed',
    accesses: [
      '17 store-buffered: split queues page:t1.flags = locked in its store buffer',
      '18 load from init: zap read page:t1.head = H, the initial value',
      '19 fence: smp_wmb',
      '20 fence: smp_rmb',
      "21 load from init newer 17: zap read page:t1.flags = 0, the initial value; not the newer split's store at step 17 (S4.t1.flags, still in its store buffer)",
      '22 store-buffered: split queues page:t1.head = t1 in its store buffer',
      '23 store-buffered: split queues page:t2.flags = locked in its store buffer',
      "24 store-visible: page:t1.flags = locked (split's store at step 17) becomes visible",
      "25 load from 0: zap read page:H.flags = locked, split's store at step 0 (S0.folio_lock, visible at once)",
      "26 store-visible: page:t1.head = t1 (split's store at step 22) becomes visible",
      "27 check from 0: zap checks page:H.flags = locked as loaded at step 25: split's store at step 0 (S0.folio_lock, visible at once)",
      "29 store-visible: page:t2.flags = locked (split's store at step 23) becomes visible",
      '31 fence: smp_wmb',
      '32 store-buffered: split queues page:t2.head = t2 in its store buffer',
      "33 store-visible: page:t2.head = t2 (split's store at step 32) becomes visible",
      '34 store-buffered: split queues page:t3.flags = locked in its store buffer',
      '35 fence: smp_wmb',
      '36 store-buffered: split queues page:t3.head = t3 in its store buffer',
      "37 store-visible: page:t3.flags = locked (split's store at step 34) becomes visible",
      "38 store-visible: page:t3.head = t3 (split's store at step 36) becomes visible",
    ],
  },
  lkmm2: {
    outcome: 'completed',
    accesses: [
      '18 load-issued: zap issues its load of page:t1.head; it is satisfied later',
      '19 load-satisfied from init: zap read page:t1.head = H, the initial value (the load was issued at step 18)',
      '20 store: split stores page:t1.flags = locked, the newest; it reaches each other CPU on its own',
      '21 fence: smp_rmb',
      "22 load from init newer 20: zap read page:t1.flags = 0, the initial value; not the newer split's store at step 20 (S4.t1.flags)",
      "23 load from 0: zap read page:H.flags = locked, split's store at step 0 (S0.folio_lock)",
      "24 check from 0: zap checks page:H.flags = locked as loaded at step 23: split's store at step 0 (S0.folio_lock)",
      '27 fence: smp_wmb',
      '28 store: split stores page:t1.head = t1, the newest; it reaches each other CPU on its own',
      '29 store: split stores page:t2.flags = locked, the newest; it reaches each other CPU on its own',
      '30 fence: smp_wmb',
      '31 store: split stores page:t2.head = t2, the newest; it reaches each other CPU on its own',
      '32 store: split stores page:t3.flags = locked, the newest; it reaches each other CPU on its own',
      '33 fence: smp_wmb',
      '34 store: split stores page:t3.head = t3, the newest; it reaches each other CPU on its own',
    ],
  },
  lkmm6: {
    outcome: 'completed',
    accesses: [
      '15 store: split stores page:t1.flags = locked, the newest; it reaches each other CPU on its own',
      '19 load-issued: zap issues its load of page:t1.head; it is satisfied later',
      '20 fence: smp_wmb',
      '21 store: split stores page:t1.head = t1, the newest; it reaches each other CPU on its own',
      '22 store: split stores page:t2.flags = locked, the newest; it reaches each other CPU on its own',
      '23 fence: smp_wmb',
      '24 store: split stores page:t2.head = t2, the newest; it reaches each other CPU on its own',
      '25 fence: smp_rmb',
      '26 load-issued: zap issues its load of page:t1.flags; it is satisfied later',
      '27 store: split stores page:t3.flags = locked, the newest; it reaches each other CPU on its own',
      "28 load-satisfied from init newer 21: zap read page:t1.head = H, the initial value; not the newer split's store at step 21 (S4.t1.clear_compound_head) (the load was issued at step 19)",
      '29 fence: smp_wmb',
      "30 load-satisfied from 15: zap read page:t1.flags = locked, split's store at step 15 (S4.t1.flags) (the load was issued at step 26)",
      "31 load from 0: zap read page:H.flags = locked, split's store at step 0 (S0.folio_lock)",
      '32 store: split stores page:t3.head = t3, the newest; it reaches each other CPU on its own',
      "33 check from 0: zap checks page:H.flags = locked as loaded at step 31: split's store at step 0 (S0.folio_lock)",
    ],
  },
};

describe('the memory trace of c11-split-order', () => {
  for (const [key, want] of Object.entries(C11)) {
    const memoryModel = key.startsWith('tso') ? 'tso' : 'lkmm';
    const seed = Number(key.replace(/^[a-z]+/, ''));
    it(`${memoryModel}, random seed ${seed}`, () => {
      const runtime = new Runtime(resolveModel({ scenario: 'c11-split-order', memoryModel }).world);
      const lines: string[] = [];
      const r = runtime.run({
        scheduler: new RandomScheduler(seed),
        maxSteps: 500,
        onEvent: (e) => {
          for (const a of e.memory ?? [])
            lines.push(
              `${e.step} ${a.access}${a.readFrom ? ` from ${a.readFrom.step ?? 'init'}` : ''}${a.newer?.length ? ` newer ${a.newer.map((w) => w.step).join(',')}` : ''}: ${a.note ?? a.fence}`,
            );
        },
      });
      expect({ outcome: r.outcome, accesses: lines }).toEqual(want);
    });
  }
});
