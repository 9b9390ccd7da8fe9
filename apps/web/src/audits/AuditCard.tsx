import { Link } from 'react-router';
import type { Audit } from '../api/client';
import { ErrorNote } from '../ui/ErrorNote';
import { invariantClassWords } from './invariant-class';
import { ProgressChart } from './ProgressChart';
import { rateOf, useAuditLive } from './live';

/** One audit, live: progress chart, states/s, depth, then the verdict and its counterexample. */
export function AuditCard({ id, title }: { id: string; title: string }) {
  const { audit, points, error } = useAuditLive(id);
  const a: Audit | null = audit;
  const rate = rateOf(points);
  return (
    <section className="panel audit" aria-labelledby={`audit-${id}`} data-testid={`audit-${id}`} data-status={a?.status}>
      <h2 id={`audit-${id}`}>
        {title} <small>{a ? `${a.scenario} · ${a.variant} · ${a.strategy}` : id}</small>
      </h2>
      <ErrorNote error={error} />
      {a && (
        <>
          <p>
            Status <strong data-testid="status">{a.status}</strong>
            {a.verdict && (
              <>
                {' '}
                · verdict{' '}
                <strong className={`verdict ${a.verdict}`} data-testid="verdict">
                  {a.verdict}
                </strong>
              </>
            )}
          </p>
          <dl className="figures">
            <dt>states</dt>
            <dd>{(a.progress?.states ?? a.result?.statesStored ?? 0).toLocaleString()}</dd>
            <dt>states/s</dt>
            <dd>{rate === null ? '-' : rate.toLocaleString()}</dd>
            <dt>depth</dt>
            <dd>{a.progress?.depth ?? a.result?.maxDepth ?? '-'}</dd>
            <dt>elapsed</dt>
            <dd>{((a.result?.elapsedMs ?? a.progress?.elapsedMs ?? 0) / 1000).toFixed(1)} s</dd>
          </dl>
          <ProgressChart points={points} label={`states explored over time by audit ${id}: ${points.length} progress reports`} />
          {a.result?.boundHit && <p>Stopped by the {String(a.result.bound)} bound.</p>}
          {a.result && a.result.modelBounds.some((b) => !b.checkedBy) && (
            <div className="bounds-note" data-testid="model-bounds">
              <p>
                Not searched: executions beyond the engine&apos;s own bounds on weak-memory state or its orderings beyond the model&apos;s
                {a.verdict === 'holds' ? ', so this holds within those bounds only' : ''}:
              </p>
              <ul>
                {a.result.modelBounds
                  .filter((b) => !b.checkedBy)
                  .map((b) => (
                    <li key={b.bound}>
                      {b.thread} at {b.label}: {b.bound}
                      {b.kept > 0 ? ` (at most ${b.kept})` : " (an ordering beyond the model's)"}
                    </li>
                  ))}
              </ul>
            </div>
          )}
          {a.result && a.result.modelBounds.some((b) => b.checkedBy) && (
            <div className="bounds-note" data-testid="model-orderings-checked">
              <p>The engine&apos;s orderings beyond the model&apos;s, checked for this world:</p>
              <ul>
                {a.result.modelBounds
                  .filter((b) => b.checkedBy)
                  .map((b) => (
                    <li key={b.bound}>
                      {b.thread} at {b.label}: {b.bound}, checked by {b.checkedBy}
                    </li>
                  ))}
              </ul>
            </div>
          )}
          {a.counterexample && (
            <p className="violation-note">
              Counterexample: <strong>{a.counterexample.invariant}</strong>{' '}
              <span data-testid="invariant-class" title={a.counterexample.invariantBacking}>
                ({invariantClassWords(a.counterexample.invariantClass)})
              </span>{' '}
              at step {a.counterexample.step} ({a.counterexample.thread}): {a.counterexample.message}{' '}
              <Link to={`/runs/${a.counterexample.runId}?step=${a.counterexample.step}`} data-testid="counterexample">
                Open it at step {a.counterexample.step}
              </Link>
            </p>
          )}
          {a.error && <p className="error">{String(a.error)}</p>}
        </>
      )}
    </section>
  );
}
