import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { Audit } from '../api/client';
import { followSse } from '../api/sse';

export interface ProgressPoint {
  elapsedMs: number;
  states: number;
  depth: number;
}

/** An audit followed over GET /audits/{id}/live: the audit as of its latest event, and its progress. */
export function useAuditLive(id: string | undefined) {
  const client = useQueryClient();
  const [audit, setAudit] = useState<Audit | null>(null);
  const [points, setPoints] = useState<ProgressPoint[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [ended, setEnded] = useState(false);
  useEffect(() => {
    if (!id) return;
    const abort = new AbortController();
    setAudit(null);
    setPoints([]);
    setEnded(false);
    followSse<{ audit?: Audit }>(
      `/audits/${encodeURIComponent(id)}/live`,
      (e) => {
        if (e.event === 'end') return setEnded(true);
        const a = e.data.audit;
        if (!a) return;
        setAudit(a);
        if (a.progress) {
          const p = a.progress;
          setPoints((prev) =>
            prev.length && prev[prev.length - 1].elapsedMs === p.elapsedMs ? prev : [...prev, { elapsedMs: p.elapsedMs, states: p.states, depth: p.depth }],
          );
        }
        if (a.status !== 'running') void client.invalidateQueries({ queryKey: ['audits'] });
      },
      abort.signal,
    )
      .then(() => setEnded(true))
      .catch((err) => {
        if (!abort.signal.aborted) setError(err);
      });
    return () => abort.abort();
  }, [id, client]);
  return { audit, points, error, ended };
}

/** States per second between the last two progress points (the rate now, not the average). */
export function rateOf(points: readonly ProgressPoint[]): number | null {
  if (points.length < 2) return points.length === 1 && points[0].elapsedMs > 0 ? Math.round((points[0].states / points[0].elapsedMs) * 1000) : null;
  const [a, b] = points.slice(-2);
  const dt = b.elapsedMs - a.elapsedMs;
  return dt > 0 ? Math.round(((b.states - a.states) / dt) * 1000) : null;
}
