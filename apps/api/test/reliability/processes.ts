import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built API (`apps/api/bin/api.js`, built by `npm test`'s `tsc -b` first) as a child process. */
export const API_BIN = join(dirname(fileURLToPath(import.meta.url)), '../../bin/api.js');
export const ADMIN = 'reliability-admin-token-0123456789';

export interface ApiProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** SIGKILL, and wait for the exit */
  kill(signal?: NodeJS.Signals): Promise<void>;
  request<T = any>(method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; headers: Headers; body: T }>;
}

export async function startApi(store: string, env: Record<string, string> = {}, onSpawn?: (child: ChildProcess) => void): Promise<ApiProcess> {
  const child = spawn(process.execPath, [API_BIN], {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: '0',
      MMREPLAY_STORE: store,
      MMREPLAY_ADMIN_TOKEN: ADMIN,
      MMREPLAY_RATE_BURST: '100000',
      MMREPLAY_RATE_PER_SECOND: '100000',
      MMREPLAY_AUDIT_PROGRESS_MS: '50',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  onSpawn?.(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`API did not start: ${out}`)), 30_000);
    const check = () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => reject(new Error(`API exited (${code}): ${out}`)));
  });
  const request = async (method: string, path: string, token?: string, body?: unknown) => {
    const res = await fetch(url + path, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text && /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : text };
  };
  return {
    url,
    child,
    output: () => out,
    request,
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

export async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 30_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
