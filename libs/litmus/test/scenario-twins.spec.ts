import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseScenarioDocument, resolveScenarioModel } from '@mmreplay/model';
import { checkLitmus, parseLitmus } from '../src/index.js';
import { engineOutcomes, lkmmOutcomes } from './engine-programs.js';

// docs/memory-model.md, "The kernel's locks: acquires and releases": the kernel scenarios' acquires
// (spin_lock() of a PTL, folio_lock(), down_read()/down_write() of the rmap lock) neither wait for
// their CPU's relaxed accesses nor publish what it has seen. Each scenario document in
// examples/scenarios/ below has a litmus twin in scenario-twins/, its lock a spinlock (lock.cat);
// the engine's exhaustive search of the document under lkmm reaches exactly the twin's final
// states under the LKMM, with the PTL and with each other acquire and its release in the PTL's
// place (the twin's spinlock models each: an acquire, then a release). Both failed on the engine
// that ran every SC step as a full barrier (it missed the weak outcome of each).

const here = dirname(fileURLToPath(import.meta.url));
const scenario = (name: string) => readFileSync(join(here, '../../../examples/scenarios', `${name}.yaml`), 'utf8');
const twin = (name: string) => readFileSync(join(here, 'scenario-twins', `${name}.litmus`), 'utf8');

/** The document's PTL section with another lock in its place. */
const LOCKS: [string, (yaml: string) => string][] = [
  ['spin_lock(ptl)', (y) => y],
  ['folio_lock', (y) => y.replace('op: ptl_lock, args: [e]', 'op: lock_page, args: [lk]').replace('op: ptl_unlock, args: [e]', 'op: unlock_page, args: [lk]')],
  ['down_read', (y) => y.replace('op: ptl_lock, args: [e]', 'op: rmap_lock, args: [lk, 0]').replace('op: ptl_unlock, args: [e]', 'op: rmap_unlock, args: [lk, 0]')],
  ['down_write', (y) => y.replace('op: ptl_lock, args: [e]', 'op: rmap_lock, args: [lk, 1]').replace('op: ptl_unlock, args: [e]', 'op: rmap_unlock, args: [lk, 1]')],
];

const outcomes = (yaml: string, memoryModel: 'sc' | 'lkmm') => {
  // (every final state: the documents audit the weak outcome as an invariant, which ends a path)
  const r = parseScenarioDocument(yaml.replace('invariants: [weak-outcome, deadlock]', 'invariants: [deadlock]'));
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return engineOutcomes(resolveScenarioModel(r.scenario, { memoryModel }).world).outcomes;
};

describe('kernel acquires in scenarios reach the final states of their litmus twins', () => {
  it.each(['lkmm-acquire-sb', 'lkmm-acquire-wrc'])('%s: the twin is Sometimes under the LKMM (herd7 7.56 agrees)', (name) => {
    const text = twin(name);
    const herd = /herd7 7\.56 with the LKMM: (\w+) (\d+)\/(\d+)/.exec(text)!;
    const r = checkLitmus(parseLitmus(text));
    expect(`${r.observation} ${r.witnesses.positive}/${r.positive + r.negative}`).toBe(`${herd[1]} ${herd[2]}/${herd[3]}`);
    expect(r.observation).toBe('Sometimes');
  });

  for (const name of ['lkmm-acquire-sb', 'lkmm-acquire-wrc'])
    it.each(LOCKS)(`${name} with %s: the engine's lkmm final states are the LKMM's`, (_lock, edit) => {
      const yaml = edit(scenario(name));
      const got = outcomes(yaml, 'lkmm');
      expect([...got].sort()).toEqual([...lkmmOutcomes(twin(name))].sort());
      // (and sc reaches fewer: the weak outcome is the acquire's)
      expect(outcomes(yaml, 'sc').size).toBeLessThan(got.size);
    });
});
