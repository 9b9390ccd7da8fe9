import { describe, expect, it } from 'vitest';
import { litmusEngineWorld, parseLitmus, prng } from '../src/index.js';
import { engineOutcomes, lkmmOutcomes, toLitmus, type Op, type Program } from './engine-programs.js';

// The engine's lkmm keeps bounded state (libs/model layout.ts: outstanding loads and stores per
// thread, older stores per location, conditions per speculated load, smp_wmb() and release
// carried sets). A program that needs more than a bound keeps is held back there and the search
// misses the executions beyond it: a `holds` would not be the LKMM's. The machine records every
// bound that held a thread back (Machine.boundsMet), and a search reports them with its verdict.
// Here: for programs built to go past the bounds, whenever the engine reaches fewer outcomes
// than the LKMM allows it must have reported a bound, and it never reaches more. (The
// differential mixes, built to stay inside, must report none: engine-differential.spec.ts.)

const count = Number(process.env['ENGINE_BOUNDS_COUNT'] ?? 60);

/** Two threads over two or three locations, the first with up to 4 loads and up to 6 accesses. */
function beyondBounds(seed: number): Program {
  const rnd = prng(seed);
  const pick = (n: number) => Math.floor(rnd() * n);
  const nLocs = rnd() < 0.7 ? 2 : 3;
  const nThreads = 2;
  const threads: Op[][] = [];
  let value = 0;
  for (let t = 0; t < nThreads; t++) {
    const ops: Op[] = [];
    let loads = 0;
    const len = t === 0 ? 3 + pick(4) : 2 + pick(3);
    for (let i = 0; i < len; i++) {
      const r = rnd();
      const loc = pick(nLocs);
      const loaded = ops.flatMap((o) => (o.kind === 'load' ? [o.reg] : []));
      if (r < 0.45 && loads < 4) ops.push({ kind: 'load', loc, reg: loads++, acquire: false });
      else if (r < 0.55 && loaded.length > 0) ops.push({ kind: 'store-reg', loc, reg: loaded[pick(loaded.length)] });
      else if (r < 0.9) ops.push({ kind: 'store', loc, value: ++value, release: rnd() < 0.15 });
      else ops.push({ kind: 'fence', fence: (1 + pick(3)) as 1 | 2 | 3 });
    }
    threads.push(ops);
  }
  return { seed, locs: ['x', 'y', 'z'].slice(0, nLocs), threads };
}

describe("the engine's bounds under lkmm", () => {
  it(`a program that needs more than a bound keeps: outcomes missed only with the bound reported, never more than the LKMM's (seeds 1..${count})`, () => {
    let missed = 0;
    let reported = 0;
    for (let seed = 1; seed <= count; seed++) {
      const p = beyondBounds(seed);
      const text = toLitmus(p);
      const want = lkmmOutcomes(text);
      const got = engineOutcomes(litmusEngineWorld(parseLitmus(text), {}));
      const missing = [...want].filter((o) => !got.outcomes.has(o));
      const extra = [...got.outcomes].filter((o) => !want.has(o));
      if (extra.length) expect.fail(`seed ${seed}: the engine reaches forbidden ${extra.join(' | ')}\n${text}`);
      if (missing.length && got.boundsMet.length === 0) expect.fail(`seed ${seed}: the engine misses ${missing.join(' | ')} and reports no bound\n${text}`);
      if (missing.length) missed++;
      if (got.boundsMet.length) reported++;
    }
    // The generator must reach past the bounds often (26 of seeds 1-60 do).
    expect(reported, `${missed} programs missed outcomes`).toBeGreaterThan(count / 5);
  }, 600_000);

  it('LB with three loads before the store: the outcome that needs them all outstanding is missed, and the load bound reported', () => {
    const text = `C LB+3loads
{}
P0(int *a, int *b, int *c, int *d)
{
	int r0; int r1; int r2;
	r0 = READ_ONCE(*a);
	r1 = READ_ONCE(*b);
	r2 = READ_ONCE(*c);
	WRITE_ONCE(*d, 1);
}
P1(int *a, int *b, int *c, int *d)
{
	int r3;
	r3 = READ_ONCE(*d);
	smp_mb();
	WRITE_ONCE(*a, 1);
	WRITE_ONCE(*b, 1);
	WRITE_ONCE(*c, 1);
}
locations [a; b; c; d]
exists (0:r0=1 /\\ 0:r1=1 /\\ 0:r2=1 /\\ 1:r3=1)`;
    const weak = '0:r0=1 0:r1=1 0:r2=1 1:r3=1 a=1 b=1 c=1 d=1';
    expect(lkmmOutcomes(text).has(weak)).toBe(true);
    const got = engineOutcomes(litmusEngineWorld(parseLitmus(text), {}));
    expect(got.outcomes.has(weak)).toBe(false);
    expect(got.boundsMet).toEqual([{ bound: 'loads', thread: 'P0', label: 'P0.2', kept: 2 }]);
  });

  it('five stores to one location and a CPU behind: the store that finds no room is cut short, not a deadlock', () => {
    const text = `C five-stores
{}
P0(int *x, int *y)
{
	WRITE_ONCE(*y, 1);
	WRITE_ONCE(*x, 2);
	WRITE_ONCE(*x, 3);
	WRITE_ONCE(*x, 4);
	WRITE_ONCE(*x, 5);
}
P1(int *x, int *y)
{
	int r0;
	r0 = READ_ONCE(*x);
	WRITE_ONCE(*x, 6);
}
locations [x; y]
exists (x=0)`;
    // engineOutcomes throws on a deadlock: a path cut at the bound must end model-bound instead.
    const got = engineOutcomes(litmusEngineWorld(parseLitmus(text), {}));
    expect(got.cut).toBeGreaterThan(0);
    expect(got.boundsMet.map((b) => [b.bound, b.thread, b.kept])).toEqual([['messages', 'P1', 4]]);
  });
});
