import type { ApiProblem } from '@mmreplay/contracts';

/**
 * An answer of the API that is not a success: the RFC 9457 problem details it sent, in the shape
 * the API declares once for every client (`ProblemDetails` of libs/contracts). The page shows the
 * problem's own title, detail and field issues and classifies nothing itself, so a new kind of
 * error on the server needs no change here.
 */
export class ApiError extends Error {
  constructor(readonly problem: ApiProblem) {
    super(problem.detail);
  }
}

/** The problem of a failed response: its body when it is problem details, else one made of the status. */
export function problemOfResponse(response: Response, body: unknown): ApiProblem {
  const given = typeof body === 'object' && body !== null ? (body as Partial<ApiProblem>) : {};
  const title = given.title ?? (response.statusText || `HTTP ${response.status}`);
  return {
    ...given,
    type: given.type ?? 'about:blank',
    status: given.status ?? response.status,
    title,
    detail: given.detail ?? (typeof body === 'string' && body !== '' ? body : title),
  };
}
