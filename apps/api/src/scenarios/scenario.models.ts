import { Field, Int, ObjectType } from '@nestjs/graphql';
import { JSONScalar } from '../graphql/json.scalar.js';

@ObjectType()
export class ScenarioParam {
  @Field() name!: string;
  @Field(() => Int) default!: number;
  @Field(() => Int) min!: number;
  @Field(() => Int) max!: number;
  @Field() description!: string;
}

@ObjectType()
export class ScenarioSwitch {
  @Field() name!: string;
  @Field(() => [String]) values!: string[];
  @Field() default!: string;
  @Field() description!: string;
}

@ObjectType()
export class NamedVariant {
  @Field() name!: string;
  @Field() description!: string;
  @Field(() => JSONScalar) switches!: unknown;
  @Field(() => JSONScalar) patches!: unknown;
}

@ObjectType()
export class Invariant {
  @Field() name!: string;
  @Field() ref!: string;
  @Field() kind!: string;
  @Field() description!: string;
  @Field({ description: 'kernel-assertion (a check the kernel makes) or protocol (an argument the kernel does not check)' }) class!: string;
  @Field({ description: 'kernel assertions: file, function, version and the line of the check; protocol invariants: the argument' }) backing!: string;
}

@ObjectType()
export class SourceRef {
  @Field() file!: string;
  @Field() fn!: string;
  @Field() version!: string;
}

@ObjectType()
export class PathStep {
  @Field() label!: string;
  @Field() op!: string;
  @Field(() => JSONScalar) args!: unknown;
  @Field(() => SourceRef) src!: SourceRef;
}

@ObjectType()
export class KernelPath {
  @Field() name!: string;
  @Field() title!: string;
  @Field(() => JSONScalar) registers!: unknown;
  @Field(() => [PathStep]) steps!: PathStep[];
}

@ObjectType()
export class Scenario {
  @Field() name!: string;
  @Field() title!: string;
  @Field() row!: string;
  @Field() description!: string;
  @Field(() => [ScenarioParam]) params!: ScenarioParam[];
  @Field(() => [ScenarioSwitch]) switches!: ScenarioSwitch[];
  @Field(() => [NamedVariant]) variants!: NamedVariant[];
  @Field(() => [Invariant]) invariants!: Invariant[];
}
