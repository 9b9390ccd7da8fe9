import { memo, type ReactNode } from 'react';
import type { View } from './data';
import { objectRef } from './changes';
import { MemoryTables } from './MemoryTables';

type Table = 'pages' | 'ptes' | 'ptls' | 'threads';

interface Props {
  view: View;
  /** view paths this step changed (or that differ from the other run) */
  changed: ReadonlySet<string>;
  selectedObject: string | null;
  onObject: (ref: string) => void;
  /** "changed" or "differs": how a highlighted cell is read out */
  changeWord?: string;
}

export function show(v: unknown): string {
  if (v === null || v === undefined) return '-';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (Array.isArray(v)) return v.length ? v.map(show).join(', ') : '-';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** The state at the selected step: pages, PTEs, PTLs, wait queues, threads; changed cells marked. */
export const StateTables = memo(function StateTables({ view, changed, selectedObject, onObject, changeWord = 'changed' }: Props) {
  const cell = (path: string, value: ReactNode) => {
    const hit = changed.has(path);
    return (
      <td data-cell={path} className={hit ? 'changed' : undefined}>
        {value}
        {hit && <span className="sr-only"> ({changeWord})</span>}
      </td>
    );
  };
  const name = (table: Table, n: string) => {
    const ref = objectRef(table, n);
    return (
      <th scope="row" className={changed.has(`${table}.${n}`) ? 'changed' : undefined}>
        <button type="button" className="object" aria-pressed={selectedObject === ref} onClick={() => onObject(ref)} title={`history of ${ref}`}>
          {n}
        </button>
      </th>
    );
  };
  const pageFields = ['locked', 'owner', 'waiters', 'ref', 'map', 'mapping', 'frozen', 'freed'];
  const queues = [
    ...Object.entries(view.pages)
      .filter(([, p]) => Array.isArray(p.waitQueue) && (p.waitQueue as unknown[]).length > 0)
      .map(([n, p]) => ({ name: `page ${n}`, path: `pages.${n}.waitQueue`, waiters: p.waitQueue })),
    ...Object.entries(view.waitQueues ?? {}).map(([n, q]) => ({ name: n, path: `waitQueues.${n}`, waiters: q })),
  ];
  return (
    <div className="tables">
      <table>
        <caption>Pages</caption>
        <thead>
          <tr>
            <th scope="col">page</th>
            {pageFields.map((f) => (
              <th key={f} scope="col">
                {f === 'ref' ? 'refcount' : f === 'map' ? 'mapcount' : f}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {Object.entries(view.pages).map(([n, p]) => (
            <tr key={n} className={selectedObject === objectRef('pages', n) ? 'selected' : undefined}>
              {name('pages', n)}
              {pageFields.map((f) => cell(`pages.${n}.${f}`, show(p[f])))}
            </tr>
          ))}
        </tbody>
      </table>
      <table>
        <caption>PTEs</caption>
        <thead>
          <tr>
            <th scope="col">pte</th>
            <th scope="col">entry</th>
            <th scope="col">ptl</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(view.ptes).map(([n, e]) => (
            <tr key={n} className={selectedObject === objectRef('ptes', n) ? 'selected' : undefined}>
              {name('ptes', n)}
              {cell(`ptes.${n}.entry`, <code>{show(e.entry)}</code>)}
              {cell(`ptes.${n}.ptl`, show(e.ptl))}
            </tr>
          ))}
        </tbody>
      </table>
      <table>
        <caption>PTLs</caption>
        <thead>
          <tr>
            <th scope="col">ptl</th>
            <th scope="col">holder</th>
            <th scope="col">ptes</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(view.ptls).map(([n, l]) => (
            <tr key={n} className={selectedObject === objectRef('ptls', n) ? 'selected' : undefined}>
              {name('ptls', n)}
              {cell(`ptls.${n}.holder`, show(l.holder))}
              {cell(`ptls.${n}.ptes`, show(l.ptes))}
            </tr>
          ))}
        </tbody>
      </table>
      <table>
        <caption>Wait queues</caption>
        <thead>
          <tr>
            <th scope="col">queue</th>
            <th scope="col">waiters</th>
          </tr>
        </thead>
        <tbody>
          {queues.length === 0 && (
            <tr>
              <td colSpan={2}>no one waits</td>
            </tr>
          )}
          {queues.map((q) => (
            <tr key={q.name}>
              <th scope="row">{q.name}</th>
              {cell(q.path, show(q.waiters))}
            </tr>
          ))}
        </tbody>
      </table>
      <table className="wide">
        <caption>Threads</caption>
        <thead>
          <tr>
            <th scope="col">thread</th>
            <th scope="col">path</th>
            <th scope="col">status</th>
            <th scope="col">pc</th>
            <th scope="col">next step</th>
            <th scope="col">holds</th>
            <th scope="col">registers</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(view.threads).map(([n, t]) => {
            const at = t.at as { label?: string } | null;
            const holds = t.holds as { pageLocks?: string[]; ptls?: string[] } | undefined;
            const regs = (t.regs ?? {}) as Record<string, unknown>;
            return (
              <tr key={n} className={selectedObject === objectRef('threads', n) ? 'selected' : undefined}>
                {name('threads', n)}
                {cell(`threads.${n}.path`, show(t.path))}
                {cell(`threads.${n}.status`, show(t.status) + (t.waitingOn ? ` on ${show(t.waitingOn)}` : ''))}
                {cell(`threads.${n}.pc`, show(t.pc))}
                {cell(`threads.${n}.at`, at?.label ?? '-')}
                {cell(`threads.${n}.holds`, [...(holds?.pageLocks ?? []).map((p) => `page ${p}`), ...(holds?.ptls ?? [])].join(', ') || '-')}
                <td data-cell={`threads.${n}.regs`} className="regs">
                  {Object.entries(regs).map(([r, v]) => (
                    <span key={r} className={changed.has(`threads.${n}.regs.${r}`) ? 'changed' : undefined}>
                      {r}={show(v)}
                      {changed.has(`threads.${n}.regs.${r}`) && <span className="sr-only"> ({changeWord})</span>}{' '}
                    </span>
                  ))}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {view.memory && <MemoryTables memory={view.memory} changed={changed} changeWord={changeWord} />}
    </div>
  );
});
