// Determinism across processes: the same seed gives the same events, bit for bit, in a process of
// its own (libs/engine/test/determinism-child.mjs) as in this one.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { resolveModel, scenarios } from '@mmreplay/model';
// Test support shared by the multi-process tests, outside every project (no dependency edge).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { buildChildLibraries } from '../../../test-support/child-lib.js';
import { Runtime } from './runtime.js';
import { makeScheduler } from './simulate.js';
import type { StepEvent } from './step-event.js';

const worlds = scenarios().flatMap((s) => [undefined, ...s.variants.map((v) => v.name)].map((variant) => ({ scenario: s.name, variant })));
const arbRun = fc.record({
  target: fc.constantFrom(...worlds),
  strategy: fc.constantFrom('random' as const, 'pct' as const),
  seed: fc.integer({ min: 0, max: 2 ** 31 }),
});
const determinismChild = fileURLToPath(new URL('../test/determinism-child.mjs', import.meta.url));
const hashOf = (events: readonly StepEvent[]) => createHash('sha256').update(JSON.stringify(events)).digest('hex');

function runEvents(target: { scenario: string; variant?: string }, strategy: 'random' | 'pct', seed: number): StepEvent[] {
  // Only use-after-free, set on the world: it does not apply to the litmus tests (no pages), so
  // asking resolveModel for it would be refused there.
  const world = { ...resolveModel(target).world, invariants: ['use-after-free'] };
  const events: StepEvent[] = [];
  new Runtime(world).run({ scheduler: makeScheduler({ strategy, seed }, world, 20_000), maxSteps: 20_000, onEvent: (e) => events.push(e) });
  return events;
}

describe('engine determinism over every scenario and variant', () => {
  it('determinism: the same seed gives the same events, bit for bit, in another process', () => {
    // The other process runs the current sources (transpiled now, never a stale build).
    const seed = Date.now() % 2 ** 31;
    const cases = fc.sample(arbRun, { seed, numRuns: 120 }).map((c) => ({ ...c, maxSteps: 20_000 }));
    const libs = buildChildLibraries(['model', 'engine'], 'engine-determinism');
    try {
      const child = spawnSync(process.execPath, [determinismChild, libs.entries.model, libs.entries.engine], {
        input: JSON.stringify(cases),
        encoding: 'utf8',
        maxBuffer: 1 << 24,
      });
      expect(child.stderr).toBe('');
      expect(child.status).toBe(0);
      const theirs = child.stdout.trim().split('\n');
      expect(theirs).toHaveLength(cases.length);
      cases.forEach(({ target, strategy, seed: runSeed }, i) => {
        expect(theirs[i], `${target.scenario}/${target.variant ?? 'kernel'} ${strategy} seed ${runSeed} (sample seed ${seed})`).toBe(
          hashOf(runEvents(target, strategy, runSeed)),
        );
      });
    } finally {
      libs.cleanup();
    }
  });
});
