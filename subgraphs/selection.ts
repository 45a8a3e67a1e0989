// What a request selects below a field, for resolvers that read ahead: an
// assignment read that will be asked for its plan brings the plan along in
// the same statement. Fragments and @skip/@include are honoured by
// graphql-tools' field collection.
import { collectSubFields } from '@graphql-tools/utils';
import { getNamedType, isObjectType, type FieldNode, type GraphQLResolveInfo } from 'graphql';

/** The fields selected on `typeName` below these field nodes, by response key's field name. */
function selected(info: GraphQLResolveInfo, typeName: string, nodes: readonly FieldNode[]) {
  const type = info.schema.getType(typeName);
  if (!isObjectType(type)) return new Map<string, FieldNode[]>();
  // With graphql 16, graphql-tools reads only the coerced values.
  const variables = { coerced: info.variableValues, sources: {} };
  const { fields } = collectSubFields(info.schema, info.fragments, variables, type, nodes as FieldNode[]);
  return fields;
}

/** Whether the selection under the current field asks for `field` of `typeName` (entity fetches). */
export function selectsField(info: GraphQLResolveInfo, typeName: string, field: string): boolean {
  return selected(info, typeName, info.fieldNodes).has(field);
}

/**
 * Whether the selection under the current field reaches `path`, for example
 * `['edges', 'node', 'planSummary']` under a connection.
 */
export function selectsPath(info: GraphQLResolveInfo, path: readonly string[]): boolean {
  let type = getNamedType(info.returnType);
  let nodes: readonly FieldNode[] = info.fieldNodes;
  for (const name of path) {
    if (!isObjectType(type)) return false;
    const next = selected(info, type.name, nodes).get(name);
    const field = type.getFields()[name];
    if (!next || !field) return false;
    nodes = next;
    type = getNamedType(field.type);
  }
  return true;
}
