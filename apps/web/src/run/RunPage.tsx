import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, unwrap, type StepEvent } from '../api/client';
import { ErrorNote } from '../ui/ErrorNote';
import { stepsOf, useEventWindows, useRun, useStep } from './data';
import { changedSet } from './changes';
import { sourceUrl } from './citation';
import { categoryOf } from './kinds';
import { StateTables } from './StateTables';
import { Timeline } from './Timeline';
import { FirstWhere, ObjectHistory, TracePanel } from './panels';
import { stepAfterKey } from './windows';
import { useStepParam } from './useStepParam';
import { useUrlParams } from './useUrlParams';

interface Violation {
  invariant: string;
  step: number;
  thread: string;
  message: string;
}

/** Keys that step the run everywhere on the page but in text fields and the scrubber itself. */
export function useStepKeys(step: number, last: number, go: (s: number) => void) {
  // Presses that come faster than renders each step from the one before, not from a stale render.
  const current = useRef(step);
  current.current = step;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (e.altKey || e.ctrlKey || e.metaKey || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName) || t.isContentEditable) return;
      const next = stepAfterKey(e.key, current.current, last);
      if (next === null) return;
      e.preventDefault();
      current.current = next;
      go(next);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [last, go]);
}

/** A run: lanes, stepping, the state tables at the step, its citation, history, search, trace. */
export function RunPage() {
  const { id = '' } = useParams();
  // one writer of the params for the step and the object, so that neither drops the other's
  const [params, setParam] = useUrlParams();
  const run = useRun(id);
  const [requested, go] = useStepParam(setParam);
  const requestedStep = requested !== null && requested !== '' && Number.isFinite(Number(requested)) ? Math.trunc(Number(requested)) : null;
  // A deep link names its step: the state and the events around it are asked for at once, beside
  // the run itself, instead of after it (one round trip to the first render, not two).
  const steps = run.data ? stepsOf(run.data) : requestedStep !== null ? requestedStep + 1 : 0;
  const last = steps - 1;
  const violation = run.data?.violation as Violation | null | undefined;
  const step = Math.max(-1, Math.min(last, requestedStep ?? violation?.step ?? -1));
  const object = params.get('object');

  useStepKeys(step, last, go);
  const onObject = useCallback((ref: string) => setParam({ object: object === ref ? null : ref }), [object, setParam]);

  const { state, changes } = useStep(id, step, last, run.data !== undefined || requestedStep !== null);
  const [visible, setVisible] = useState<[number, number]>([Math.max(0, step - 50), step + 150]);
  const onVisible = useCallback((from: number, to: number) => setVisible([from, to]), []);
  const eventAt = useEventWindows(id, steps, [visible, [step, step]]);
  const threads = useMemo(() => Object.keys(state.data?.view.threads ?? {}), [state.data]);
  const changed = useMemo(() => changedSet(changes), [changes]);
  const event = step >= 0 ? (eventAt(step) ?? (state.data?.step === step ? toStepEvent(state.data?.event) : undefined)) : undefined;

  if (run.error) return <ErrorNote error={run.error} />;
  if (!run.data) return <p aria-busy="true">Loading run {id}…</p>;
  const r = run.data;
  const shownStep = state.data?.step;
  return (
    <article className="run" aria-labelledby="run-title">
      <header className="run-head">
        <h1 id="run-title">
          Run <code>{r.id}</code>
        </h1>
        <p>
          {r.scenario} · variant <strong>{r.variant}</strong> · {r.strategy} seed {String(r.seed)} · {r.status}
          {r.outcome && ` · ${r.outcome}`} · {steps} steps · by {r.author}
        </p>
        {violation && (
          <p className="violation-note" role="note">
            <strong>{violation.invariant}</strong> at step{' '}
            <button type="button" className="link" onClick={() => go(violation.step)}>
              {violation.step}
            </button>
            : {violation.message}
          </p>
        )}
      </header>

      <Timeline
        steps={steps}
        threads={threads}
        eventAt={eventAt}
        selected={step}
        violationStep={violation?.step}
        onSelect={go}
        onVisible={onVisible}
        label={`Steps of run ${r.id}, one lane per thread`}
      />

      <div className="stepper" role="group" aria-label="Step through the run">
        <button type="button" onClick={() => go(-1)} disabled={step <= -1} aria-label="Initial state (Home)">
          |←
        </button>
        <button type="button" onClick={() => go(step - 1)} disabled={step <= -1} aria-label="Previous step (←)">
          ←
        </button>
        <label className="scrubber">
          <span className="sr-only">Step</span>
          <input
            type="range"
            min={-1}
            max={Math.max(last, -1)}
            value={step}
            onChange={(e) => go(Number(e.target.value))}
            aria-valuetext={step < 0 ? 'initial state' : `step ${step}`}
          />
        </label>
        <button type="button" onClick={() => go(step + 1)} disabled={step >= last} aria-label="Next step (→)">
          →
        </button>
        <button type="button" onClick={() => go(last)} disabled={step >= last} aria-label="Last step (End)">
          →|
        </button>
        <label className="goto">
          Step <input type="number" min={-1} max={last} value={step} onChange={(e) => e.target.value !== '' && go(Number(e.target.value))} />
        </label>
        <span className="of">of {last}</span>
      </div>

      <section className="step-detail" aria-live="polite" aria-label="The selected step">
        {step < 0 ? (
          <p>Initial state, before the first step.</p>
        ) : event ? (
          <p data-testid="step-event">
            <span className={`mark static k-${categoryOf(event.kind)}`} aria-hidden="true" /> Step <strong>{event.step}</strong>:{' '}
            <strong>{event.thread}</strong> <code>{event.label}</code> ({event.kind}) in{' '}
            <a href={sourceUrl(event.src)} target="_blank" rel="noreferrer noopener" data-testid="citation">
              {event.src.file}: {event.src.fn}() at {event.src.version}
            </a>
            {violation?.step === event.step && <strong className="bug"> ← {violation.invariant}</strong>}
          </p>
        ) : (
          <p aria-busy="true">Step {step}…</p>
        )}
      </section>

      <ErrorNote error={state.error} />
      <div className="state" data-testid="state" data-step={shownStep} aria-busy={shownStep !== step}>
        {state.data && <StateTables view={state.data.view} changed={changed} selectedObject={object} onObject={onObject} />}
      </div>

      <div className="panels">
        {object && <ObjectHistory runId={id} object={object} onStep={go} onClose={() => setParam({ object: null })} />}
        <FirstWhere runId={id} step={step} onStep={go} />
        <TracePanel runId={id} step={step} last={last} />
        <CompareWith
          runId={id}
          scenario={r.scenario}
          params={r.params as Record<string, number>}
          schedule={(r.schedule as string | null) ?? null}
          variant={r.variant}
        />
      </div>
    </article>
  );
}

