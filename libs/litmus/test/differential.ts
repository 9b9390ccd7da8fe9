import { checkLitmus, generateLitmus, parseLitmus } from '../src/index.js';
import { runHerd } from './herd.js';

export interface Disagreement {
  readonly seed: number;
  readonly ours: string;
  readonly herd: string;
  readonly text: string;
}

export interface DifferentialReport {
  readonly tests: number;
  /** Tests herd7 did not answer within its time limit: not compared, counted apart. */
  readonly herdTimeouts: number[];
  readonly agreed: number;
  readonly disagreements: Disagreement[];
  readonly oursMs: number;
  readonly herdMs: number;
}

/**
 * Generates the tests of seeds [first, first + count) and compares our Observation and witness
 * counts (positive / total executions) with herd7's. A disagreement keeps the seed and the text.
 */
export function differential(herd: string, first: number, count: number): DifferentialReport {
  const disagreements: Disagreement[] = [];
  const herdTimeouts: number[] = [];
  let oursMs = 0;
  let herdMs = 0;
  for (let seed = first; seed < first + count; seed++) {
    const t = generateLitmus(seed);
    const t0 = performance.now();
    let ours: string;
    try {
      const r = checkLitmus(parseLitmus(t.text));
      ours = `${r.observation} ${r.witnesses.positive}/${r.positive + r.negative}`;
    } catch (e) {
      ours = `ERROR ${(e as Error).message}`;
    }
    oursMs += performance.now() - t0;
    const h = runHerd(herd, t.name, t.text);
    herdMs += h.ms;
    if (h.observation === 'TIMEOUT') {
      herdTimeouts.push(seed);
      continue;
    }
    const theirs = `${h.observation} ${h.positive}/${h.total}`;
    if (ours !== theirs) disagreements.push({ seed, ours, herd: theirs, text: t.text });
  }
  return { tests: count, herdTimeouts, agreed: count - herdTimeouts.length - disagreements.length, disagreements, oursMs, herdMs };
}

export function describeDisagreement(d: Disagreement): string {
  return `seed ${d.seed}: mmreplay says ${d.ours}, herd7 says ${d.herd}\n${d.text}`;
}
