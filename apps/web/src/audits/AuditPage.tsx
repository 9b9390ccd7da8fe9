import { useParams } from 'react-router';
import { AuditCard } from './AuditCard';

export function AuditPage() {
  const { id = '' } = useParams();
  return (
    <article aria-labelledby="audit-page-title">
      <h1 id="audit-page-title">
        Audit <code>{id}</code>
      </h1>
      <AuditCard id={id} title="Audit" />
    </article>
  );
}
