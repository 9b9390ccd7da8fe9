import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { ErrorNote } from '../ui/ErrorNote';
import { StartForm } from './StartForm';

/** The team's audits (refreshed while open) and the form that starts one. */
export function AuditsPage() {
  const audits = useQuery({
    queryKey: ['audits'],
    queryFn: async () => unwrap(await api.GET('/audits', { params: { query: { limit: 25 } } })),
    refetchInterval: 2000,
    staleTime: 0,
  });
  return (
    <section aria-labelledby="audits-title">
      <h1 id="audits-title">Audits and comparisons</h1>
      <StartForm />
      <ErrorNote error={audits.error} />
      <table className="list">
        <caption>Recent audits</caption>
        <thead>
          <tr>
            <th scope="col">audit</th>
            <th scope="col">scenario</th>
            <th scope="col">variant</th>
            <th scope="col">strategy</th>
            <th scope="col">status</th>
            <th scope="col">verdict</th>
            <th scope="col">comparison</th>
            <th scope="col">author</th>
          </tr>
        </thead>
        <tbody>
          {(audits.data?.nodes ?? []).map((a) => (
            <tr key={a.id}>
              <td>
                <Link to={`/audits/${a.id}`}>{a.id}</Link>
              </td>
              <td>{a.scenario}</td>
              <td>{a.variant}</td>
              <td>{a.strategy}</td>
              <td>{a.status}</td>
              <td className={a.verdict ? `verdict ${a.verdict}` : undefined}>{a.verdict ?? '-'}</td>
              <td>{a.comparison ? <Link to={`/comparisons/${a.comparison.id}`}>{a.comparison.role}</Link> : '-'}</td>
              <td>{a.author}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
