import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './test-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'mmreplay-litmus-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const MP_WMB = file(
  'MP+wmb.litmus',
  `C MP+wmb
{}
P0(int *x, int *y)
{
	WRITE_ONCE(*x, 1);
	smp_wmb();
	WRITE_ONCE(*y, 1);
}
P1(int *x, int *y)
{
	int r0;
	int r1;
	r0 = READ_ONCE(*y);
	r1 = READ_ONCE(*x);
}
exists (1:r0=1 /\\ 1:r1=0)
`,
);

describe('mmreplay litmus', () => {
  it("answers in herd7's shape: states, Ok/No, witnesses, condition, Observation", async () => {
    const r = await cli('litmus', MP_WMB);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        'Test MP+wmb Allowed',
        'States 4',
        '1:r0=0; 1:r1=0;',
        '1:r0=0; 1:r1=1;',
        '1:r0=1; 1:r1=0;',
        '1:r0=1; 1:r1=1;',
        'Ok',
        'Witnesses',
        'Positive: 1 Negative: 3',
        'Condition exists (1:r0=1 /\\ 1:r1=0)',
        'Observation MP+wmb Sometimes 1 3',
        '',
        '',
      ].join('\n'),
    );
  });

  it('--witness prints the allowed execution of the weak outcome: which store each load read and which it did not see', async () => {
    const r = await cli('litmus', '--witness', MP_WMB);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Witness (the condition holds):\nP0:\n');
    expect(r.out).toContain("  line 13: READ_ONCE reads y = 1 from P0's WRITE_ONCE (line 7)\n");
    expect(r.out).toContain(
      "  line 14: READ_ONCE reads x = 0 from the initial value; did not see P0's WRITE_ONCE (line 5) = 1 (later in x's coherence order)\n",
    );
  });

  it('--json prints one array with the counts and a witness execution', async () => {
    const r = await cli('litmus', '--json', MP_WMB);
    expect(r.code).toBe(0);
    const [res] = JSON.parse(r.out);
    expect([res.file, res.observation, res.positive, res.negative]).toEqual(['MP+wmb.litmus', 'Sometimes', 1, 3]);
    expect(res.witness.state.values).toEqual({ '1:r0': '1', '1:r1': '0' });
  });

  it('refuses an unsupported construct by name and line, runs the other tests, and exits 2', async () => {
    const bad = file('loop.litmus', 'C loop\n{}\nP0(int *x)\n{\n\twhile (1) WRITE_ONCE(*x, 1);\n}\nexists (x=1)\n');
    const r = await cli('litmus', bad, MP_WMB);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`mmreplay litmus: ${bad}: line 5: 'while': litmus tests here are loop-free straight-line code with if/else\n`);
    expect(r.out).toContain('Observation MP+wmb Sometimes 1 3');
    expect((await cli('litmus')).code).toBe(2);
  });
});
