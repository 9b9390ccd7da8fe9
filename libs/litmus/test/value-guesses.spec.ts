import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkLitmus, litmusEngineWorld, parseLitmus } from '../src/index.js';
import { engineOutcomes, lkmmOutcomes } from './engine-programs.js';

// docs/memory-model.md, "The checker's value guesses": a value some write stores only on a path
// that reads it (a register set under a branch on a load, used after the `if`) is one herd7
// considers. Each test records herd7's answer in its second line; the checker answered Never on
// both before it guessed the test's integers. The engine holds those stores for the branch's load
// (its `ctrl` ordering): it reaches a subset of the LKMM's final states, misses only the weak
// outcome, and reports the ordering that held it (a holds of the engine's is then said so).

const dir = join(dirname(fileURLToPath(import.meta.url)), 'value-guesses');
const files = readdirSync(dir).filter((f) => f.endsWith('.litmus')).sort();

describe('values that justify themselves through a register set under a branch', () => {
  it.each(files)('%s: herd7 answer; the engine misses only the weak outcome, with its ctrl ordering reported', (file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    const herd = /herd7 7\.56 with the LKMM: (\w+) (\d+)\/(\d+)/.exec(text)!;
    const r = checkLitmus(parseLitmus(text));
    expect(`${r.observation} ${r.witnesses.positive}/${r.positive + r.negative}`).toBe(`${herd[1]} ${herd[2]}/${herd[3]}`);
    const want = lkmmOutcomes(text);
    const got = engineOutcomes(litmusEngineWorld(parseLitmus(text), {}));
    expect([...got.outcomes].filter((o) => !want.has(o))).toEqual([]);
    expect([...want].filter((o) => !got.outcomes.has(o))).toEqual(['0:r0=1 0:r1=1 1:r2=1 x=1 y=1']);
    expect(got.boundsMet.map((b) => b.bound)).toEqual(['ctrl']);
  });
});
