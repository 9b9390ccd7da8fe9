import { useCallback, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { ErrorNote } from '../ui/ErrorNote';
import { stepsOf, useEventWindows, useRun, useStep } from '../run/data';
import { changedSet } from '../run/changes';
import { StateTables } from '../run/StateTables';
import { Timeline } from '../run/Timeline';
import { useStepKeys } from '../run/RunPage';
import { useStepParam } from '../run/useStepParam';
import { useUrlParams } from '../run/useUrlParams';

/** Two runs side by side at one step, opened where they diverge; what differs is highlighted. */
export function ComparePage() {
  const [params, setParam] = useUrlParams();
  const a = params.get('a') ?? '';
  const b = params.get('b') ?? '';
  const runA = useRun(a);
  const runB = useRun(b);
  const divergence = useQuery({
    queryKey: ['divergence', a, b],
    queryFn: async () => unwrap(await api.GET('/runs/{id}/divergence/{other}', { params: { path: { id: a, other: b } } })),
    enabled: !!a && !!b,
    staleTime: Infinity,
  });
  const last = Math.max(stepsOf(runA.data), stepsOf(runB.data)) - 1;
  const d = divergence.data?.divergence as { step: number; reason: string } | null | undefined;
  const [requested, go] = useStepParam(setParam);
  const step = Math.max(-1, Math.min(last, requested !== null ? Number(requested) || 0 : (d?.step ?? -1)));
  useStepKeys(step, last, go);
  const differs = useQuery({
    queryKey: ['diff-runs', a, b, step],
    queryFn: async () => unwrap(await api.GET('/runs/{id}/diff', { params: { path: { id: a }, query: { from: step, to: step, otherRun: b } } })),
    enabled: !!a && !!b && step <= Math.min(stepsOf(runA.data), stepsOf(runB.data)) - 1,
    placeholderData: keepPreviousData,
  });
  const changed = useMemo(() => changedSet(differs.data?.changes), [differs.data]);
  if (!a || !b)
    return (
      <p>
        Two runs are needed: <code>/compare?a=RUN&amp;b=RUN</code>.
      </p>
    );
  return (
    <article aria-labelledby="compare-title">
      <h1 id="compare-title">
        <Link to={`/runs/${a}`}>{a}</Link> and <Link to={`/runs/${b}`}>{b}</Link>
      </h1>
      <ErrorNote error={divergence.error ?? runA.error ?? runB.error} />
      <p data-testid="divergence">
        {d === null ? (
          'The two runs are the same.'
        ) : d ? (
          <>
            They diverge at step{' '}
            <button type="button" className="link" onClick={() => go(d.step)}>
              {d.step}
            </button>
            : {d.reason}
          </>
        ) : (
          'Looking for the divergence…'
        )}
      </p>
      <div className="stepper" role="group" aria-label="Step both runs">
        <button type="button" onClick={() => go(step - 1)} disabled={step <= -1} aria-label="Previous step (←)">
          ←
        </button>
        <label className="scrubber">
          <span className="sr-only">Step</span>
          <input type="range" min={-1} max={Math.max(last, -1)} value={step} onChange={(e) => go(Number(e.target.value))} />
        </label>
        <button type="button" onClick={() => go(step + 1)} disabled={step >= last} aria-label="Next step (→)">
          →
        </button>
        <span className="of">
          step {step} of {last}
        </span>
      </div>
      <div className="side-by-side">
        <Side id={a} step={step} changed={changed} divergence={d?.step} onStep={go} />
        <Side id={b} step={step} changed={changed} divergence={d?.step} onStep={go} />
      </div>
    </article>
  );
}

function Side({
  id,
  step,
  changed,
  divergence,
  onStep,
}: {
  id: string;
  step: number;
  changed: ReadonlySet<string>;
  divergence?: number;
  onStep: (s: number) => void;
}) {
  const run = useRun(id);
  const steps = stepsOf(run.data);
  const at = Math.min(step, steps - 1);
  const { state } = useStep(id, at, steps - 1);
  const [visible, setVisible] = useState<[number, number]>([0, 200]);
  const onVisible = useCallback((from: number, to: number) => setVisible([from, to]), []);
  const eventAt = useEventWindows(id, steps, [visible, [at, at]]);
  const threads = useMemo(() => Object.keys(state.data?.view.threads ?? {}), [state.data]);
  const e = at >= 0 ? eventAt(at) : undefined;
  return (
    <section aria-label={`run ${id}`} className="side">
      <h2>
        {run.data?.variant}{' '}
        <small>
          ({id}, {run.data?.outcome ?? run.data?.status})
        </small>
      </h2>
      <Timeline
        steps={steps}
        threads={threads}
        eventAt={eventAt}
        selected={at}
        violationStep={divergence}
        onSelect={onStep}
        onVisible={onVisible}
        markLabel="divergence"
        label={`Steps of run ${id}`}
      />
      <p>
        {at < 0 ? (
          'initial state'
        ) : e ? (
          <>
            step {e.step}: <strong>{e.thread}</strong> <code>{e.label}</code>
          </>
        ) : (
          `step ${at}`
        )}
        {step > steps - 1 && ' (this run has ended)'}
      </p>
      {state.data && <StateTables view={state.data.view} changed={changed} selectedObject={null} onObject={() => {}} changeWord="differs" />}
    </section>
  );
}
