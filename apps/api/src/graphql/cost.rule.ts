import {
  getIntrospectionQuery,
  GraphQLError,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  Kind,
  parse,
  valueFromASTUntyped,
  type ASTVisitor,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';

/** Fields that read a run's log: each costs this much (times the lists around it). */
export const EXPENSIVE_FIELDS: Readonly<Record<string, number>> = {
  state: 20,
  events: 20,
  history: 20,
  firstWhere: 50,
  diff: 40,
  divergence: 50,
  locksHeld: 20,
  trace: 50,
  paths: 5,
  run: 2,
};

/** List fields whose size an argument bounds, and the size when it is absent. */
const LIST_ARGS: Readonly<Record<string, { arg: string; dflt: number }>> = {
  runs: { arg: 'first', dflt: 50 },
  audits: { arg: 'first', dflt: 50 },
  events: { arg: 'limit', dflt: 100 },
  history: { arg: 'first', dflt: 100 },
};

/** The introspection an anonymous request may make: `__typename` and a glance at the root types. */
export const ANONYMOUS_INTROSPECTION_BUDGET = 50;

/** The list sizes of introspection fields, taken from the schema itself (the most any type has). */
interface SchemaSizes {
  types: number;
  fields: number;
  args: number;
  enumValues: number;
  inputFields: number;
  interfaces: number;
  possibleTypes: number;
  directives: number;
  locations: number;
}

const sizesOf = new WeakMap<GraphQLSchema, SchemaSizes>();

function schemaSizes(schema: GraphQLSchema): SchemaSizes {
  const known = sizesOf.get(schema);
  if (known) return known;
  const s: SchemaSizes = {
    types: 0,
    fields: 1,
    args: 1,
    enumValues: 1,
    inputFields: 1,
    interfaces: 1,
    possibleTypes: 1,
    directives: schema.getDirectives().length,
    locations: 20,
  };
  for (const t of Object.values(schema.getTypeMap())) {
    s.types++;
    if (isObjectType(t) || isInterfaceType(t)) {
      const fields = Object.values(t.getFields());
      s.fields = Math.max(s.fields, fields.length);
      for (const f of fields) s.args = Math.max(s.args, f.args.length);
      s.interfaces = Math.max(s.interfaces, t.getInterfaces().length);
    }
    if (isInterfaceType(t)) s.possibleTypes = Math.max(s.possibleTypes, schema.getPossibleTypes(t).length);
    if (isEnumType(t)) s.enumValues = Math.max(s.enumValues, t.getValues().length);
    if (isInputObjectType(t)) s.inputFields = Math.max(s.inputFields, Object.keys(t.getFields()).length);
  }
  for (const d of schema.getDirectives()) s.args = Math.max(s.args, d.args.length);
  sizesOf.set(schema, s);
  return s;
}

/** Introspection list fields and how long each can be in this schema. */
function introspectionListSize(name: string, sizes: SchemaSizes): number | undefined {
  switch (name) {
    case 'types':
    case 'fields':
    case 'args':
    case 'enumValues':
    case 'inputFields':
    case 'interfaces':
    case 'possibleTypes':
    case 'directives':
    case 'locations':
      return sizes[name];
    default:
      return undefined;
  }
}

export interface QueryCost {
  /** fields that read the store, times their lists */
  cost: number;
  /** fields of `__schema` and `__type`, times the lists the schema gives them */
  introspection: number;
}

/**
 * The cost of one operation. Every selection counts, aliases included (two aliases of a field are
 * two fields); a list's size comes from its argument: a literal, a variable's value, or else the
 * variable's default, or else the argument's default. Introspection counts apart, each field
 * times the longest list of its kind in the schema.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): QueryCost {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const defaults = new Map<string, unknown>();
  for (const v of operation.variableDefinitions ?? []) if (v.defaultValue) defaults.set(v.variable.name.value, valueFromASTUntyped(v.defaultValue));
  const sizes = schemaSizes(schema);

  const intArg = (field: FieldNode, name: string): number | undefined => {
    const arg = field.arguments?.find((a) => a.name.value === name);
    if (!arg) return undefined;
    const v = arg.value;
    if (v.kind === Kind.INT) return Number(v.value);
    if (v.kind === Kind.VARIABLE) {
      const given = variables?.[v.name.value];
      const x = given === undefined || given === null ? defaults.get(v.name.value) : given;
      return typeof x === 'number' && Number.isFinite(x) ? x : undefined;
    }
    return undefined;
  };

  const total: QueryCost = { cost: 0, introspection: 0 };
  // Returns the cost of the selection set (in the unit of `inIntrospection`'s side).
  const costOf = (set: SelectionSetNode | undefined, seen: ReadonlySet<string>, introspecting: boolean): number => {
    if (!set) return 0;
    let sum = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        const name = s.name.value;
        if (name === '__typename') continue;
        if (name === '__schema' || name === '__type') {
          total.introspection += 1 + costOf(s.selectionSet, seen, true);
          continue;
        }
        if (introspecting) {
          const n = introspectionListSize(name, sizes) ?? 1;
          sum += 1 + n * costOf(s.selectionSet, seen, true);
          continue;
        }
        const list = LIST_ARGS[name];
        const n = list ? Math.max(1, intArg(s, list.arg) ?? list.dflt) : 1;
        sum += (EXPENSIVE_FIELDS[name] ?? 1) + n * costOf(s.selectionSet, seen, false);
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        sum += costOf(s.selectionSet, seen, introspecting);
      } else {
        const f = fragments.get(s.name.value);
        if (f && !seen.has(f.name.value)) sum += costOf(f.selectionSet, new Set([...seen, f.name.value]), introspecting);
      }
    }
    return sum;
  };
  total.cost = costOf(operation.selectionSet, new Set(), false);
  return total;
}

const fullIntrospection = new WeakMap<GraphQLSchema, number>();

/** What the standard introspection query (`getIntrospectionQuery()`, as GraphiQL and codegen send it) costs. */
export function fullIntrospectionCost(schema: GraphQLSchema): number {
  let c = fullIntrospection.get(schema);
  if (c === undefined) {
    const doc = parse(getIntrospectionQuery());
    const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
    c = operationCost(schema, doc, op, {}).introspection;
    fullIntrospection.set(schema, c);
  }
  return c;
}

/**
 * Refuses, before it runs, an operation over `maxCost`, or one that introspects more than
 * `maxIntrospection` (default: one standard introspection query; a request that aliases
 * `__schema` many times is refused).
 */
export function costLimitRule(maxCost: number, variables?: Record<string, unknown>, maxIntrospection?: number) {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(node) {
      const schema = context.getSchema();
      const { cost, introspection } = operationCost(schema, context.getDocument(), node, variables);
      if (cost > maxCost) {
        context.reportError(
          new GraphQLError(`the query costs ${cost}, more than the ${maxCost} this server allows: ask for fewer fields or smaller pages`, {
            nodes: [node],
            extensions: { code: 'QUERY_TOO_COSTLY', cost, maxCost },
          }),
        );
      }
      const allowed = maxIntrospection ?? fullIntrospectionCost(schema);
      if (introspection > allowed) {
        context.reportError(
          new GraphQLError(
            `the query introspects the schema at cost ${introspection}, more than the ${allowed} allowed${maxIntrospection !== undefined ? ' without a token' : ' (one full introspection query)'}`,
            {
              nodes: [node],
              extensions: { code: 'QUERY_TOO_COSTLY', cost: introspection, maxCost: allowed },
            },
          ),
        );
      }
    },
  });
}
