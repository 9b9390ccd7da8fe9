import { currentToken } from './api/session';
import { earlyRequests } from './early';
import './styles.css';

// The entry is small on purpose: it sends the page's first requests (early.ts), then loads the app,
// whose script (React, the router, the query cache) is parsed while those requests are answered.
const early = earlyRequests(location.pathname, location.search, currentToken());
void import('./boot').then(({ boot }) => boot(early));
