import { useCallback, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';

/** How long the URL waits for stepping to pause before it follows. */
const URL_DELAY_MS = 250;

/**
 * The selected step, kept in the URL (`?step=N`, the link a teammate opens) but drawn from React
 * state: each press of → redraws at once, and the URL follows once stepping pauses. Writing the
 * URL at every step would re-render the whole route and, held down, hit the browser's limit on
 * history updates (Chromium throttles more than a few hundred in 10 s).
 */
export function useStepParam(): [string | null, (step: number) => void] {
  const [params, setParams] = useSearchParams();
  const inUrl = params.get('step');
  const [local, setLocal] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (local === undefined || local === inUrl) return;
    const timer = setTimeout(
      () =>
        setParams(
          (prev) => {
            const next = new URLSearchParams(prev);
            next.set('step', local);
            return next;
          },
          { replace: true },
        ),
      URL_DELAY_MS,
    );
    return () => clearTimeout(timer);
  }, [local, inUrl, setParams]);
  // once the URL has caught up, it is the one source again (a link to another step then wins)
  // (compared with the state as it is then, not as this render saw it: a press in between wins)
  useEffect(() => {
    if (local !== undefined && inUrl === local) setLocal((now) => (now === inUrl ? undefined : now));
  }, [local, inUrl]);
  const go = useCallback((step: number) => setLocal(String(step)), []);
  return [local ?? inUrl, go];
}
