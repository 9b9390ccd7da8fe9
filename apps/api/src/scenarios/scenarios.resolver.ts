import { Args, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { findScenario, UnknownScenarioError } from '@mmreplay/model';
import { ApiError } from '../http/problem.js';
import { allInvariants, describeScenario, listScenarios, scenarioSummary } from './scenario-description.js';
import { Invariant, KernelPath, Scenario } from './scenario.models.js';

@Resolver(() => Scenario)
export class ScenariosResolver {
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

  @Query(() => [Invariant])
  invariants(): Invariant[] {
    return allInvariants();
  }

  @ResolveField(() => [KernelPath], { description: 'the kernel paths the threads run, step by step (as a named variant patches them, when given)' })
  paths(@Parent() scenario: Scenario, @Args('variant', { nullable: true }) variant?: string): KernelPath[] {
    return describeScenario(scenario.name, variant).paths;
  }
}
