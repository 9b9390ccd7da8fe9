import { useCallback, useLayoutEffect, useState } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { UrlParams, type ParamChanges } from './urlParams';

/**
 * The URL's search params, and a writer of some of them that keeps the others as last written,
 * not as this render saw them (see UrlParams: a delayed write from an older render would drop a
 * newer one). Every writer of a page's params must share the one `write` this returns.
 */
export function useUrlParams(): [URLSearchParams, (changes: ParamChanges) => void] {
  const [params] = useSearchParams();
  const { search } = useLocation();
  const navigate = useNavigate();
  const [url] = useState(() => new UrlParams(search));
  // in the commit (a layout effect), before any event or timer can write after it
  useLayoutEffect(() => url.rendered(search), [url, search]);
  const write = useCallback((changes: ParamChanges) => navigate('?' + url.write(changes), { replace: true }), [url, navigate]);
  return [params, write];
}
