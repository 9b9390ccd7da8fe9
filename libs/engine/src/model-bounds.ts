// The weak memory models keep bounded state per thread and per location (libs/model layout.ts).
// Where a path needs more than a bound keeps, the engine makes the thread wait (or drops a choice)
// where the model itself would let it go on: the search then misses executions, so a `holds` found
// there is not the model's. The machine records each bound the first time it holds a thread back,
// and a search reports them with its verdict (docs/memory-model.md, "the engine's own bounds").

/** Each bound the engine may hold a thread back at. */
export const MODEL_BOUNDS = ['loads', 'stores', 'messages', 'speculation', 'wmb', 'releases'] as const;
export type ModelBoundName = (typeof MODEL_BOUNDS)[number];

/** A bound that held a thread back, where it did so first. */
export interface ModelBoundMet {
  readonly bound: ModelBoundName;
  readonly thread: string;
  /** the label of the instruction that waited or lost a choice */
  readonly label: string;
  /** what the bound kept there at most (the thread's, or the location's) */
  readonly kept: number;
}

const WHAT: Readonly<Record<ModelBoundName, string>> = {
  loads: 'outstanding loads per thread',
  stores: 'outstanding stores per thread',
  messages: 'older stores a location keeps for CPUs that have not seen newer ones',
  speculation: 'branches speculated on one outstanding load',
  wmb: 'smp_wmb() barriers with stores outstanding before them',
  releases: 'outstanding release stores per thread',
};

/** A met bound in words, for summaries and the CLI. */
export function modelBoundWords(b: ModelBoundMet): string {
  return `${b.thread} at ${b.label} waited at the engine's bound on ${WHAT[b.bound]} (${b.kept})`;
}

/** The bounds met by several searches of one world (the workers of a parallel search), the first site of each kept. */
export function mergeModelBounds(lists: readonly (readonly ModelBoundMet[] | undefined)[]): ModelBoundMet[] {
  const seen = new Map<ModelBoundName, ModelBoundMet>();
  for (const list of lists) for (const b of list ?? []) if (!seen.has(b.bound)) seen.set(b.bound, b);
  return MODEL_BOUNDS.flatMap((name) => (seen.has(name) ? [seen.get(name)!] : []));
}
