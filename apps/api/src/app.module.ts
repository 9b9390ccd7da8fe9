import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD, APP_PIPE } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import { TeamService } from '@mmreplay/teams';
import { AuditsController, ComparisonsController } from './audits/audits.controller.js';
import { AuditsResolver } from './audits/audits.resolver.js';
import type { ApiConfig } from './core/config.js';
import { CoreModule, type CoreOverrides } from './core/core.module.js';
import { graphqlOptions } from './graphql/graphql.options.js';
import { HealthController } from './health/health.controller.js';
import { LitmusController } from './litmus/litmus.controller.js';
import { LitmusResolver } from './litmus/litmus.resolver.js';
import { AuthGuard } from './http/auth.js';
import { AuthFailures } from './http/auth-failures.js';
import { validationPipe } from './http/validation.js';
import { RunsController } from './runs/runs.controller.js';
import { CounterexampleResolver, RunsResolver } from './runs/runs.resolver.js';
import { ScenariosController } from './scenarios/scenarios.controller.js';
import { ScenariosResolver } from './scenarios/scenarios.resolver.js';
import { ScenarioLibrary } from './scenarios/scenario-library.js';
import { TeamsController } from './teams/teams.controller.js';

@Module({})
export class AppModule {
  static forRoot(config: ApiConfig, overrides: CoreOverrides = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config, overrides),
        GraphQLModule.forRootAsync<MercuriusDriverConfig>({
          driver: MercuriusDriver,
          inject: [TeamService, AuthFailures],
          useFactory: (teams: TeamService, failures: AuthFailures) => graphqlOptions(teams, failures, config.graphql),
        }),
      ],
      controllers: [HealthController, ScenariosController, AuditsController, ComparisonsController, RunsController, TeamsController, LitmusController],
      providers: [
        ScenarioLibrary,
        ScenariosResolver,
        AuditsResolver,
        RunsResolver,
        CounterexampleResolver,
        LitmusResolver,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_PIPE, useFactory: validationPipe },
      ],
    };
  }
}
