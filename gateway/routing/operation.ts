// Reading and reshaping the operations the query planner sends to a role:
// which root fields they hold, and one-field operations for routing each
// root field on its own.
import {
  Kind,
  parse,
  print,
  valueFromASTUntyped,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { LRUCache } from 'lru-cache';

export interface ParsedOperation {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  fragments: Map<string, FragmentDefinitionNode>;
  rootFields: FieldNode[];
}

// The planner sends the same few strings again and again; the ones in use stay.
const parsedOperations = new LRUCache<string, ParsedOperation>({ max: 1000 });

/** Parses a subgraph operation once while it is in use. */
export function parseOperation(query: string): ParsedOperation {
  const hit = parsedOperations.get(query);
  if (hit) return hit;
  const document = parse(query);
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (operations.length !== 1) throw new Error('Expected exactly one operation in a subgraph request');
  const operation = operations[0]!;
  const fragments = new Map(
    document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
  );
  const parsed = {
    document,
    operation,
    fragments,
    rootFields: collectFields(operation.selectionSet, fragments),
  };
  parsedOperations.set(query, parsed);
  return parsed;
}

/** The fields of a selection set, with fragments flattened (no type conditions at the root). */
export function collectFields(
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
): FieldNode[] {
  const fields: FieldNode[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) fields.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT)
      fields.push(...collectFields(selection.selectionSet, fragments));
    else {
      const fragment = fragments.get(selection.name.value);
      if (fragment) fields.push(...collectFields(fragment.selectionSet, fragments));
    }
  }
  return fields;
}

export const responseKey = (field: FieldNode) => field.alias?.value ?? field.name.value;

/** The value of a field argument, with variables substituted; undefined when absent. */
export function argumentValue(
  field: FieldNode,
  name: string,
  variables: Record<string, unknown> = {},
): unknown {
  const arg = field.arguments?.find((a) => a.name.value === name);
  return arg ? valueFromASTUntyped(arg.value, variables) : undefined;
}

// Printed operations per field and extras: the planner's operations are
// cached (parseOperation), so the same field node comes back on every request,
// and the extras are the callers' constants.
const printed = new WeakMap<
  FieldNode,
  WeakMap<readonly FieldNode[], WeakMap<readonly FieldNode[], string>>
>();
const NONE: readonly FieldNode[] = [];

/**
 * A copy of the operation that selects only `field` at the root, keeping the
 * fragments and variable definitions it uses (GraphQL rejects unused ones).
 * `extraSelections` are added inside the field (e.g. what a merge needs),
 * `extraRootFields` beside it (e.g. a question for the gateway itself).
 */
export function singleFieldOperation(
  parsed: ParsedOperation,
  field: FieldNode,
  extraSelections: readonly FieldNode[] = NONE,
  extraRootFields: readonly FieldNode[] = NONE,
): string {
  let bySelections = printed.get(field);
  if (!bySelections) printed.set(field, (bySelections = new WeakMap()));
  let byRoot = bySelections.get(extraSelections);
  if (!byRoot) bySelections.set(extraSelections, (byRoot = new WeakMap()));
  let query = byRoot.get(extraRootFields);
  if (query === undefined) {
    query = printSingleFieldOperation(parsed, field, extraSelections, extraRootFields);
    byRoot.set(extraRootFields, query);
  }
  return query;
}

function printSingleFieldOperation(
  parsed: ParsedOperation,
  field: FieldNode,
  extraSelections: readonly FieldNode[],
  extraRootFields: readonly FieldNode[],
): string {
  const rootField: FieldNode =
    extraSelections.length > 0 && field.selectionSet
      ? {
          ...field,
          selectionSet: {
            ...field.selectionSet,
            selections: [...field.selectionSet.selections, ...extraSelections],
          },
        }
      : field;
  const usedFragments = new Set<string>();
  const usedVariables = new Set<string>();
  const pending: (FieldNode | FragmentDefinitionNode)[] = [rootField];
  while (pending.length > 0) {
    visit(pending.pop()!, {
      Variable: (node) => void usedVariables.add(node.name.value),
      FragmentSpread: (node) => {
        const name = node.name.value;
        const fragment = parsed.fragments.get(name);
        if (!usedFragments.has(name) && fragment) {
          usedFragments.add(name);
          pending.push(fragment);
        }
      },
    });
  }
  const operation: OperationDefinitionNode = {
    ...parsed.operation,
    variableDefinitions: parsed.operation.variableDefinitions?.filter((d) =>
      usedVariables.has(d.variable.name.value),
    ),
    selectionSet: { kind: Kind.SELECTION_SET, selections: [rootField, ...extraRootFields] },
  };
  const fragments = [...usedFragments].map((name) => parsed.fragments.get(name)!);
  return print({ kind: Kind.DOCUMENT, definitions: [operation, ...fragments] });
}

/** Builds a field node from a tiny selection such as `__shardEdges: edges { cursor }`. */
export function fieldFromSelection(selection: string): FieldNode {
  const operation = parse(`{ ${selection} }`).definitions[0] as OperationDefinitionNode;
  return operation.selectionSet.selections[0] as FieldNode;
}
