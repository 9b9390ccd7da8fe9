import { Inject } from '@nestjs/common';
import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { findScenario, UnknownScenarioError } from '@mmreplay/model';
import { actorOf, type Principal } from '@mmreplay/teams';
import { Caller, Requires, teamOf } from '../http/auth.js';
import { ApiError } from '../http/problem.js';
import { JSONScalar } from '../graphql/json.scalar.js';
import { allInvariants, describeScenario, listScenarios, scenarioSummary } from './scenario-description.js';
import { ScenarioLibrary, type ScenarioVersion as LibraryVersion } from './scenario-library.js';
import { Invariant, KernelPath, PublishedScenario, Scenario, ScenarioVersion } from './scenario.models.js';

const toVersion = (v: LibraryVersion): ScenarioVersion => ({ ...v, ref: `${v.name}@${v.version}` });

@Resolver(() => Scenario)
export class ScenariosResolver {
  constructor(@Inject(ScenarioLibrary) private readonly library: ScenarioLibrary) {}

  @Query(() => [Scenario], { description: 'the built-in scenarios' })
  scenarios(): Scenario[] {
    return listScenarios();
  }

  @Query(() => Scenario)
  scenario(@Args('name') name: string): Scenario {
    const s = findScenario(name);
    if (!s) throw new ApiError('not-found', new UnknownScenarioError(name).message);
    return scenarioSummary(s);
  }

  @Query(() => [ScenarioVersion], { description: 'the latest version of each scenario the team published' })
  async publishedScenarios(@Caller() caller: Principal): Promise<ScenarioVersion[]> {
    return (await this.library.latest(teamOf(caller))).map(toVersion);
  }

  @Query(() => ScenarioVersion, { description: "a version of the team's library: `name` (the latest) or `name@version`" })
  async publishedScenario(@Args('ref') ref: string, @Caller() caller: Principal): Promise<ScenarioVersion> {
    return toVersion(await this.library.find(teamOf(caller), ref));
  }

  @Query(() => [ScenarioVersion], { description: 'the versions the team published of one scenario, newest first' })
  async scenarioVersions(@Args('name') name: string, @Caller() caller: Principal): Promise<ScenarioVersion[]> {
    return (await this.library.versions(teamOf(caller), name)).map(toVersion);
  }

  @Mutation(() => PublishedScenario, { description: "publish a version of a scenario document (a JSON object, or YAML text) in the team's library" })
  @Requires('write')
  async publishScenario(@Args('document', { type: () => JSONScalar }) document: unknown, @Caller() caller: Principal): Promise<PublishedScenario> {
    const { version, created, warnings } = await this.library.publish(teamOf(caller), actorOf(caller).actor, document);
    return { ...toVersion(version), created, warnings: warnings.map((w) => ({ field: w.path, message: w.message })) };
  }

  @Query(() => [Invariant])
  invariants(): Invariant[] {
    return allInvariants();
  }

  @ResolveField(() => [KernelPath], { description: 'the kernel paths the threads run, step by step (as a named variant patches them, when given)' })
  paths(@Parent() scenario: Scenario, @Args('variant', { nullable: true }) variant?: string): KernelPath[] {
    return describeScenario(scenario.name, variant).paths;
  }
}
