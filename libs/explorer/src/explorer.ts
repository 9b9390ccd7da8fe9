import { getHeapStatistics } from 'node:v8';
import { encodeSchedule, Machine } from '@mmreplay/engine';
import type { World } from '@mmreplay/model';
import { Symmetry } from './symmetry.js';

export type Verdict = 'holds' | 'violated' | 'inconclusive';
export type BoundName = 'states' | 'depth' | 'time' | 'memory' | 'cancelled';

export interface Bounds {
  readonly maxStates: number;
  readonly maxDepth: number;
  readonly maxSeconds: number;
  readonly maxMemoryMB: number;
}

/** The memory bound defaults to 70% of this process's heap limit, so the bound trips before V8 does. */
export const DEFAULT_BOUNDS: Bounds = {
  maxStates: 5_000_000,
  maxDepth: 100_000,
  maxSeconds: 300,
  maxMemoryMB: Math.floor((getHeapStatistics().heap_size_limit * 0.7) / 2 ** 20),
};

export interface Progress {
  readonly states: number;
  readonly transitions: number;
  readonly depth: number;
  readonly elapsedMs: number;
  readonly statesPerSecond: number;
}

export interface Counterexample {
  readonly schedule: string;
  readonly length: number;
  readonly invariant: string;
  /** the step (0-based) at which the invariant broke */
  readonly step: number;
  readonly thread: string;
  readonly message: string;
}

export interface ExplorationResult {
  readonly verdict: Verdict;
  readonly boundHit: BoundName | null;
  readonly statesStored: number;
  readonly transitions: number;
  readonly maxDepth: number;
  readonly elapsedMs: number;
  readonly reductions: readonly string[];
  readonly counterexample: Counterexample | null;
}

export interface ExploreOptions {
  readonly bounds?: Partial<Bounds>;
  /** symmetry reduction (on by default where the scenario declares symmetric tuples) */
  readonly symmetry?: boolean;
  readonly onProgress?: (p: Progress) => void;
  /** polled during the search; set `cancelled` to stop it */
  readonly cancel?: { cancelled: boolean };
}

const keyOf = (s: Int32Array): string => Buffer.from(s.buffer, s.byteOffset, s.byteLength).toString('latin1');

/**
 * Exhaustive breadth-first search over every interleaving (and every outcome of steps that have
 * several) with visited-state deduplication on the whole state vector. Breadth-first order makes
 * the first violation found a shortest one: no counterexample with fewer steps exists.
 */
