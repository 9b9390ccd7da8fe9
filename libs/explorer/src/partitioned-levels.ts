import type { ModelBoundMet } from '@mmreplay/engine';
import type { World } from '@mmreplay/model';
import { counterexampleAlong, modelBoundsOf, type Counterexample } from './explorer.js';
import { Partition, emptyReport, partitionTables, type Batch, type LevelReport, type PartitionOptions } from './partition.js';
import type { ComponentTable } from './state-store.js';

// The parallel search's algorithm on the calling thread, one level at a time: each partition
// expands its heads of the level in turn, and the batches go straight to the partitions they are
// for. explorePartitioned runs it to the end (the tests and the reductions fuzz hold it to
// explore). exploreParallel runs a search's first levels with it while the workers load, then
// hands each partition's states to its worker (Partition.export, adopt): nothing is searched twice.

export interface PartitionedOptions extends PartitionOptions {
  /**
   * As idle workers are given heads on threads, every level each partition gives the last
   * quarter of its heads to the next, which expands them after its own (Partition.give,
   * expandGiven). Default true.
   */
  readonly share?: boolean;
}

/** heads a partition expands between two looks at the batches it made */
const SLICE = 4096;

export class PartitionedLevels {
  readonly parts: Partition[];
  /** the level expanded next */
  depth = 0;
  transitions = 0;
  endStates = 0;
  maxDepth = 0;
  /** a state beyond the depth bound was not expanded */
  depthBounded = false;

  /** `tables`: the component tables the partitions share (partitionTables, or the workers' SharedInternTables) */
  constructor(
    world: World,
    readonly partitions: number,
    private readonly opts: PartitionedOptions,
    tables: ComponentTable[] = partitionTables(world),
  ) {
    this.parts = Array.from({ length: partitions }, (_, i) => new Partition(world, i, partitions, opts, tables));
    this.parts.forEach((p) => p.seed());
  }

  get count(): number {
    return this.parts.reduce((a, p) => a + p.count, 0);
  }

  get frontier(): number {
    return this.parts.reduce((a, p) => a + p.frontier, 0);
  }

  get bytes(): number {
    return this.parts.reduce((a, p) => a + p.bytes, 0);
  }

  get reductions(): string[] {
    return this.parts[0].reductions;
  }

  /** What a search's result says of the levels expanded so far: states, transitions, end states, depth, reductions, the engine's bounds met. */
  figures(): { statesStored: number; transitions: number; schedules: number; maxDepth: number; reductions: string[]; modelBounds?: readonly ModelBoundMet[] } {
    return {
      statesStored: this.count,
      transitions: this.transitions,
      schedules: this.endStates,
      maxDepth: this.maxDepth,
      reductions: this.reductions,
      ...modelBoundsOf(this.parts.map((p) => p.m)),
    };
  }

  /**
   * Expands the next level (there is one while `frontier` > 0). Returns null when it broke no
   * invariant and met no bound but depth; else the report of the shortest violation (see
   * counterexample) or of the bound that stopped it (time or cancelled).
   */
  level(): LevelReport | null {
    const parts = this.parts;
    const depth = this.depth;
    const before = this.count;
    const reports = parts.map(() => emptyReport());
    const deliver = (batches: Batch[]) =>
      batches.forEach((b) => {
        parts[b.to].receive(b.data, b.words);
        parts[b.from].recycle(b.data);
      });
    const given = parts.map((): Int32Array[] => []);
    if (this.opts.share !== false && this.partitions > 1) parts.forEach((p, i) => given[(i + 1) % this.partitions].push(p.give(0, Math.floor(p.own / 4))));
    const stopped = (r: LevelReport) => r.violationAt >= 0 || (r.boundHit !== null && r.boundHit !== 'depth');
    parts.forEach((p, i) => {
      for (let done = 0; done < p.own && !stopped(reports[i]);) {
        const before = done;
        done = p.expand(depth, done, SLICE, reports[i]);
        deliver(p.drain(false));
        if (done === before) break;
      }
      for (const g of given[i]) {
        for (let done = 0; done < g.length / p.givenWords && !stopped(reports[i]);) {
          const before = done;
          done = p.expandGiven(depth, g, done, SLICE, reports[i]);
          deliver(p.drain(false));
          if (done === before) break;
        }
      }
      deliver(p.drain(true));
    });
    for (const r of reports) {
      this.transitions += r.transitions;
      this.endStates += r.endStates;
      if (r.boundHit === 'depth') this.depthBounded = true;
    }
    let found = reports.filter((r) => r.violationAt >= 0);
    if (found.length && found.every((x) => x.violationStep !== null)) {
      // only steps broke an invariant: an end state of the level that breaks one is shorter
      parts.forEach((p, i) => p.endStateViolation(reports[i]));
      found = reports.filter((r) => r.violationAt >= 0);
    }
    if (found.length) return found.find((x) => x.violationStep === null) ?? found[0];
    const bound = reports.find((r) => r.boundHit !== null && r.boundHit !== 'depth');
    if (bound) return bound;
    parts.forEach((p) => p.nextLevel());
    if (this.count > before) this.maxDepth = depth + 1;
    this.depth++;
    return null;
  }

  /** The shortest counterexample to the violation a level reported. */
  counterexample(r: LevelReport): Counterexample {
    const path: Int32Array[] = [];
    for (let gid = r.violationAt; ;) {
      const { state, parent } = this.parts[gid % this.partitions].state(Math.floor(gid / this.partitions));
      if (parent < 0) break;
      path.push(state);
      gid = parent;
    }
    path.reverse();
    const p0 = this.parts[0];
    return counterexampleAlong(p0.m, (s) => p0.canon(s), path, r.violationStep, r.invariant, r.violationStep ? undefined : r.message);
  }
}

/**
 * The parallel search's algorithm on the calling thread: `partitions` partitions expanded in turn,
 * batches handed over directly. It stores the same states as the threads do (what they add is
 * transport); tests and the reductions fuzz hold it to `explore`. Bounds: states and time are
 * checked between levels.
 */
export function explorePartitioned(
  world: World,
  partitions: number,
  opts: PartitionedOptions & { maxStates?: number; maxSeconds?: number },
): {
  verdict: 'holds' | 'violated' | 'inconclusive';
  boundHit: 'states' | 'time' | 'depth' | null;
  statesStored: number;
  transitions: number;
  schedules: number;
  maxDepth: number;
  reductions: string[];
  counterexample: Counterexample | null;
  modelBounds?: readonly ModelBoundMet[];
} {
  const levels = new PartitionedLevels(world, partitions, opts);
  const deadline = performance.now() + (opts.maxSeconds ?? Infinity) * 1000;
  let boundHit: 'states' | 'time' | 'depth' | null = null;
  const result = (verdict: 'holds' | 'violated' | 'inconclusive', counterexample: Counterexample | null) => ({
    verdict,
    boundHit,
    ...levels.figures(),
    counterexample,
  });
  while (levels.frontier > 0) {
    if (levels.count > (opts.maxStates ?? Infinity)) return ((boundHit = 'states'), result('inconclusive', null));
    if (performance.now() > deadline) return ((boundHit = 'time'), result('inconclusive', null));
    const r = levels.level();
    if (levels.depthBounded) boundHit = 'depth';
    if (r !== null && r.violationAt >= 0) return result('violated', levels.counterexample(r));
    if (r !== null) return ((boundHit = r.boundHit === 'time' ? 'time' : boundHit), result('inconclusive', null));
  }
  return result(boundHit ? 'inconclusive' : 'holds', null);
}
