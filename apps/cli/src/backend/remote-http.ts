import { DomainError, type ErrorKind } from '@mmreplay/model';
import type { ApiProblem } from '@mmreplay/contracts';

// The transport of `--api`: one server, one token, Node's fetch. A refusal comes back as the
// server's problem details (the contracts' `ProblemDetails`) and leaves here as a domain error of
// the one taxonomy, so `--api` exits with the codes the embedded store gives (exit-codes.ts).

/** The kind of error a refusal's HTTP status stands for, so that --api exits as the embedded store would. */
const KIND_OF_STATUS: Readonly<Record<number, ErrorKind>> = { 404: 'not-found', 409: 'conflict', 422: 'not-applicable', 429: 'limit' };

/** The server refused the request (4xx: bad input, unknown run, bad token, ...). */
export class ApiRequestError extends DomainError {
  readonly kind: ErrorKind;
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.kind = KIND_OF_STATUS[status] ?? 'invalid';
  }
}

/** The server cannot be reached, or cannot answer now (5xx, e.g. its store is down). */
export class ApiUnavailableError extends DomainError {
  readonly kind = 'unavailable';
}

type Method = 'GET' | 'POST';

/** JSON as the text of a body, or undefined when it is not JSON. */
function parsed(text: string): unknown {
  try {
    return text === '' ? null : JSON.parse(text);
  } catch {
    return undefined;
  }
}

export class ApiHttp {
  readonly base: string;

  constructor(
    api: string,
    private readonly token: string | undefined,
  ) {
    this.base = api.replace(/\/+$/, '');
  }

  /** `body`: JSON, or `{ ndjson }` sent as it is (an exported run). */
  private async fetch(method: Method, path: string, body?: unknown, accept = 'application/json'): Promise<Response> {
    const headers: Record<string, string> = { accept };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const ndjson = (body as { ndjson?: unknown } | undefined)?.ndjson;
    if (body !== undefined) headers['content-type'] = typeof ndjson === 'string' ? 'application/x-ndjson' : 'application/json';
    try {
      return await fetch(this.base + path, {
        method,
        headers,
        body: body === undefined ? undefined : typeof ndjson === 'string' ? ndjson : JSON.stringify(body),
      });
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new ApiUnavailableError(`cannot reach the API at ${this.base}: ${cause?.code ?? cause?.message ?? (e as Error).message}`);
    }
  }

  /** One JSON request; `T` is the answer's type in the contracts (or the services' shape it is sent in). */
  async call<T>(method: Method, path: string, body?: unknown): Promise<T> {
    const res = await this.fetch(method, path, body);
    const json = parsed(await res.text());
    if (!res.ok) throw this.failure(res, json);
    if (json === undefined) throw new ApiUnavailableError(`the API at ${this.base} answered ${method} ${path} with something that is not JSON`);
    return json as T;
  }

  /** A streamed answer (`accept`), chunk by chunk as it comes. */
  async *stream(path: string, accept: string): AsyncIterable<string> {
    const res = await this.fetch('GET', path, undefined, accept);
    // not a problem document: the status says it
    if (!res.ok) throw this.failure(res, parsed(await res.text()) ?? null);
    const decoder = new TextDecoder();
    for await (const chunk of res.body ?? []) yield decoder.decode(chunk as Uint8Array, { stream: true });
    const rest = decoder.decode();
    if (rest) yield rest;
  }

  /** A problem-details answer as the error the commands map to exit codes 2 and 3. */
  private failure(res: Response, json: unknown): Error {
    const problem = (json ?? {}) as Partial<ApiProblem>;
    const detail = problem.detail ?? problem.title ?? `HTTP ${res.status}`;
    if (res.status >= 500) {
      const retry = problem.retryAfter ?? res.headers.get('retry-after');
      return new ApiUnavailableError(`${detail} (HTTP ${res.status} from ${this.base}${retry ? `; retry after ${retry} s` : ''})`);
    }
    if (res.status === 401 || res.status === 403) return new ApiRequestError(`${detail} (HTTP ${res.status}: check --token / MMREPLAY_TOKEN)`, res.status);
    return new ApiRequestError(detail, res.status);
  }
}
