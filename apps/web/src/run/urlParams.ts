/** A change to the URL's search params: a string sets the key, null deletes it. */
export type ParamChanges = Readonly<Record<string, string | null>>;

/**
 * A page's URL search params as last written, for its writers: on the run page, the step (written
 * 250 ms after stepping pauses, useStepParam) and the selected object. React Router's
 * `setSearchParams(prev => …)` composes onto `prev`, the params of the render the setter was made
 * in: the step timer's setter, from a render before an object click whose own render had not
 * landed yet (a loaded machine: BrowserRouter updates the URL at once but renders the navigation
 * in a transition), put the URL back without the object. Here each write composes onto the params
 * as last written, whichever render its writer comes from; a navigation that the router renders (a
 * link, back, forward) wins, and the writes after it compose onto its URL. (Not read from
 * `window.location`: a data router updates it only once a navigation completes.)
 *
 * Pure, without React: the hook (useUrlParams) tells it each search the router commits, and
 * navigates to the search `write` answers.
 */
export class UrlParams {
  /** What the next write composes onto: the search as last written here, or navigated to. */
  private current: string;
  /** Searches written here that the router has not committed yet, oldest first. */
  private pending: string[] = [];
  /** The search of the router's last committed render. */
  private shown: string;

  constructor(search: string) {
    this.current = this.shown = normalize(search);
  }

  /**
   * The router committed a render of `search`. Call it from an effect, not while rendering: a
   * render may be thrown away, or draw an older location while a navigation's render is pending.
   */
  rendered(search: string): void {
    search = normalize(search);
    if (search === this.shown) return; // a render of the URL already shown (some other state changed)
    this.shown = search;
    const i = this.pending.indexOf(search);
    if (i >= 0) {
      // one of ours landed (the router commits navigations in order, skipping some): the writes
      // after it still stand
      this.pending.splice(0, i + 1);
    } else {
      // a navigation of someone else's: its URL is the one to compose onto
      this.pending = [];
      this.current = search;
    }
  }

  /** The search (without `?`) to navigate to for `changes`, composed onto the params as last written. */
  write(changes: ParamChanges): string {
    const next = new URLSearchParams(this.current);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    this.current = next.toString();
    this.pending.push(this.current);
    return this.current;
  }
}

/** One spelling per search (`?a=b:c` and `a=b%3Ac` alike), as URLSearchParams writes it. */
function normalize(search: string): string {
  return new URLSearchParams(search).toString();
}
