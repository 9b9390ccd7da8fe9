import { DEFAULT_STORE } from '@mmreplay/event-store';
import { DEFAULT_AUDIT_CAPS, type AuditCaps } from '@mmreplay/audits';

/** Everything the server can be told, from the environment (see README: "The API"). */
export interface ApiConfig {
  host: string;
  port: number;
  /** `MMREPLAY_STORE`: `sqlite:<path>` (default), `esdb://...`, `memory:` */
  store: string;
  /** `MMREPLAY_CACHE`: the API's SQLite cache file, for the read models of a store that is not SQLite (EventStoreDB) */
  cache: string;
  /** `MMREPLAY_ADMIN_TOKEN`: the bootstrap admin token (at least 16 characters) */
  adminToken?: string;
  /**
   * `MMREPLAY_TRUST_PROXY`: which proxy in front may say who the client is (X-Forwarded-For), for
   * the failed-authentication limiter and logs: `false` (default: the socket's address), `true`
   * (any), a hop count, or a comma-separated list of addresses/CIDRs (e.g. `127.0.0.1`).
   */
  trustProxy: boolean | number | string;
  /** request body limit, bytes */
  bodyLimit: number;
  /** body limit of `POST /runs/import` (an exported run, NDJSON), bytes */
  importLimit: number;
  rate: { burst: number; perSecond: number };
  /** `leaseMs`: a running audit whose stream is silent this long is taken for orphaned (several instances on one store) */
  /** `spillDir` (`MMREPLAY_SPILL_DIR`): where approximate audits keep the frontier beyond `frontierInMemory` states a level */
  audits: AuditCaps & { progressEveryMs: number; leaseMs: number; spillDir: string };
  runs: { maxSteps: number; concurrentPerTeam: number; concurrentPerToken: number };
  graphql: { maxDepth: number; maxCost: number };
  /** how long shutdown waits for audits and runs in flight */
  shutdownTimeoutMs: number;
}

export class ConfigError extends Error {}

export const DEFAULT_CACHE_FILE = './data/mmreplay-cache.db';
export const DEFAULT_SPILL_DIR = './data/spill';

export const DEFAULT_CONFIG: ApiConfig = {
  host: '127.0.0.1',
  port: 3000,
  store: DEFAULT_STORE,
  cache: DEFAULT_CACHE_FILE,
  trustProxy: false,
  bodyLimit: 1024 * 1024,
  importLimit: 16 * 1024 * 1024,
  rate: { burst: 120, perSecond: 30 },
  audits: { ...DEFAULT_AUDIT_CAPS, progressEveryMs: 1_000, leaseMs: 30_000, spillDir: DEFAULT_SPILL_DIR },
  runs: { maxSteps: 1_000_000, concurrentPerTeam: 4, concurrentPerToken: 2 },
  graphql: { maxDepth: 8, maxCost: 5_000 },
  shutdownTimeoutMs: 10_000,
};

export function configFromEnv(env: Record<string, string | undefined> = process.env): ApiConfig {
  const int = (name: string, dflt: number, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return dflt;
    const v = Number(raw);
    if (!Number.isSafeInteger(v) || v < min || v > max) throw new ConfigError(`${name} must be an integer from ${min} to ${max} (got '${raw}')`);
    return v;
  };
  const d = DEFAULT_CONFIG;
  const adminToken = env.MMREPLAY_ADMIN_TOKEN?.trim() || undefined;
  if (adminToken !== undefined && adminToken.length < 16) throw new ConfigError('MMREPLAY_ADMIN_TOKEN must be at least 16 characters');
  return {
    host: env.HOST?.trim() || d.host,
    port: int('PORT', d.port, 0, 65_535),
    store: env.MMREPLAY_STORE?.trim() || d.store,
    cache: env.MMREPLAY_CACHE?.trim() || d.cache,
    adminToken,
    trustProxy: trustProxyFrom(env.MMREPLAY_TRUST_PROXY),
    bodyLimit: int('MMREPLAY_BODY_LIMIT', d.bodyLimit, 1_024),
    importLimit: int('MMREPLAY_IMPORT_LIMIT', d.importLimit, 1_024),
    rate: { burst: int('MMREPLAY_RATE_BURST', d.rate.burst, 1), perSecond: int('MMREPLAY_RATE_PER_SECOND', d.rate.perSecond, 1) },
    audits: {
      maxStates: int('MMREPLAY_AUDIT_MAX_STATES', d.audits.maxStates, 1),
      maxDepth: int('MMREPLAY_AUDIT_MAX_DEPTH', d.audits.maxDepth, 1),
      maxSeconds: int('MMREPLAY_AUDIT_MAX_SECONDS', d.audits.maxSeconds, 1),
      maxRuns: int('MMREPLAY_AUDIT_MAX_RUNS', d.audits.maxRuns, 1),
      maxConcurrentPerTeam: int('MMREPLAY_AUDITS_PER_TEAM', d.audits.maxConcurrentPerTeam, 1),
      progressEveryMs: int('MMREPLAY_AUDIT_PROGRESS_MS', d.audits.progressEveryMs, 10),
      leaseMs: int('MMREPLAY_AUDIT_LEASE_MS', d.audits.leaseMs, 100),
      maxMemoryMB: int('MMREPLAY_AUDIT_MAX_MEMORY_MB', d.audits.maxMemoryMB, 1),
      spillDir: env.MMREPLAY_SPILL_DIR?.trim() || d.audits.spillDir,
    },
    runs: {
      maxSteps: int('MMREPLAY_RUN_MAX_STEPS', d.runs.maxSteps, 1),
      concurrentPerTeam: int('MMREPLAY_RUNS_PER_TEAM', d.runs.concurrentPerTeam, 1),
      concurrentPerToken: int('MMREPLAY_RUNS_PER_TOKEN', d.runs.concurrentPerToken, 1),
    },
    graphql: { maxDepth: int('MMREPLAY_GRAPHQL_MAX_DEPTH', d.graphql.maxDepth, 2), maxCost: int('MMREPLAY_GRAPHQL_MAX_COST', d.graphql.maxCost, 10) },
    shutdownTimeoutMs: int('MMREPLAY_SHUTDOWN_TIMEOUT_MS', d.shutdownTimeoutMs, 0),
  };
}

function trustProxyFrom(raw: string | undefined): boolean | number | string {
  const v = raw?.trim();
  if (!v || v === 'false') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  if (!/^[0-9A-Fa-f.:/]+(\s*,\s*[0-9A-Fa-f.:/]+)*$/.test(v))
    throw new ConfigError(`MMREPLAY_TRUST_PROXY must be true, false, a hop count or a comma-separated list of addresses/CIDRs (got '${raw}')`);
  return v;
}
