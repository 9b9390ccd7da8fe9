import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App } from './App';
import type { EarlyRequest } from './early';

/** Renders the app, with the answers of the requests the entry sent early in the query cache. */
export function boot(early: readonly EarlyRequest[]): void {
  const queries = new QueryClient({
    defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false, staleTime: 60_000 } },
  });
  // A failed early request leaves its query empty: the view then asks again, and shows the error.
  for (const r of early) void queries.prefetchQuery({ queryKey: r.queryKey, queryFn: () => r.data });
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <QueryClientProvider client={queries}>
        <BrowserRouter>
          <App />
        </BrowserRouter>
      </QueryClientProvider>
    </StrictMode>,
  );
}
