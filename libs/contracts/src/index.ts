// The API's wire shapes, shared by its clients: the types openapi-typescript generates from the
// API's OpenAPI document (api-schema.ts, `npm run openapi:web`; a test fails when it is stale).
// Types only: nothing here runs, so the web app and the CLI both import it.
import type { components } from './api-schema.js';

export type { components, operations, paths } from './api-schema.js';

type Schemas = components['schemas'];
/** A run as the API returns it (`GET /runs/{id}`, `POST /runs`, `GET /runs`). */
export type ApiRun = Schemas['Run'];
/** An audit as the API returns it (`GET /audits/{id}`). */
export type ApiAudit = Schemas['Audit'];
/** A comparison as the API returns it (`GET /comparisons/{id}`). */
export type ApiComparison = Schemas['Comparison'];
/** An RFC 9457 problem, as every error is answered. */
export type ApiProblem = Schemas['ProblemDetails'];