export function explore(world: World, opts: ExploreOptions = {}): ExplorationResult {
  const bounds = { ...DEFAULT_BOUNDS, ...opts.bounds };
  const m = new Machine(world);
  const sym = new Symmetry(m);
  const useSymmetry = opts.symmetry !== false && sym.active;
  const canon = useSymmetry ? (s: Int32Array) => sym.canonical(s) : (s: Int32Array) => s;
  const reductions = ['state-deduplication', 'local-steps-merged', ...(useSymmetry ? ['symmetry'] : [])];
  const started = performance.now();
  const n = m.threadCount;

  const initial = m.initialState();
  const states: Int32Array[] = [canon(initial)];
  const parent: number[] = [-1];
  const viaThread: number[] = [-1];
  const viaChoice: number[] = [-1];
  const depthOf: number[] = [0];
  const visited = new Map<string, number>([[keyOf(states[0]), 0]]);
  let transitions = 0;
  let maxDepth = 0;
  let boundHit: BoundName | null = null;
  let lastProgress = started;

  const finish = (verdict: Verdict, counterexample: Counterexample | null): ExplorationResult => ({
    verdict,
    boundHit,
    statesStored: states.length,
    transitions,
    maxDepth,
    elapsedMs: Math.round(performance.now() - started),
    reductions,
    counterexample,
  });

  for (let head = 0; head < states.length; head++) {
    const s = states[head];
    const depth = depthOf[head];
    if ((head & 1023) === 0) {
      const now = performance.now();
      if (opts.cancel?.cancelled) boundHit = 'cancelled';
      else if (now - started > bounds.maxSeconds * 1000) boundHit = 'time';
      else if (process.memoryUsage().heapUsed > bounds.maxMemoryMB * 1024 * 1024) boundHit = 'memory';
      if (boundHit) return finish('inconclusive', null);
      if (opts.onProgress && now - lastProgress > 100) {
        lastProgress = now;
        opts.onProgress({ states: states.length, transitions, depth, elapsedMs: now - started, statesPerSecond: (states.length * 1000) / Math.max(1, now - started) });
      }
    }
    let anyRunnable = false;
    for (let t = 0; t < n; t++) {
      if (!m.isRunnable(s, t)) continue;
      anyRunnable = true;
      const k = m.choiceCount(s, t);
      for (let c = 0; c < k; c++) {
        const next = s.slice();
        transitions++;
        if (!m.step(next, t, c)) {
          const v = m.violation!;
          return finish('violated', counterexample(m, canon, states, parent, viaThread, viaChoice, head, { thread: t, choice: c }, v.invariant));
        }
        if (depth + 1 > bounds.maxDepth) {
          boundHit = 'depth';
          continue;
        }
        const c2 = canon(next);
        const key = keyOf(c2);
        if (visited.has(key)) continue;
        if (states.length >= bounds.maxStates) {
          boundHit = 'states';
          return finish('inconclusive', null);
        }
        visited.set(key, states.length);
        states.push(c2);
        parent.push(head);
        viaThread.push(t);
        viaChoice.push(c);
        depthOf.push(depth + 1);
        if (depth + 1 > maxDepth) maxDepth = depth + 1;
      }
    }
    if (!anyRunnable) {
      const end = m.endState(s);
      const enabled = world.invariants.includes(end.violation?.invariant ?? '');
      if (end.violation && (end.outcome === 'violation' || enabled)) {
        return finish('violated', counterexample(m, canon, states, parent, viaThread, viaChoice, head, null, end.violation.invariant, end.violation.message));
      }
    }
  }
  return finish(boundHit ? 'inconclusive' : 'holds', null);
}

/**
 * Turns the BFS tree path into a schedule that replays from the real initial state. Stored states
 * are symmetry representatives, so each step is re-found from the concrete state: the decision
 * whose successor has the stored representative.
 */
function counterexample(
  m: Machine,
  canon: (s: Int32Array) => Int32Array,
  states: Int32Array[],
  parent: number[],
  viaThread: number[],
  viaChoice: number[],
  last: number,
  final: { thread: number; choice: number } | null,
  invariant: string,
  endMessage?: string,
): Counterexample {
  const path: number[] = [];
  for (let id = last; id > 0; id = parent[id]) path.push(id);
  path.reverse();
  const threads: number[] = [];
  const choices: number[] = [];
  let s = m.initialState();
  const decide = (t: number, c: number) => {
    threads.push(t);
    if (m.choiceCount(s, t) > 1) choices.push(c);
  };
  for (const id of path) {
    const target = keyOf(states[id]);
    let found = false;
    for (let t = 0; t < m.threadCount && !found; t++) {
      if (!m.isRunnable(s, t)) continue;
      for (let c = 0; c < m.choiceCount(s, t) && !found; c++) {
        const next = s.slice();
        if (m.step(next, t, c) && keyOf(canon(next)) === target) {
          decide(t, c);
          s = next;
          found = true;
        }
      }
    }
    if (!found) throw new Error(`counterexample reconstruction lost the path at state ${id} (thread ${viaThread[id]}, choice ${viaChoice[id]})`);
  }
  let message = endMessage ?? '';
  let thread = '';
  if (final) {
    // The violating step from the concrete state: the same invariant must break.
    for (let t = 0; t < m.threadCount && !message; t++) {
      if (!m.isRunnable(s, t)) continue;
      for (let c = 0; c < m.choiceCount(s, t); c++) {
        const next = s.slice();
        if (!m.step(next, t, c) && m.violation?.invariant === invariant) {
          decide(t, c);
          message = m.violation.message;
          thread = m.world.threads[t].name;
          break;
        }
      }
    }
  } else {
    thread = m.world.threads.find((_, t) => !m.isFinished(s, t))?.name ?? '';
  }
  return { schedule: encodeSchedule({ threads, choices }), length: threads.length, invariant, step: final ? threads.length - 1 : threads.length, thread, message };
}
