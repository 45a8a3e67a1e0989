// One mutation field per operation. Mutations are committed by the cities
// one after another; a later one refused would answer `data: null` (their
// types are non-null) and hide what the earlier ones wrote. So a document
// whose mutation selects more than one field is refused during validation,
// before anything runs.
import { validationFailed } from '../../schema/contract/errors';
import {
  Kind,
  OperationTypeNode,
  type ASTVisitor,
  type FieldNode,
  type SelectionNode,
  type ValidationContext,
} from 'graphql';

export function oneMutationFieldPerOperation(context: ValidationContext): ASTVisitor {
  return {
    OperationDefinition(operation) {
      if (operation.operation !== OperationTypeNode.MUTATION) return;
      const fields = rootFields(context, operation.selectionSet.selections, new Set());
      const changes = fields.filter((field) => field.name.value !== '__typename');
      if (changes.length <= 1) return;
      const names = changes.map((field) => field.name.value).join(', ');
      context.reportError(
        validationFailed(
          `An operation may hold one mutation field; this one holds ${changes.length} (${names}). Send each as a request of its own, so that a refused change never hides one already committed.`,
          changes,
        ),
      );
    },
  };
}

/** The root fields of a selection, through inline fragments and fragment spreads. */
function rootFields(
  context: ValidationContext,
  selections: readonly SelectionNode[],
  seen: Set<string>,
): FieldNode[] {
  const fields: FieldNode[] = [];
  for (const selection of selections) {
    if (selection.kind === Kind.FIELD) fields.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT)
      fields.push(...rootFields(context, selection.selectionSet.selections, seen));
    else {
      const name = selection.name.value;
      const fragment = context.getFragment(name);
      if (!fragment || seen.has(name)) continue;
      seen.add(name);
      fields.push(...rootFields(context, fragment.selectionSet.selections, seen));
    }
  }
  return fields;
}
