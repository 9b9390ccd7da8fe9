import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkLitmus } from './check.js';
import { generateLitmus } from './generate.js';
import { parseLitmus } from './parser.js';

const run = (text: string) => checkLitmus(parseLitmus(text));

const twoPlusTwoW = (fence: string) => `C 2+2W+${fence}
{}
P0(int *x, int *y)
{
	WRITE_ONCE(*x, 1);
	${fence}();
	WRITE_ONCE(*y, 2);
}
P1(int *x, int *y)
{
	WRITE_ONCE(*y, 1);
	${fence}();
	WRITE_ONCE(*x, 2);
}
exists (x=1 /\\ y=1)
`;

describe('checkLitmus under the LKMM', () => {
  it('allows 2+2W with smp_wmb() (not multi-copy atomic: the propagation axiom wants strong fences) and forbids it with smp_mb()', () => {
    expect(run(twoPlusTwoW('smp_wmb')).observation).toBe('Sometimes');
    expect(run(twoPlusTwoW('smp_mb')).observation).toBe('Never');
  });

  it("gives herd7's counts and states for SB", () => {
    const r = run(`C SB
{}
P0(int *x, int *y)
{
	int r0;
	WRITE_ONCE(*x, 1);
	r0 = READ_ONCE(*y);
}
P1(int *x, int *y)
{
	int r0;
	WRITE_ONCE(*y, 1);
	r0 = READ_ONCE(*x);
}
exists (0:r0=0 /\\ 1:r0=0)
`);
    expect([r.observation, r.positive, r.negative, r.kind, r.validated]).toEqual(['Sometimes', 1, 3, 'Allowed', true]);
    expect(
      r.states.map((s) =>
        Object.entries(s.values)
          .map(([k, v]) => `${k}=${v}`)
          .join(' '),
      ),
    ).toEqual(['0:r0=0 1:r0=0', '0:r0=0 1:r0=1', '0:r0=1 1:r0=0', '0:r0=1 1:r0=1']);
    // The witness: both loads read the initial values while both stores exist.
    const w = r.witness!;
    const reads = w.rf.filter(([, rd]) => w.events[rd].kind === 'R').map(([wr]) => w.events[wr].init);
    expect(reads).toEqual([true, true]);
  });

  it('flags a data race between plain accesses and counts ~exists witnesses as herd7 does', () => {
    const r = run(`C race
{}
P0(int *x)
{
	*x = 1;
}
P1(int *x)
{
	int r0;
	r0 = *x;
}
~exists (1:r0=1)
`);
    expect(r.flags).toEqual(['data-race']);
    expect([r.observation, r.positive, r.negative, r.witnesses]).toEqual(['Sometimes', 1, 1, { positive: 1, negative: 1 }]);
  });

  it('orders a later store by a control dependency only inside the branch', () => {
    const lb = (body: string) => `C LB+ctrl
{}
P0(int *x, int *y)
{
	int r0;
	r0 = READ_ONCE(*x);
${body}
}
P1(int *x, int *y)
{
	int r0;
	r0 = READ_ONCE(*y);
	smp_mb();
	WRITE_ONCE(*x, 1);
}
exists (0:r0=1 /\\ 1:r0=1)
`;
    expect(run(lb('\tif (r0) WRITE_ONCE(*y, 1);')).observation).toBe('Never');
    expect(run(lb('\tif (r0 == 5) r0 = 2;\n\tWRITE_ONCE(*y, 1);')).observation).toBe('Sometimes');
  });

  it('never allows more final states when smp_mb() is added between statements (the model is monotone in fences)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
        const text = generateLitmus(seed).text;
        const fenced = text.replace(/^(\t(?!int )[^\t].*;)$/gm, '$1\n\tsmp_mb();');
        const states = (t: string) => new Set(checkLitmus(parseLitmus(t)).states.map((s) => JSON.stringify(s.values)));
        const weak = states(text);
        for (const s of states(fenced)) expect(weak.has(s)).toBe(true);
      }),
      { numRuns: 25, seed: 16 },
    );
  });
});
