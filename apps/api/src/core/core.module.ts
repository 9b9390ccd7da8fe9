import { Inject, Logger, Module, type BeforeApplicationShutdown, type DynamicModule, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { createEventStore, type EventStore } from '@mmreplay/event-store';
import { mmreplayUpcasters } from '@mmreplay/events';
import { CatalogueService, QueryService, RunService } from '@mmreplay/runs';
import { openRunIndex } from './run-index-file.js';
import { ActivityService, TeamService } from '@mmreplay/teams';
import { AUDIT_CANCEL_REQUESTED, AuditService, counterexampleRuns } from '@mmreplay/audits';
import { RateLimiter } from '../http/rate-limiter.js';
import { AuthFailures } from '../http/auth-failures.js';
import { LiveStreams } from '../live/sse.js';
import { TeamRuns } from '../runs/team-runs.service.js';
import type { ApiConfig } from './config.js';
import { API_CONFIG, EVENT_STORE } from './tokens.js';

const logger = new Logger('mmreplay');
const logError = (e: unknown) => logger.error(e instanceof Error ? (e.stack ?? e.message) : String(e));

/**
 * Starts the read models (rebuilt from the log) before the server answers, and stops the work in
 * flight before the store closes: audits are cancelled and recorded as interrupted, runs being
 * recorded get a moment to finish (an unfinished one is resumed at the next start), live streams end.
 */
export class Lifecycle implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(TeamService) private readonly teams: TeamService,
    @Inject(ActivityService) private readonly activity: ActivityService,
    @Inject(AuditService) private readonly audits: AuditService,
    @Inject(TeamRuns) private readonly runs: TeamRuns,
    @Inject(LiveStreams) private readonly live: LiveStreams,
    @Inject(CatalogueService) private readonly catalogue: CatalogueService,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.teams.start();
    await this.activity.start();
    await this.audits.start();
    const resumed = await this.runs.resumeUnfinished();
    if (resumed.length) logger.warn(`resuming ${resumed.length} run(s) left unfinished: ${resumed.join(', ')}`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    const timeout = this.config.shutdownTimeoutMs;
    await this.audits.shutdown(timeout);
    await this.runs.drain(timeout);
    this.live.endAll();
  }

  async onApplicationShutdown(): Promise<void> {
    this.teams.stop();
    this.activity.stop();
    this.catalogue.index.close();
    await this.store.close();
  }
}

export interface CoreOverrides {
  /** use this store instead of opening `config.store` (tests) */
  store?: EventStore;
}

/** The application services (plain TypeScript from the libs), wired once for REST and GraphQL. */
@Module({})
export class CoreModule {
  static forRoot(config: ApiConfig, overrides: CoreOverrides = {}): DynamicModule {
    return {
      module: CoreModule,
      global: true,
      providers: [
        { provide: API_CONFIG, useValue: config },
        { provide: EVENT_STORE, useFactory: () => overrides.store ?? createEventStore(config.store, { upcasters: mmreplayUpcasters() }) },
        {
          provide: TeamService,
          useFactory: (store: EventStore) => new TeamService(store, { adminToken: config.adminToken, onError: logError }),
          inject: [EVENT_STORE],
        },
        {
          provide: ActivityService,
          useFactory: (store: EventStore) => new ActivityService(store, ['AuditRequested', AUDIT_CANCEL_REQUESTED], logError),
          inject: [EVENT_STORE],
        },
        // batches of 250 events: one append (a synchronous SQLite transaction, about 10 ms) stays near a slice of the event loop
        { provide: RunService, useFactory: (store: EventStore) => new RunService(store, { batchSize: 250 }), inject: [EVENT_STORE] },
        { provide: QueryService, useFactory: (store: EventStore) => new QueryService(store), inject: [EVENT_STORE] },
        { provide: CatalogueService, useFactory: (store: EventStore) => new CatalogueService(store, { index: openRunIndex(config) }), inject: [EVENT_STORE] },
        {
          provide: AuditService,
          useFactory: (store: EventStore, runs: RunService) =>
            new AuditService(store, {
              caps: config.audits,
              progressEveryMs: config.audits.progressEveryMs,
              leaseMs: config.audits.leaseMs,
              spillDir: config.audits.spillDir,
              recordCounterexample: counterexampleRuns(runs),
              onError: (e, auditId) => logger.error(`audit ${auditId}: ${e instanceof Error ? e.message : String(e)}`),
            }),
          inject: [EVENT_STORE, RunService],
        },
        {
          provide: TeamRuns,
          useFactory: (store: EventStore, runs: RunService, queries: QueryService, catalogue: CatalogueService) =>
            new TeamRuns(store, runs, queries, catalogue, config.runs, logError),
          inject: [EVENT_STORE, RunService, QueryService, CatalogueService],
        },
        { provide: RateLimiter, useFactory: () => new RateLimiter(config.rate.burst, config.rate.perSecond) },
        { provide: AuthFailures, useFactory: () => new AuthFailures() },
        { provide: LiveStreams, useFactory: () => new LiveStreams() },
        Lifecycle,
      ],
      exports: [
        API_CONFIG,
        EVENT_STORE,
        TeamService,
        ActivityService,
        RunService,
        QueryService,
        CatalogueService,
        AuditService,
        TeamRuns,
        RateLimiter,
        AuthFailures,
        LiveStreams,
      ],
    };
  }
}
