import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap, type Run } from '../api/client';
import { ErrorNote } from '../ui/ErrorNote';

const TEXT_FILTERS = ['scenario', 'variant', 'author', 'modelHash', 'counterexampleOf'] as const;
const CHOICES = {
  status: ['running', 'completed'],
  outcome: ['completed', 'violation', 'deadlock', 'step-bound', 'infeasible', 'model-bound', 'failed'],
  strategy: ['random', 'pct', 'replay', 'round-robin'],
} as const;
const PAGE = 25;
const pageSize = (v: string | null) => (v && /^\d+$/.test(v) ? Math.min(100, Math.max(1, Number(v))) : PAGE);
/** How often the list asks again: the API has no stream of the catalogue, so "live" is a poll. */
const REFRESH_MS = 2000;

/** The team's runs with the filters of GET /runs, a page at a time, refreshed while open. */
export function RunsPage() {
  const [params, setParams] = useSearchParams();
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const filter = Object.fromEntries([...TEXT_FILTERS, ...Object.keys(CHOICES)].map((k) => [k, params.get(k) || undefined]));
  const after = cursors[cursors.length - 1];
  const limit = pageSize(params.get('limit'));
  const runs = useQuery({
    queryKey: ['runs', filter, limit, after],
    queryFn: async () => unwrap(await api.GET('/runs', { params: { query: { ...filter, limit, after } } })),
    refetchInterval: REFRESH_MS,
    placeholderData: keepPreviousData,
    staleTime: 0,
  });
  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
    setCursors([undefined]);
  };
  return (
    <section aria-labelledby="runs-title">
      <h1 id="runs-title">Runs</h1>
      <form className="filters" role="search" aria-label="Filter runs" onSubmit={(e) => e.preventDefault()}>
        {TEXT_FILTERS.map((k) => (
          <label key={k}>
            {k}
            <input
              name={k}
              defaultValue={params.get(k) ?? ''}
              onBlur={(e) => setFilter(k, e.target.value.trim())}
              onKeyDown={(e) => e.key === 'Enter' && setFilter(k, e.currentTarget.value.trim())}
            />
          </label>
        ))}
        {Object.entries(CHOICES).map(([k, values]) => (
          <label key={k}>
            {k}
            <select name={k} value={params.get(k) ?? ''} onChange={(e) => setFilter(k, e.target.value)}>
              <option value="">any</option>
              {values.map((v) => (
                <option key={v}>{v}</option>
              ))}
            </select>
          </label>
        ))}
      </form>
      <ErrorNote error={runs.error} />
      <table className="list" aria-describedby="runs-live">
        <caption id="runs-live">
          {runs.isFetching ? 'updating…' : `updated ${new Date(runs.dataUpdatedAt || Date.now()).toLocaleTimeString()}`} · page {cursors.length}
        </caption>
        <thead>
          <tr>
            <th scope="col">run</th>
            <th scope="col">scenario</th>
            <th scope="col">variant</th>
            <th scope="col">strategy</th>
            <th scope="col">status</th>
            <th scope="col">outcome</th>
            <th scope="col">steps</th>
            <th scope="col">author</th>
            <th scope="col">created</th>
          </tr>
        </thead>
        <tbody>
          {(runs.data?.nodes ?? []).map((r: Run) => (
            <tr key={r.id} className={r.outcome === 'violation' ? 'bad' : undefined}>
              <td>
                <Link to={`/runs/${r.id}`}>{r.id}</Link>
              </td>
              <td>{r.scenario}</td>
              <td>{r.variant}</td>
              <td>{r.strategy}</td>
              <td>{r.status}</td>
              <td>
                {String(r.outcome ?? '-')}
                {r.violation ? ` (${(r.violation as { invariant?: string }).invariant})` : ''}
              </td>
              <td className="num">{String(r.steps ?? '-')}</td>
              <td>{r.author}</td>
              <td>{new Date(r.createdAt).toLocaleString()}</td>
            </tr>
          ))}
          {runs.data && runs.data.nodes.length === 0 && (
            <tr>
              <td colSpan={9}>No runs match.</td>
            </tr>
          )}
        </tbody>
      </table>
      <nav className="pager" aria-label="Pages of runs">
        <button type="button" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
          Newer
        </button>
        <button type="button" disabled={!runs.data?.next} onClick={() => setCursors([...cursors, String(runs.data!.next)])}>
          Older
        </button>
      </nav>
    </section>
  );
}
