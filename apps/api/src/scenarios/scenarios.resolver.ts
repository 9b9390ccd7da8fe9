import { Inject } from '@nestjs/common';
import { Args, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { findScenario, UnknownScenarioError } from '@mmreplay/model';
import { actorOf, type Principal } from '@mmreplay/teams';
import { Caller, Requires, teamOf } from '../http/auth.js';
import { ApiError } from '../http/problem.js';
import { JSONScalar } from '../graphql/json.scalar.js';
import { allInvariants, describeScenario, scenarioSummary } from './scenario-description.js';
import { describePublished, publishedSummary, scenarioPage } from './library-views.js';
import { ScenarioLibrary, type ScenarioVersion as LibraryVersion } from './scenario-library.js';
import { Invariant, KernelPath, PublishedScenario, Scenario, ScenarioPage, ScenarioVersion } from './scenario.models.js';

// The library version a team scenario was read from, kept on the node (not a GraphQL field) for its paths.
const PUBLISHED = Symbol('published');
type Listed = Scenario & { [PUBLISHED]?: LibraryVersion };

const toVersion = (v: LibraryVersion): ScenarioVersion => ({ ...v, ref: `${v.name}@${v.version}` });

@Resolver(() => Scenario)
export class ScenariosResolver {
  constructor(@Inject(ScenarioLibrary) private readonly library: ScenarioLibrary) {}

  @Query(() => ScenarioPage, { description: "the built-in scenarios, then the latest version of each of the team's published ones, a page at a time" })
  async scenarios(
    @Caller() caller: Principal,
    @Args('limit', { type: () => Int, nullable: true, description: '1 to 200 (default 100)' }) limit?: number,
    @Args('after', { nullable: true, description: 'the `next` of the previous page' }) after?: string,
  ): Promise<ScenarioPage> {
    if (limit !== undefined && limit !== null && (limit < 1 || limit > 200)) throw ApiError.invalid('limit', 'must be from 1 to 200');
    // an admin token belongs to no team: it sees the built-ins
    const latest = caller.team === null ? [] : await this.library.latest(caller.team);
    const page = scenarioPage((name) => this.library.isBuiltIn(name), latest, limit ?? 100, after ?? undefined);
    const nodes = page.nodes.map((n): Listed => (n.source === 'team' ? { ...n, [PUBLISHED]: latest.find((v) => v.name === n.name) } : n));
    return { nodes, next: page.next };
  }

  @Query(() => Scenario, { description: "a built-in scenario, or the team's published one: `name` (its latest version) or `name@version`" })
  async scenario(@Args('name') name: string, @Caller() caller: Principal): Promise<Scenario> {
    if (this.library.isBuiltIn(name)) {
      const s = findScenario(name);
      if (!s) throw new ApiError('not-found', new UnknownScenarioError(name).message);
      return { source: 'built-in', ...scenarioSummary(s) };
    }
    const v = await this.library.find(teamOf(caller), name);
    const node: Listed = { ...publishedSummary(v), [PUBLISHED]: v };
    return node;
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
  paths(@Parent() scenario: Listed, @Args('variant', { nullable: true }) variant?: string): KernelPath[] {
    const published = scenario[PUBLISHED];
    return published ? describePublished(published, variant).paths : describeScenario(scenario.name, variant).paths;
  }
}
