// GET /runs/{id}/history answers a page at a time: `after` is the cursor (the step of the last
// entry of the previous page), and a full page may have more after it.

/** Entries per page asked of GET /runs/{id}/history (the API allows at most 10,000). */
export const HISTORY_PAGE = 1_000;

/** The `after` cursor of the page following `page`, or undefined when `page` was the last. */
export function nextHistoryCursor(page: readonly { step: number }[], size = HISTORY_PAGE): number | undefined {
  // the API's `Link: rel="next"` is sent on the same condition: a page as long as was asked for
  return page.length >= size && page.length > 0 ? page[page.length - 1].step : undefined;
}
