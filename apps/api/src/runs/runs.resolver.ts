import { Inject } from '@nestjs/common';
import { Args, ArgsType, Field, ID, Int, Mutation, Parent, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { strategies } from '@mmreplay/engine';
import { actorOf, type Principal } from '@mmreplay/teams';
import { Caller, Requires, teamOf } from '../http/auth.js';
import { JSONScalar } from '../graphql/json.scalar.js';
import { IsJsonObject } from '../http/validators.js';
import { Counterexample } from '../audits/audit.models.js';
import { StartRunDto } from './run.dto.js';
import { ScenarioLibrary } from '../scenarios/scenario-library.js';
import {
  DiffModel,
  DivergenceModel,
  FirstMatchModel,
  HistoryEntryModel,
  LocksModel,
  Run,
  RunEventModel,
  RunPage,
  RunStateModel,
  StepEventModel,
  TraceModel,
  toRun,
  toStepEvent,
  RunModelView,
} from './run.models.js';
import { TeamRuns } from './team-runs.service.js';

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

@ArgsType()
export class RunsArgs {
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(100) scenario?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(100) variant?: string;
  @Field({ nullable: true }) @IsOptional() @IsIn(['running', 'completed']) status?: string;
  @Field({ nullable: true }) @IsOptional() @IsIn(['completed', 'violation', 'deadlock', 'step-bound', 'infeasible', 'model-bound', 'failed']) outcome?: string;
  @Field({ nullable: true }) @IsOptional() @IsIn(strategies) strategy?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(100) author?: string;
  @Field({ nullable: true }) @IsOptional() @Matches(ID_PATTERN) counterexampleOf?: string;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(200) first?: number;
  @Field({ nullable: true }) @IsOptional() @Matches(ID_PATTERN) after?: string;
}

@ArgsType()
export class StepArgs {
  @Field(() => Int, { description: 'the state after this step (-1: before the first)' }) @IsInt() @Min(-1) at!: number;
}

@ArgsType()
export class EventsArgs {
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) from?: number;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) to?: number;
  @Field(() => [String], { nullable: true }) @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) types?: string[];
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(100) thread?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(100) object?: string;
  @Field(() => Int, { nullable: true, defaultValue: 100 }) @IsOptional() @IsInt() @Min(1) @Max(10_000) limit?: number;
}

@ArgsType()
export class ObjectArgs {
  @Field({ description: '`page:P`, `pte:e0`, `ptl:ptl`, `thread:flt0`, or a bare name' }) @IsString() @IsNotEmpty() @MaxLength(100) object!: string;
  @Field(() => Int, { nullable: true, description: 'the cursor: entries after this step (the last step of the previous page)' })
  @IsOptional()
  @IsInt()
  @Min(-1)
  after?: number;
  @Field(() => Int, { nullable: true, defaultValue: 100 }) @IsOptional() @IsInt() @Min(1) @Max(10_000) first?: number;
}

@ArgsType()
export class FirstWhereArgs {
  @Field(() => JSONScalar, { description: 'a predicate (see the README)' }) @IsJsonObject() where!: Record<string, unknown>;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(-1) from?: number;
}

@ArgsType()
export class DiffArgs {
  @Field(() => Int) @IsInt() @Min(-1) from!: number;
  @Field(() => Int) @IsInt() @Min(-1) to!: number;
  @Field(() => ID, { nullable: true, description: 'compare with this run at step `to`' }) @IsOptional() @Matches(ID_PATTERN) otherRun?: string;
}

@ArgsType()
export class LocksArgs {
  @Field() @IsString() @IsNotEmpty() @MaxLength(100) thread!: string;
  @Field(() => Int) @IsInt() @Min(-1) at!: number;
}

@ArgsType()
export class TraceArgs {
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) from?: number;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) to?: number;
}

@ArgsType()
export class RunEventsArgs {
  @Field(() => ID) @Matches(ID_PATTERN) id!: string;
  @Field(() => Int, { nullable: true, description: 'start at this step (default: the first event)' }) @IsOptional() @IsInt() @Min(0) fromStep?: number;
}

@Resolver(() => Run)
export class RunsResolver {
  constructor(
    @Inject(TeamRuns) private readonly runs: TeamRuns,
    @Inject(ScenarioLibrary) private readonly library: ScenarioLibrary,
  ) {}

  @Query(() => Run)
  async run(@Args('id', { type: () => ID }) id: string, @Caller() caller: Principal): Promise<Run> {
    return toRun(await this.runs.get(id, teamOf(caller)));
  }

