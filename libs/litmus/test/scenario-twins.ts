import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseScenarioDocument, resolveScenarioModel } from '@mmreplay/model';
import { checkLitmus, parseLitmus } from '../src/index.js';
import { engineOutcomes } from './engine-programs.js';

// Scenario documents of examples/scenarios/ and their litmus twins in scenario-twins/ (each twin
// records herd7's answer in its header), as the twin specs compare them.

const here = dirname(fileURLToPath(import.meta.url));

/** The text of examples/scenarios/<name>.yaml. */
export const scenario = (name: string): string => readFileSync(join(here, '../../../examples/scenarios', `${name}.yaml`), 'utf8');

/** The text of scenario-twins/<name>.litmus. */
export const twin = (name: string): string => readFileSync(join(here, 'scenario-twins', `${name}.litmus`), 'utf8');

/**
 * The engine's exhaustive search of a document, every final state: the documents audit the weak
 * outcome as an invariant, which would end a path, so only `deadlock` is kept.
 */
export function searchDocument(yaml: string, memoryModel: 'sc' | 'lkmm'): ReturnType<typeof engineOutcomes> {
  const r = parseScenarioDocument(yaml.replace('invariants: [weak-outcome, deadlock]', 'invariants: [deadlock]'));
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return engineOutcomes(resolveScenarioModel(r.scenario, { memoryModel }).world);
}

/** A twin's answer from this library's checker and the herd7 answer its header records, both as `Observation p/n`. */
export function checkerAndHerd(name: string): { checker: string; herd: string } {
  const text = twin(name);
  const herd = /herd7 7\.56 with the LKMM: (\w+) (\d+)\/(\d+)/.exec(text)!;
  const r = checkLitmus(parseLitmus(text));
  return { checker: `${r.observation} ${r.witnesses.positive}/${r.positive + r.negative}`, herd: `${herd[1]} ${herd[2]}/${herd[3]}` };
}
