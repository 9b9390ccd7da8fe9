import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { EventStore } from '@mmreplay/event-store';
import { DEFAULT_CONFIG, type ApiConfig } from '../src/core/config.js';
import { startServer, type Server } from '../src/server.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export type ConfigOverrides = Partial<Omit<ApiConfig, 'audits' | 'runs' | 'rate' | 'graphql'>> & {
  audits?: Partial<ApiConfig['audits']>;
  runs?: Partial<ApiConfig['runs']>;
  rate?: Partial<ApiConfig['rate']>;
  graphql?: Partial<ApiConfig['graphql']>;
};

/** The API listening on a free port of 127.0.0.1, on a fresh SQLite file (or the given store). */
export class TestApi {
  private constructor(
    readonly server: Server,
    readonly config: ApiConfig,
    private readonly dir: string | undefined,
  ) {}

  static async start(overrides: ConfigOverrides = {}, options: { store?: EventStore; sqliteFile?: string } = {}): Promise<TestApi> {
    const dir = options.store || options.sqliteFile ? undefined : mkdtempSync(join(tmpdir(), 'mmreplay-api-'));
    const d = DEFAULT_CONFIG;
    const config: ApiConfig = {
      ...d,
      host: '127.0.0.1',
      port: 0,
      store: options.sqliteFile ? `sqlite:${options.sqliteFile}` : dir ? `sqlite:${join(dir, 'api.db')}` : 'memory:',
      adminToken: ADMIN_TOKEN,
      ...overrides,
      audits: { ...d.audits, progressEveryMs: 50, ...overrides.audits },
      runs: { ...d.runs, ...overrides.runs },
      rate: { burst: 10_000, perSecond: 10_000, ...overrides.rate },
      graphql: { ...d.graphql, ...overrides.graphql },
      shutdownTimeoutMs: overrides.shutdownTimeoutMs ?? 5_000,
    };
    const server = await startServer(config, { store: options.store, logLevels: ['error'] });
    return new TestApi(server, config, dir);
  }

  get url(): string {
    return this.server.url;
  }

  async close(): Promise<void> {
    await this.server.close();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }

  async request<T = any>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.raw !== undefined) body = options.raw;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    const res = await fetch(this.url + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    if (/json/.test(res.headers.get('content-type') ?? '')) parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  }

  get = <T = any>(path: string, token?: string) => this.request<T>('GET', path, { token });
  post = <T = any>(path: string, body: unknown, token?: string) => this.request<T>('POST', path, { token, body });

  /** A team with an owner and their token. */
  async team(teamId: string, owner = 'alice'): Promise<string> {
    const r = await this.post('/teams', { teamId, owner }, ADMIN_TOKEN);
    if (r.status !== 201) throw new Error(`team ${teamId}: ${r.status} ${r.text}`);
    return r.body.token.token as string;
  }

  /** A token of a new member of the team. */
  async member(teamId: string, ownerToken: string, member: string, role: 'owner' | 'member' | 'viewer'): Promise<string> {
    const a = await this.post(`/teams/${teamId}/members`, { member, role }, ownerToken);
    if (a.status !== 201) throw new Error(`member: ${a.status} ${a.text}`);
    const t = await this.post(`/teams/${teamId}/tokens`, { member }, ownerToken);
    if (t.status !== 201) throw new Error(`token: ${t.status} ${t.text}`);
    return t.body.token as string;
  }

  async graphql<T = any>(
    query: string,
    variables: Record<string, unknown> = {},
    token?: string,
  ): Promise<Reply<{ data: T; errors: { message: string; extensions: Record<string, any> }[] }>> {
    return this.request('POST', '/graphql', { token, body: { query, variables } });
  }

  /** A graphql-ws client authenticated with the token. */
  ws(token: string | undefined): Client {
    return createClient({
      url: this.url.replace(/^http/, 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: token ? { authorization: `Bearer ${token}` } : {},
      retryAttempts: 0,
      lazy: true,
    });
  }

  /** Waits until the audit is no longer running. */
  async settled(auditId: string, token: string, timeoutMs = 60_000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = await this.get(`/audits/${auditId}`, token);
      if (r.body.status !== 'running') return r.body;
      if (Date.now() > deadline) throw new Error(`audit ${auditId} still running`);
      await new Promise((res) => setTimeout(res, 50));
    }
  }
}

/** Every value a subscription yields, until it completes (or errors). */
export function subscribe<T = any>(client: Client, query: string, variables: Record<string, unknown>): Promise<{ values: T[]; errors: unknown[] }> {
  return new Promise((resolve) => {
    const values: T[] = [];
    client.subscribe<T>(
      { query, variables },
      {
        next: (v) => {
          if (v.errors) resolve({ values, errors: [...v.errors] });
          else values.push(v.data as T);
        },
        error: (e) => resolve({ values, errors: Array.isArray(e) ? e : [e] }),
        complete: () => resolve({ values, errors: [] }),
      },
    );
  });
}

/** The server-sent events of a stream until it ends. */
export async function readSse(
  url: string,
  token: string | undefined,
  limit = 10_000,
): Promise<{ status: number; contentType: string | null; events: { event: string; id?: string; data: any }[]; body?: any }> {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}`, accept: 'text/event-stream' } : { accept: 'text/event-stream' } });
  const contentType = res.headers.get('content-type');
  if (!contentType?.startsWith('text/event-stream')) return { status: res.status, contentType, events: [], body: JSON.parse(await res.text()) };
  const events: { event: string; id?: string; data: any }[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  const reader = res.body!.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let i: number;
    while ((i = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, i);
      buffer = buffer.slice(i + 2);
      const lines = block.split('\n').filter((l) => !l.startsWith(':'));
      if (!lines.length) continue;
      const field = (name: string) => lines.find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2);
      events.push({ event: field('event') ?? 'message', id: field('id'), data: JSON.parse(field('data') ?? 'null') });
      if (events.length >= limit) {
        await reader.cancel();
        return { status: res.status, contentType, events };
      }
    }
  }
  return { status: res.status, contentType, events };
}

/** The seed thread's question (re-exported for the tests). */
export { SEED_QUESTION } from '@mmreplay/projections';
