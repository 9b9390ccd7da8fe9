import { useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { ErrorNote } from '../ui/ErrorNote';
import { AuditCard } from './AuditCard';

/** A baseline and a fix audited side by side, each followed live, and the conclusion. */
export function ComparisonPage() {
  const { id = '' } = useParams();
  const cmp = useQuery({
    queryKey: ['comparison', id],
    queryFn: async () => unwrap(await api.GET('/comparisons/{id}', { params: { path: { id } } })),
    refetchInterval: (q) => (q.state.data && q.state.data.status !== 'running' ? false : 1000),
    staleTime: 0,
  });
  return (
    <article aria-labelledby="cmp-page-title">
      <h1 id="cmp-page-title">
        Comparison <code>{id}</code>
      </h1>
      <ErrorNote error={cmp.error} />
      {cmp.data && (
        <>
          <p data-testid="conclusion">{cmp.data.status === 'running' ? 'Running…' : <strong>{String(cmp.data.conclusion ?? cmp.data.status)}</strong>}</p>
          <div className="side-by-side">
            <AuditCard id={cmp.data.baseline.id} title="Baseline" />
            <AuditCard id={cmp.data.fix.id} title="Fix" />
          </div>
        </>
      )}
    </article>
  );
}
