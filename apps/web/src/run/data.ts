import { useEffect, useMemo } from 'react';
import type { MemoryViewData } from './MemoryTables';
import { keepPreviousData, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type Run, type StepEvent } from '../api/client';
import { windowRange, windowsOf } from './windows';
import { viewChanges } from './changes';

export interface View {
  pages: Record<string, Record<string, unknown>>;
  ptes: Record<string, Record<string, unknown>>;
  ptls: Record<string, { holder: string | null; ptes: string[] }>;
  vmas: Record<string, Record<string, unknown>>;
  waitQueues: Record<string, unknown>;
  threads: Record<string, Record<string, unknown>>;
  /** litmus tests and weak memory models only */
  memory?: MemoryViewData;
}

/** The number of recorded steps (a running run grows). */
export const stepsOf = (run: Run | undefined): number =>
  run ? ((run.steps as unknown as number | null) ?? ((run.lastStep as unknown as number | null) ?? -1) + 1) : 0;

export function useRun(id: string) {
  return useQuery({
    queryKey: ['run', id],
    queryFn: async () => unwrap(await api.GET('/runs/{id}', { params: { path: { id } } })),
    // a run still being recorded is asked again until it completes
    refetchInterval: (q) => (q.state.data?.status === 'running' ? 1000 : false),
  });
}

const stateQuery = (id: string, at: number) => ({
  queryKey: ['state', id, at],
  queryFn: async () =>
    unwrap(await api.GET('/runs/{id}/state', { params: { path: { id }, query: { at } } })) as unknown as { step: number; event: unknown; view: View },
  staleTime: Infinity,
});

/**
 * States fetched ahead of the selected step, and behind it: held-down keys then redraw from the
 * cache. The lead forward covers a state's round trip on a loaded server (a few hundred ms) at a
 * redraw every 20 ms. It is built up a few requests per drawn step (NEW_PER_STEP), nearest first:
 * stepping on needs one new state a step, so the lead grows while a burst of requests never
 * queues on the server ahead of what a reader asks for next (or of the next page's requests).
 */
const AHEAD = 16;
const BEHIND = 4;
const NEW_PER_STEP = 3;

/**
 * The state after `step`, the one before it (what the step changed is their difference), and the
 * steps around them fetched ahead. While a far step loads, the previous one stays shown.
 */
export function useStep(id: string, step: number, last: number, enabled = true) {
  const client = useQueryClient();
  const state = useQuery({ ...stateQuery(id, step), enabled, placeholderData: keepPreviousData });
  const before = useQuery({ ...stateQuery(id, step - 1), enabled: enabled && step >= 0 });
  const shown = state.data?.step;
  useEffect(() => {
    // only once this step is drawn: the browser's few connections go to what is shown first
    if (!enabled || shown !== step) return;
    // nearest first on both sides, so the next press either way is the first answered
    let asked = 0;
    for (let d = 1; d <= AHEAD && asked < NEW_PER_STEP; d++)
      for (const n of d <= BEHIND ? [step + d, step - 1 - d] : [step + d]) {
        if (n < -1 || n > last || asked >= NEW_PER_STEP) continue;
        const q = stateQuery(id, n);
        // cached or on its way: nothing to ask
        if (client.getQueryState(q.queryKey)?.data !== undefined || client.isFetching({ queryKey: q.queryKey, exact: true }) > 0) continue;
        asked++;
        void client.prefetchQuery(q);
      }
  }, [client, id, step, last, enabled, shown]);
  const changes = useMemo(
    () => (step >= 0 && state.data?.step === step && before.data ? viewChanges(before.data.view, state.data.view) : undefined),
    [step, state.data, before.data],
  );
  return { state, changes };
}

/** The step events of the windows covering the ranges; `eventAt` answers from whatever has arrived. */
export function useEventWindows(id: string, steps: number, ranges: readonly (readonly [number, number])[]) {
  const windows = windowsOf(ranges, steps);
  const results = useQueries({
    queries: windows.map((start) => {
      const range = windowRange(start);
      return {
        queryKey: ['events', id, start],
        queryFn: async () => unwrap(await api.GET('/runs/{id}/events', { params: { path: { id }, query: range } })) as StepEvent[],
        staleTime: Infinity,
      };
    }),
  });
  const loaded = results.map((r) => r.data);
  const key = loaded.map((d) => d?.length ?? -1).join(',') + windows.join(',');
  return useMemo(() => {
    const byStep = new Map<number, StepEvent>();
    for (const events of loaded) for (const e of events ?? []) byStep.set(e.step, e);
    return (step: number) => byStep.get(step);
  }, [key]);
}
