import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkLitmus, litmusEngineWorld, parseLitmus } from '@mmreplay/litmus';
import { explore } from '@mmreplay/explorer';

// Speculated branches between two registers and on one load twice, and a second smp_wmb() with a
// store outstanding at the first (docs/memory-model.md): the explorer, with every reduction (dead
// registers sees the branch conditions and the per-barrier carried sets only through the state),
// reaches each final state the LKMM allows, as the plain search of engine-stronger.spec.ts does.
// LB+fencembonceonce+ctrlonceonce (`if (r0)`) is the kernel's Never: its weak outcome stays unreachable.

const litmus = join(dirname(fileURLToPath(import.meta.url)), '../../litmus/test');
const TESTS = [
  'engine-stronger/LB+ctrl2reg-store-after-if',
  'engine-stronger/LB+ctrl-ctrl-store-after-if',
  'engine-stronger/MP+data-wmb-wmb-load+wmb',
  'kernel/LB+fencembonceonce+ctrlonceonce',
];
const bounds = { bounds: { maxStates: 200_000, maxSeconds: 60 } };

describe('the explorer reaches exactly the final states the LKMM allows past two-register and nested branches and two smp_wmb()', () => {
  it.each(TESTS)(
    '%s',
    (name) => {
      const test = parseLitmus(readFileSync(join(litmus, `${name}.litmus`), 'utf8'));
      const r = checkLitmus(test);
      for (const st of r.states)
        expect(explore(litmusEngineWorld(test, st.values, 'lkmm'), bounds).verdict, `${name}: ${JSON.stringify(st.values)}`).toBe('violated');
      if (name.startsWith('kernel/')) {
        expect(r.observation).toBe('Never');
        expect(explore(litmusEngineWorld(test, { '0:r0': '1', '1:r0': '1' }, 'lkmm'), bounds).verdict, name).toBe('holds');
      }
    },
    120_000,
  );
});