/** GET /runs/{id}/state's `event` is the step event in the one shape every endpoint gives (`src` cites the kernel source). */
function toStepEvent(e: unknown): StepEvent | undefined {
  return (e as StepEvent | null) ?? undefined;
}

/** Replays this run's schedule under another variant (the fix, say) and opens both side by side. */
function CompareWith({
  runId,
  scenario,
  params,
  schedule,
  variant,
}: {
  runId: string;
  scenario: string;
  params: Record<string, number>;
  schedule: string | null;
  variant: string;
}) {
  const navigate = useNavigate();
  const [other, setOther] = useState(variant === 'kernel' ? '' : 'kernel');
  const [otherRun, setOtherRun] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function replay(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = unwrap(
        await api.POST('/runs', {
          body: { scenario, params, variant: other && other !== 'kernel' ? other : undefined, strategy: 'replay', schedule: schedule ?? undefined } as never,
        }),
      ) as { id: string };
      navigate(`/compare?a=${encodeURIComponent(runId)}&b=${encodeURIComponent(r.id)}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <section className="panel" aria-labelledby="cmp-title">
      <h2 id="cmp-title">Side by side</h2>
      <form onSubmit={replay} className="row">
        <label>
          Replay this schedule under variant <input value={other} onChange={(e) => setOther(e.target.value)} placeholder="kernel" />
        </label>
        <button type="submit" disabled={busy || !schedule}>
          Replay and compare
        </button>
      </form>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(`/compare?a=${encodeURIComponent(runId)}&b=${encodeURIComponent(otherRun.trim())}`);
        }}
      >
        <label>
          or with run <input value={otherRun} onChange={(e) => setOtherRun(e.target.value)} />
        </label>
        <button type="submit" disabled={!otherRun.trim()}>
          Compare
        </button>
      </form>
      <ErrorNote error={error} />
      <p>
        <Link to={`/runs?scenario=${encodeURIComponent(scenario)}`}>Other runs of {scenario}</Link>
      </p>
    </section>
  );
}
