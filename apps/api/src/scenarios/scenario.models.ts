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
  @Field({
    description: "kernel-assertion (a check the kernel makes), protocol (an argument the kernel does not check) or user (a scenario document's own invariant)",
  })
  class!: string;
  @Field({
    description: 'kernel assertions: file, function, version and the line of the check; protocol invariants: the argument; user invariants: their document',
  })
  backing!: string;
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
  @Field({ description: "'built-in', or 'team': the team's published scenario (its latest version, or the one `scenario(name: \"name@version\")` names)" })
  source!: string;
  @Field(() => String, { nullable: true, description: 'team scenarios: the first 12 hex digits of the content hash' }) version?: string | null;
  @Field(() => String, { nullable: true, description: 'team scenarios: sha256 of the canonical JSON of the document' }) hash?: string | null;
  @Field(() => String, { nullable: true, description: 'team scenarios: `name@version`, what runs and audits take as `scenario`' }) ref?: string | null;
  @Field(() => String, { nullable: true }) publishedBy?: string | null;
  @Field(() => String, { nullable: true }) publishedAt?: string | null;
}

@ObjectType({ description: "a page of scenarios: the built-ins, then the latest version of each of the team's published ones (as REST GET /scenarios)" })
export class ScenarioPage {
  @Field(() => [Scenario]) nodes!: Scenario[];
  @Field(() => String, { nullable: true, description: 'pass as `after` for the next page; null on the last page' }) next!: string | null;
}

@ObjectType({ description: "a version of a scenario document in the team's library: immutable, addressed by its content hash" })
export class ScenarioVersion {
  @Field() name!: string;
  @Field({ description: 'the first 12 hex digits of the content hash' }) version!: string;
  @Field({ description: 'sha256 of the canonical JSON of the document' }) hash!: string;
  @Field({ description: '`name@version`: what runs and audits take as `scenario`' }) ref!: string;
  @Field(() => String, { nullable: true }) title!: string | null;
  @Field() publishedBy!: string;
  @Field() publishedAt!: string;
  @Field(() => JSONScalar) document!: unknown;
}

@ObjectType()
export class PublishedScenario extends ScenarioVersion {
  @Field({ description: 'false: the same document was already published (that version is answered)' }) created!: boolean;
  @Field(() => JSONScalar, { description: 'warnings of the loader (unreachable steps, ...): `{ field, message }`' }) warnings!: unknown;
}
