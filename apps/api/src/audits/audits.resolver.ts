import { Args, ArgsType, Field, ID, Int, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';
import { Inject } from '@nestjs/common';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { AuditService, type StartAuditRequest, type StartComparisonRequest } from '@mmreplay/audits';
import { actorOf, type Principal } from '@mmreplay/teams';
import { Caller, Requires, teamOf } from '../http/auth.js';
import { toAsyncIterator } from '../graphql/observable-iterator.js';
import { StartAuditDto, StartComparisonDto } from './audit.dto.js';
import { Audit, AuditEvent, AuditPage, Comparison, toAudit, toComparison } from './audit.models.js';
import { withAuditState } from './audit-stream.js';
import { ScenarioLibrary } from '../scenarios/scenario-library.js';

@ArgsType()
export class AuditsArgs {
  @Field({ nullable: true }) @IsOptional() @IsIn(['running', 'completed', 'cancelled', 'interrupted', 'failed']) status?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(100) scenario?: string;
  @Field({ nullable: true }) @IsOptional() @IsIn(['holds', 'violated', 'inconclusive']) verdict?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(100) variant?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(100) author?: string;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(200) first?: number;
  @Field({ nullable: true }) @IsOptional() @Matches(/^[A-Za-z0-9._-]{1,100}$/) after?: string;
}

@Resolver(() => Audit)
export class AuditsResolver {
  constructor(
    @Inject(AuditService) private readonly audits: AuditService,
    @Inject(ScenarioLibrary) private readonly library: ScenarioLibrary,
  ) {}

  @Query(() => Audit)
  audit(@Args('id', { type: () => ID }) id: string, @Caller() caller: Principal): Audit {
    return toAudit(this.audits.get(id, teamOf(caller)));
  }

  @Query(() => AuditPage, { name: 'audits', description: "the team's audits, newest first" })
  auditList(@Args() args: AuditsArgs, @Caller() caller: Principal): AuditPage {
    const { first, after, ...filter } = args;
    const page = this.audits.list(teamOf(caller), filter, { limit: first, after });
    return { nodes: page.audits.map(toAudit), next: page.next };
  }

  @Query(() => Comparison)
  comparison(@Args('id', { type: () => ID }) id: string, @Caller() caller: Principal): Comparison {
    return toComparison(this.audits.comparison(id, teamOf(caller)));
  }

  @Mutation(() => Audit, { description: 'start an audit; follow it with the auditEvents subscription' })
  @Requires('write')
  async startAudit(@Args('input') input: StartAuditDto, @Caller() caller: Principal): Promise<Audit> {
    const req = await this.library.resolve(teamOf(caller), input);
    return toAudit(await this.audits.request(req as StartAuditRequest, teamOf(caller), actorOf(caller)));
  }

  @Mutation(() => Comparison, { description: 'audit a baseline and a fix side by side' })
  @Requires('write')
  async startComparison(@Args('input') input: StartComparisonDto, @Caller() caller: Principal): Promise<Comparison> {
    const req = await this.library.resolve(teamOf(caller), input);
    return toComparison(await this.audits.compare(req as StartComparisonRequest, teamOf(caller), actorOf(caller)));
  }

  @Mutation(() => Audit)
  @Requires('write')
  async cancelAudit(@Args('id', { type: () => ID }) id: string, @Caller() caller: Principal): Promise<Audit> {
    return toAudit(await this.audits.cancel(id, teamOf(caller), actorOf(caller)));
  }

  @Subscription(() => AuditEvent, {
    description: "an audit's events from its first, live, until it completes; each with the audit as of that event",
    resolve: (payload: AuditEvent) => payload,
  })
  auditEvents(@Args('id', { type: () => ID }) id: string, @Caller() caller: Principal): AsyncIterableIterator<AuditEvent> {
    return toAsyncIterator(withAuditState(this.audits.events(id, teamOf(caller))));
  }
}
