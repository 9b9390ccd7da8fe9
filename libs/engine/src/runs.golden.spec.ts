import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { contentHash, resolveModel, scenarios, type World } from '@mmreplay/model';
import { Runtime } from './runtime.js';
import { makeScheduler, type Strategy } from './simulate.js';
import type { StepEvent } from './step-event.js';

// What the machine does, pinned for seeded runs of every sc world of the catalogue (issue 20: the
// engine's own specs check properties that hold whatever a step does to a page's lock, refcount,
// rmap or PTE, so a mutation of the semantics (libs/engine/src/semantics/*) that keeps the runs
// inside those properties survived them; the catalogue's exhaustive verdicts are the explorer's
// tests). For each world, 8 random and 8 PCT runs with the world's invariants (a run stops at its
// first violation; a violated run is run again with use-after-free alone, which goes on past it):
// each run's outcome, steps and violation in words, and a digest of every event (thread, label,
// kind, choice, arguments, state deltas). A change of the semantics on purpose regenerates the file:
// MMREPLAY_UPDATE_RUNS=1 npx vitest run src/runs.golden.spec.ts, and the summary lines of its
// diff show which runs moved. Worlds under tso/lkmm are the memory-model specs' (their semantics
// are pinned there against the LKMM checker and herd7).

const GOLDEN = new URL('../test/runs-golden.json', import.meta.url);
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];
const MAX_STEPS = 2_000;

function runOf(world: World, strategy: Strategy, seed: number): { line: string; violated: boolean } {
  const events: StepEvent[] = [];
  const r = new Runtime(world).run({ scheduler: makeScheduler({ strategy, seed }, world, MAX_STEPS), maxSteps: MAX_STEPS, onEvent: (e) => events.push(e) });
  const digest = contentHash(events.map((e) => [e.thread, e.label, e.kind, e.choice, e.args, e.deltas.map((d) => [d.slot, d.before, d.after])])).slice(0, 16);
  const v = r.violation ? ` ${r.violation.invariant} by ${r.violation.thread} at ${r.violation.step}: ${r.violation.message}` : '';
  return { line: `${strategy}:${seed} ${r.outcome} after ${r.steps}${v} #${digest}`, violated: r.violation !== null };
}

function runsOf(world: World): string[] {
  const out: string[] = [];
  for (const strategy of ['random', 'pct'] as Strategy[]) {
    for (const seed of SEEDS) {
      const run = runOf(world, strategy, seed);
      out.push(run.line);
      // past the violation: what the machine does after it, with only use-after-free checked
      if (run.violated) out.push(`  ${runOf({ ...world, invariants: ['use-after-free'] }, strategy, seed).line} (use-after-free only)`);
    }
  }
  return out;
}

/** Every sc world of the catalogue (each scenario, unmodified and in each named variant), by name. */
function worlds(): [string, World][] {
  return scenarios().flatMap((s) =>
    [undefined, ...s.variants.map((v) => v.name)]
      .map((variant): [string, World] => [`${s.name} ${variant ?? ''}`.trim(), resolveModel({ scenario: s.name, variant }).world])
      .filter(([, world]) => world.memoryModel === 'sc'),
  );
}

describe('engine runs, pinned', () => {
  it('seeded random and PCT runs of every sc world of the catalogue end, step and change the state as pinned', () => {
    const all = worlds();
    if (process.env.MMREPLAY_UPDATE_RUNS === '1' || !existsSync(GOLDEN)) {
      writeFileSync(GOLDEN, `${JSON.stringify(Object.fromEntries(all.map(([key, world]) => [key, runsOf(world)])), null, 1)}\n`);
    }
    const want = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Record<string, string[]>;
    expect(all.length).toBeGreaterThan(30);
    expect(all.map(([key]) => key)).toEqual(Object.keys(want));
    // world by world, so that a changed machine fails at the first world it changes
    for (const [key, world] of all) expect(runsOf(world), key).toEqual(want[key]);
  });
});
