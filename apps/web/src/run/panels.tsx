import { useEffect, useRef, useState, type FormEvent } from 'react';
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { api, unwrap, type HistoryEntry } from '../api/client';
import { ErrorNote } from '../ui/ErrorNote';
import { show } from './StateTables';
import { HISTORY_PAGE, nextHistoryCursor } from './history';

/** Every step that touched one object, a page at a time as the list is scrolled; a row jumps to its step. */
export function ObjectHistory({ runId, object, onStep, onClose }: { runId: string; object: string; onStep: (s: number) => void; onClose: () => void }) {
  const history = useInfiniteQuery({
    queryKey: ['history', runId, object],
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET('/runs/{id}/history', {
          params: { path: { id: runId }, query: { object, limit: HISTORY_PAGE, ...(pageParam === undefined ? {} : { after: pageParam }) } },
        }),
      ),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => nextHistoryCursor(last),
    staleTime: Infinity,
  });
  const box = useRef<HTMLDivElement>(null);
  const rows: HistoryEntry[] = history.data?.pages.flat() ?? [];
  const list = useVirtualizer({ count: rows.length, getScrollElement: () => box.current, estimateSize: () => 26, overscan: 10 });
  const lastShown = list.getVirtualItems().at(-1)?.index ?? -1;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = history;
  useEffect(() => {
    // the next page once the list is scrolled near the end of what has arrived
    if (hasNextPage && !isFetchingNextPage && lastShown >= rows.length - 20) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage, lastShown, rows.length]);
  return (
    <section className="panel" aria-labelledby="history-title">
      <h2 id="history-title">
        History of <code>{object}</code>{' '}
        {history.data && (
          <small>
            ({rows.length}
            {hasNextPage ? '+' : ''} steps)
          </small>
        )}
        <button type="button" className="close" onClick={onClose} aria-label="Close the history">
          ×
        </button>
      </h2>
      <ErrorNote error={history.error} />
      <div ref={box} className="history" role="list" aria-label={`steps that touched ${object}`}>
        <div style={{ height: list.getTotalSize(), position: 'relative' }}>
          {list.getVirtualItems().map((item) => {
            const h = rows[item.index];
            const changes = (h.changes as unknown as { field: string; before: unknown; after: unknown }[]) ?? [];
            return (
              <div role="listitem" key={item.key} style={{ position: 'absolute', top: item.start, left: 0, right: 0, height: item.size }}>
                <button type="button" className="history-row" onClick={() => onStep(h.step)}>
                  <span className="num">{h.step}</span> {h.thread} · {h.label}
                  {changes.length > 0 && <span className="delta"> {changes.map((c) => `${c.field}: ${show(c.before)} → ${show(c.after)}`).join('; ')}</span>}
                </button>
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}

const EXAMPLE = '{"exists": "pte", "as": "$e", "where": {"all": [{"pte": "$e", "kind": "migration"}, {"page": {"of": "$e"}, "locked": false}]}}';

/** "First step where": the predicate language of POST /runs/{id}/first-where, errors inline. */
export function FirstWhere({ runId, step, onStep }: { runId: string; step: number; onStep: (s: number) => void }) {
  const [text, setText] = useState(EXAMPLE);
  const [fromHere, setFromHere] = useState(false);
  const [result, setResult] = useState<{ step: number; label?: string } | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [syntax, setSyntax] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setResult(undefined);
    let where: Record<string, unknown>;
    try {
      where = JSON.parse(text);
    } catch (err) {
      setSyntax(`not JSON: ${(err as Error).message}`);
      return;
    }
    setSyntax(null);
    try {
      const r = unwrap(await api.POST('/runs/{id}/first-where', { params: { path: { id: runId } }, body: { where, ...(fromHere ? { from: step } : {}) } }));
      const m = r.match as { step: number; event?: { label?: string } } | null;
      setResult(m ? { step: m.step, label: m.event?.label } : null);
      if (m) onStep(m.step);
    } catch (err) {
      setError(err);
    }
  }
  return (
    <section className="panel" aria-labelledby="fw-title">
      <h2 id="fw-title">First step where…</h2>
      <form onSubmit={submit}>
        <label htmlFor="predicate">Predicate (JSON, see the README's predicate language)</label>
        <textarea
          id="predicate"
          rows={3}
          value={text}
          onChange={(e) => setText(e.target.value)}
          spellCheck={false}
          aria-invalid={syntax || error ? true : undefined}
          aria-describedby="fw-status"
        />
        <div className="row">
          <label>
            <input type="checkbox" checked={fromHere} onChange={(e) => setFromHere(e.target.checked)} /> after the selected step only
          </label>
          <button type="submit">Find</button>
        </div>
      </form>
      <div id="fw-status" aria-live="polite">
        {syntax && <p className="error">{syntax}</p>}
        <ErrorNote error={error} />
        {result === null && <p>The predicate never holds in this run.</p>}
        {result && (
          <p>
            First holds after step <strong>{result.step}</strong> {result.label && <code>{result.label}</code>}
          </p>
        )}
      </div>
    </section>
  );
}

/** The diagram shows blocks of TRACE_BLOCK steps around the step: it is asked again only when the step leaves them. */
const TRACE_BLOCK = 16;

/** How the trace panel renders: the 80-column trace for a mail (`mmreplay trace --format lkml`) or the wide diagram. */
type TraceFormat = 'lkml' | 'text';

/** The trace around the selected step, as the API renders it (the CLI's renderers), ready to copy into a mail. */
export function TracePanel({ runId, step, last }: { runId: string; step: number; last: number }) {
  const block = Math.floor(Math.max(0, Math.min(step, last)) / TRACE_BLOCK) * TRACE_BLOCK;
  const from = Math.max(0, block - TRACE_BLOCK);
  const to = Math.max(0, Math.min(last, block + 2 * TRACE_BLOCK - 1));
  const [format, setFormat] = useState<TraceFormat>('lkml');
  const trace = useQuery({
    queryKey: ['trace', runId, from, to, format],
    queryFn: async () =>
      unwrap(await api.GET('/runs/{id}/trace', { params: { path: { id: runId }, query: { from, to, format } }, parseAs: 'text' })) as unknown as string,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    enabled: last >= 0,
  });
  const [copied, setCopied] = useState(false);
  async function copy() {
    await navigator.clipboard.writeText(trace.data ?? '');
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  }
  return (
    <section className="panel trace-panel" aria-labelledby="trace-title">
      <h2 id="trace-title">
        Trace, steps {from}–{to}
        <button type="button" onClick={copy} disabled={!trace.data} aria-label={copied ? 'Copied' : 'Copy the trace'}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </h2>
      <fieldset className="row trace-format">
        <legend className="sr-only">Trace format</legend>
        <label>
          <input type="radio" name="trace-format" checked={format === 'lkml'} onChange={() => setFormat('lkml')} /> for a mail (80 columns, sources listed)
        </label>
        <label>
          <input type="radio" name="trace-format" checked={format === 'text'} onChange={() => setFormat('text')} /> wide diagram
        </label>
      </fieldset>
      <ErrorNote error={trace.error} />
      {/* a region, so that its label is allowed (a <pre> of no role may not have one), even while it is empty */}
      <pre
        className="trace"
        data-format={trace.isPlaceholderData ? undefined : format}
        tabIndex={0}
        role="region"
        aria-label={format === 'lkml' ? 'trace for a mail, 80 columns' : 'interleaving diagram'}
      >
        {trace.data}
      </pre>
    </section>
  );
}
