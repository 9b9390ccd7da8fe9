import { problemOf } from '../api/client';

/** An error of the API as its problem details say it: title, detail and every invalid field. */
export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  const p = problemOf(error);
  return (
    <div role="alert" className="error">
      <strong>{p?.title ?? 'Error'}</strong> {p?.detail ?? (error as Error).message}
      {p?.errors && p.errors.length > 0 && (
        <ul>
          {p.errors.map((e) => (
            <li key={e.field + e.message}>
              <code>{e.field}</code>: {e.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
