import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LITMUS_EXPECTATIONS } from '@mmreplay/model';
import { checkLitmus, parseLitmus } from '../src/index.js';

const kernelDir = join(dirname(fileURLToPath(import.meta.url)), 'kernel');

const proc = (i: number, params: string, body: string, regs = '') => `P${i}(${params})\n{\n${regs}${body}\n}\n`;
const two = (name: string, p0: string, p1: string, cond: string, regs0 = '', regs1 = '') =>
  `C ${name}\n{}\n${proc(0, 'int *x, int *y', p0, regs0)}${proc(1, 'int *x, int *y', p1, regs1)}exists (${cond})\n`;
const r01 = '\tint r0;\n\tint r1;\n';
const r0 = '\tint r0;\n';

/**
 * The built-in litmus scenarios' rows whose LKMM answer docs/memory-model.md took from reading
 * linux-kernel.cat (no such test in the kernel tree), written out as litmus tests.
 */
const WRITTEN: Record<string, string> = {
  'MP+fencewmbonceonce+poonceonces': two('MP+fencewmbonceonce+poonceonces', '\tWRITE_ONCE(*x, 1);\n\tsmp_wmb();\n\tWRITE_ONCE(*y, 1);', '\tr0 = READ_ONCE(*y);\n\tr1 = READ_ONCE(*x);', '1:r0=1 /\\ 1:r1=0', '', r01),
  'MP+poonceonces+fencermbonceonce': two('MP+poonceonces+fencermbonceonce', '\tWRITE_ONCE(*x, 1);\n\tWRITE_ONCE(*y, 1);', '\tr0 = READ_ONCE(*y);\n\tsmp_rmb();\n\tr1 = READ_ONCE(*x);', '1:r0=1 /\\ 1:r1=0', '', r01),
  'SB+poreleaseonces+poacquireonces': two('SB+poreleaseonces+poacquireonces', '\tsmp_store_release(x, 1);\n\tr0 = smp_load_acquire(y);', '\tsmp_store_release(y, 1);\n\tr0 = smp_load_acquire(x);', '0:r0=0 /\\ 1:r0=0', r0, r0),
  '2+2W+fencembonceonces': two('2+2W+fencembonceonces', '\tWRITE_ONCE(*x, 1);\n\tsmp_mb();\n\tWRITE_ONCE(*y, 2);', '\tWRITE_ONCE(*y, 1);\n\tsmp_mb();\n\tWRITE_ONCE(*x, 2);', 'x=1 /\\ y=1'),
  '2+2W+fencewmbonceonces': two('2+2W+fencewmbonceonces', '\tWRITE_ONCE(*x, 1);\n\tsmp_wmb();\n\tWRITE_ONCE(*y, 2);', '\tWRITE_ONCE(*y, 1);\n\tsmp_wmb();\n\tWRITE_ONCE(*x, 2);', 'x=1 /\\ y=1'),
  '2+2W+poonceonces': two('2+2W+poonceonces', '\tWRITE_ONCE(*x, 1);\n\tWRITE_ONCE(*y, 2);', '\tWRITE_ONCE(*y, 1);\n\tWRITE_ONCE(*x, 2);', 'x=1 /\\ y=1'),
};

function testText(name: string): string {
  const file = join(kernelDir, `${name}.litmus`);
  if (existsSync(file)) return readFileSync(file, 'utf8');
  const text = WRITTEN[name];
  if (!text) throw new Error(`no litmus test for ${name}`);
  return text;
}

// The LKMM column of the built-in litmus scenarios (LITMUS_EXPECTATIONS, docs/memory-model.md
// "Litmus tests") is what the LKMM itself answers: the kernel's test where the tree has one, else
// the written-out test above.
describe('the built-in litmus scenarios\' LKMM expectations', () => {
  it.each(LITMUS_EXPECTATIONS.map((e) => [e.test, e.lkmm] as const))('%s: the LKMM says %s', (test, lkmm) => {
    expect(checkLitmus(parseLitmus(testText(test))).observation).toBe(lkmm);
  });
});
