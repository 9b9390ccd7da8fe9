import { windowRange, windowsCovering } from './run/windows';

// The first requests of a page, sent by the page's small entry script before the app's script is
// loaded and parsed, so that a deep link's data and the app's code arrive together instead of one
// after the other (boot.tsx hands the answers to the query cache under the keys the views use).
// Kept free of React and of the API client: this module is all the entry chunk carries.

/** A request sent early: the query it answers, and its answer (the parsed JSON body). */
export interface EarlyRequest {
  queryKey: readonly unknown[];
  data: Promise<unknown>;
}

/** The steps before a deep link's step whose events the timeline shows first (RunPage's view). */
const SHOWN_BEFORE = 50;

export function earlyRequests(path: string, search: string, token: string | null): EarlyRequest[] {
  if (!token) return [];
  const get = (url: string): Promise<unknown> =>
    fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } }).then((r) =>
      r.ok ? r.json() : Promise.reject(new Error(`HTTP ${r.status}`)),
    );
  const out: EarlyRequest[] = [{ queryKey: ['me'], data: get('/me') }];
  const m = /^\/runs\/([^/]+)$/.exec(path);
  if (!m) return out;
  const id = decodeURIComponent(m[1]);
  const base = `/runs/${encodeURIComponent(id)}`;
  out.push({ queryKey: ['run', id], data: get(base) });
  const step = new URLSearchParams(search).get('step');
  if (step === null || !/^-?\d+$/.test(step)) return out;
  // the state at the step, the one before it (what the step changed), and the events in view
  const n = Number(step);
  for (const at of [n, n - 1]) if (at >= -1) out.push({ queryKey: ['state', id, at], data: get(`${base}/state?at=${at}`) });
  for (const start of windowsCovering(Math.max(0, n - SHOWN_BEFORE), n, n + 1)) {
    const r = windowRange(start);
    out.push({ queryKey: ['events', id, start], data: get(`${base}/events?from=${r.from}&to=${r.to}&limit=${r.limit}`) });
  }
  return out;
}
