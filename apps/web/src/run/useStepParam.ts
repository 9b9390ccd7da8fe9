import { useCallback, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { ParamChanges } from './urlParams';

/** How long the URL waits for stepping to pause before it follows. */
const URL_DELAY_MS = 250;

/**
 * The selected step, kept in the URL (`?step=N`, the link a teammate opens) but drawn from React
 * state: each press of → redraws at once, and the URL follows once stepping pauses. Writing the
 * URL at every step would re-render the whole route and, held down, hit the browser's limit on
 * history updates (Chromium throttles more than a few hundred in 10 s). `write` is the page's
 * one writer of its params (useUrlParams): the delayed write keeps what others wrote meanwhile.
 */
export function useStepParam(write: (changes: ParamChanges) => void): [string | null, (step: number) => void] {
  const [params] = useSearchParams();
  const inUrl = params.get('step');
  const [local, setLocal] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (local === undefined || local === inUrl) return;
    const timer = setTimeout(() => write({ step: local }), URL_DELAY_MS);
    return () => clearTimeout(timer);
  }, [local, inUrl, write]);
  // once the URL has caught up, it is the one source again (a link to another step then wins)
  // (compared with the state as it is then, not as this render saw it: a press in between wins)
  useEffect(() => {
    if (local !== undefined && inUrl === local) setLocal((now) => (now === inUrl ? undefined : now));
  }, [local, inUrl]);
  const go = useCallback((step: number) => setLocal(String(step)), []);
  return [local ?? inUrl, go];
}
