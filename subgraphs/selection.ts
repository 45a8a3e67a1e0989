// What a request selects below a field, for resolvers that load ahead: an
// entity fetch that asks for costs gets them in the same statement as the
// entity. Fragments and @skip/@include are honoured by graphql-tools.
import { collectSubFields } from '@graphql-tools/utils';
import { isObjectType, type FieldNode, type GraphQLResolveInfo } from 'graphql';

/** Whether the selection under the current field asks for `field` of `typeName`. */
export function selectsField(info: GraphQLResolveInfo, typeName: string, field: string): boolean {
  const type = info.schema.getType(typeName);
  if (!isObjectType(type)) return false;
  // With graphql 16, graphql-tools reads only the coerced values.
  const variables = { coerced: info.variableValues, sources: {} };
  const { fields } = collectSubFields(
    info.schema,
    info.fragments,
    variables,
    type,
    info.fieldNodes as FieldNode[],
  );
  return fields.has(field);
}
