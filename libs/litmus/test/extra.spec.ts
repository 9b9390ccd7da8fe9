import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkLitmus, parseLitmus } from '../src/index.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'extra');
const files = readdirSync(dir).filter((f) => f.endsWith('.litmus')).sort();

// Constructs the generator does not produce (smp_mb__after_unlock_lock, atomic_*_and_test,
// smp_store_mb, a failed cmpxchg_acquire, spin_is_locked, filter, forall, barrier, RCU with
// synchronize_rcu), each with herd7's answer recorded in its second line; checked without herd7.
describe('tests of the rarer primitives, against herd7\'s recorded answers', () => {
  it.each(files)('%s', (file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    const herd = /herd7 7\.56 with the LKMM: (\w+) (\d+)\/(\d+)/.exec(text)!;
    const r = checkLitmus(parseLitmus(text));
    expect(`${r.observation} ${r.witnesses.positive}/${r.positive + r.negative}`).toBe(`${herd[1]} ${herd[2]}/${herd[3]}`);
  });
});