  @Query(() => RunPage, { name: 'runs', description: "the team's runs, newest first" })
  async runList(@Args() args: RunsArgs, @Caller() caller: Principal): Promise<RunPage> {
    const { first, after, ...filter } = args;
    const page = await this.runs.list(teamOf(caller), filter, { limit: first, after });
    return { nodes: page.runs.map(toRun), next: page.next };
  }

  @Mutation(() => Run, { description: 'record a run (waits until it is recorded unless wait: false; follow it with runEvents)' })
  @Requires('write')
  async startRun(@Args('input') input: StartRunDto, @Caller() caller: Principal): Promise<Run> {
    const { wait = true, ...asked } = input;
    const team = teamOf(caller);
    const req = await this.library.resolve(team, asked);
    const { runId } = await this.runs.start(req, team, actorOf(caller), wait);
    return toRun(await this.runs.get(runId, team));
  }

  @ResolveField(() => RunStateModel)
  state(@Parent() run: Run, @Args() args: StepArgs, @Caller() caller: Principal): Promise<RunStateModel> {
    return this.runs.stateAt(run.id, teamOf(caller), args.at);
  }

  @ResolveField(() => RunModelView, { description: "the run's exact model and initial deltas" })
  model(@Parent() run: Run, @Caller() caller: Principal): Promise<RunModelView> {
    return this.runs.model(run.id, teamOf(caller));
  }

  @ResolveField(() => [StepEventModel])
  async events(@Parent() run: Run, @Args() args: EventsArgs, @Caller() caller: Principal): Promise<StepEventModel[]> {
    return (await this.runs.events(run.id, teamOf(caller), args)).map(toStepEvent);
  }

  @ResolveField(() => [HistoryEntryModel])
  history(@Parent() run: Run, @Args() args: ObjectArgs, @Caller() caller: Principal): Promise<HistoryEntryModel[]> {
    return this.runs.history(run.id, teamOf(caller), args.object, { after: args.after, limit: args.first ?? 100 });
  }

  @ResolveField(() => FirstMatchModel, { nullable: true, description: 'the first step after which the predicate holds; null if none' })
  firstWhere(@Parent() run: Run, @Args() args: FirstWhereArgs, @Caller() caller: Principal): Promise<FirstMatchModel | null> {
    return this.runs.firstWhere(run.id, teamOf(caller), args.where, args.from);
  }

  @ResolveField(() => DiffModel)
  diff(@Parent() run: Run, @Args() args: DiffArgs, @Caller() caller: Principal): Promise<DiffModel> {
    return this.runs.diff(run.id, teamOf(caller), args.from, args.to, args.otherRun);
  }

  @ResolveField(() => DivergenceModel, { nullable: true, description: 'the first step where this run and otherRun differ; null if they are the same' })
  divergence(@Parent() run: Run, @Args('otherRun', { type: () => ID }) otherRun: string, @Caller() caller: Principal): Promise<DivergenceModel | null> {
    return this.runs.divergence(run.id, teamOf(caller), otherRun);
  }

  @ResolveField(() => LocksModel)
  locksHeld(@Parent() run: Run, @Args() args: LocksArgs, @Caller() caller: Principal): Promise<LocksModel> {
    return this.runs.locksHeld(run.id, teamOf(caller), args.thread, args.at);
  }

  @ResolveField(() => TraceModel)
  async trace(@Parent() run: Run, @Args() args: TraceArgs, @Caller() caller: Principal): Promise<TraceModel> {
    const { trace, text, lkml } = await this.runs.trace(run.id, teamOf(caller), args);
    // each rendering only when the query asks for it
    return {
      get text() {
        return text();
      },
      get lkml() {
        return lkml();
      },
      json: trace,
    };
  }

  @Subscription(() => RunEventModel, { description: "a run's events as they are appended, until RunCompleted", resolve: (payload: RunEventModel) => payload })
  async runEvents(@Args() args: RunEventsArgs, @Caller() caller: Principal): Promise<AsyncIterableIterator<RunEventModel>> {
    return this.runs.live(args.id, teamOf(caller), args.fromStep, caller.tokenId);
  }
}

@Resolver(() => Counterexample)
export class CounterexampleResolver {
  constructor(@Inject(TeamRuns) private readonly runs: TeamRuns) {}

  @ResolveField(() => Run, { nullable: true, description: 'the run that replays the counterexample' })
  async run(@Parent() ce: Counterexample, @Caller() caller: Principal): Promise<Run | null> {
    try {
      return toRun(await this.runs.get(ce.runId, teamOf(caller)));
    } catch {
      return null;
    }
  }
}
