import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { earlyRequests } from './early';
import { windowRange, windowsOf } from './run/windows';

describe('the requests a page sends before its app is loaded', () => {
  const urls: string[] = [];
  vi.stubGlobal('fetch', (url: string) => {
    urls.push(url);
    return Promise.resolve(new Response('{}', { status: 200 }));
  });
  afterEach(() => void urls.splice(0));

  it('a deep link: the run, its state at the step and before it, the events the timeline shows first, /me', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2_000_000 }), (n) => {
        urls.splice(0);
        const keys = earlyRequests('/runs/r%201', `?step=${n}&object=pte:e0`, 'tok').map((r) => r.queryKey);
        // RunPage before the run's length is known: steps = n + 1, in view [n - 50, n + 150] and the step
        const windows = windowsOf(
          [
            [Math.max(0, n - 50), n + 150],
            [n, n],
          ],
          n + 1,
        );
        expect(keys).toEqual([['me'], ['run', 'r 1'], ['state', 'r 1', n], ['state', 'r 1', n - 1], ...windows.map((w) => ['events', 'r 1', w])]);
        const r = windowRange(windows[0]);
        expect(urls).toContain(`/runs/r%201/events?from=${r.from}&to=${r.to}&limit=${r.limit}`);
      }),
    );
  });

  it('nothing without a token; only /me and the run elsewhere or without a step', () => {
    expect(earlyRequests('/runs/x', '?step=3', null)).toEqual([]);
    expect(earlyRequests('/audits', '', 'tok').map((r) => r.queryKey)).toEqual([['me']]);
    expect(earlyRequests('/runs/x', '?step=last', 'tok').map((r) => r.queryKey)).toEqual([['me'], ['run', 'x']]);
    expect(earlyRequests('/runs/x', '?step=0', 'tok').map((r) => r.queryKey)).toEqual([
      ['me'],
      ['run', 'x'],
      ['state', 'x', 0],
      ['state', 'x', -1],
      ['events', 'x', 0],
    ]);
  });
});
