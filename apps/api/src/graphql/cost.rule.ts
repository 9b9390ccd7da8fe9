import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type FieldNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValueNode,
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
};

function intArg(field: FieldNode, name: string, variables: Record<string, unknown> | undefined): number | undefined {
  const arg = field.arguments?.find((a) => a.name.value === name);
  if (!arg) return undefined;
  const v: ValueNode = arg.value;
  if (v.kind === Kind.INT) return Number(v.value);
  if (v.kind === Kind.VARIABLE) {
    const x = variables?.[v.name.value];
    return typeof x === 'number' ? x : undefined;
  }
  return undefined;
}

/**
 * The cost of a query: 1 per field, more for fields that read a run's log, multiplied by the size
 * of the lists they are in. An operation over `maxCost` is refused before it runs.
 */
export function costLimitRule(maxCost: number, variables?: Record<string, unknown>) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of context.getDocument().definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);

    const costOf = (set: SelectionSetNode | undefined, seen: Set<string>): number => {
      if (!set) return 0;
      let total = 0;
      for (const s of set.selections) {
        if (s.kind === Kind.FIELD) {
          const name = s.name.value;
          if (name.startsWith('__')) continue;
          const list = LIST_ARGS[name];
          const n = list ? Math.max(1, intArg(s, list.arg, variables) ?? list.dflt) : 1;
          total += (EXPENSIVE_FIELDS[name] ?? 1) + n * costOf(s.selectionSet, seen);
        } else if (s.kind === Kind.INLINE_FRAGMENT) {
          total += costOf(s.selectionSet, seen);
        } else {
          const f = fragments.get(s.name.value);
          if (f && !seen.has(f.name.value)) total += costOf(f.selectionSet, new Set([...seen, f.name.value]));
        }
      }
      return total;
    };

    return {
      OperationDefinition(node) {
        const cost = costOf(node.selectionSet, new Set());
        if (cost > maxCost) {
          context.reportError(
            new GraphQLError(`the query costs ${cost}, more than the ${maxCost} this server allows: ask for fewer fields or smaller pages`, {
              nodes: [node],
              extensions: { code: 'QUERY_TOO_COSTLY', cost, maxCost },
            }),
          );
        }
      },
    };
  };
}
