import createClient, { type Middleware } from 'openapi-fetch';
import type { ApiProblem, components, paths } from '@mmreplay/contracts';
import { ApiError, problemOfResponse } from './problem';
import { currentToken, setToken } from './session';

export { ApiError, problemOfResponse };

export type Schemas = components['schemas'];
export type Run = Schemas['Run'];
export type Audit = Schemas['Audit'];
export type Comparison = Schemas['Comparison'];
/**
 * A step event, the one shape every endpoint gives. The OpenAPI document lists `src`'s fields
 * without marking them required; the API always sends all three (the stored event's citation).
 */
export type StepEvent = Schemas['StepEventModel'] & { src: { file: string; fn: string; version: string } };
export type HistoryEntry = Schemas['HistoryEntryModel'];

const auth: Middleware = {
  onRequest({ request }) {
    const token = currentToken();
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
  onResponse({ response }) {
    // a revoked or expired token: back to the sign-in form, keeping the URL
    if (response.status === 401 && currentToken()) setToken(null);
    return response;
  },
};

/** The typed client of the API on this origin (types generated from its OpenAPI document). */
export const api = createClient<paths>({ baseUrl: globalThis.location?.origin ?? 'http://localhost' });
api.use(auth);

/** The data of an openapi-fetch result, or an ApiError with the problem the API answered. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) throw new ApiError(problemOfResponse(result.response, result.error));
  return result.data as T;
}

export function problemOf(e: unknown): ApiProblem | null {
  return e instanceof ApiError ? e.problem : null;
}
