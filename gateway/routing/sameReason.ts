// Several cities asked the same question often refuse it for the same reason
// (bad input, a missing permission, an unknown agreement). The client gets
// that refusal once, naming every municipality that gave it, not one copy per
// city. Errors that differ in anything but the municipality stay apart.
import type { GraphQLFormattedError } from 'graphql';

/** What makes two errors the same refusal: everything but the municipality and source location. */
function reasonOf(error: GraphQLFormattedError): string {
  const {
    municipality: _municipality,
    municipalities: _municipalities,
    ...extensions
  } = error.extensions ?? {};
  return JSON.stringify([error.message, error.path ?? null, sortedKeys(extensions)]);
}

function sortedKeys(value: Record<string, unknown>): [string, unknown][] {
  return Object.keys(value)
    .sort()
    .map((key) => [key, value[key]]);
}

function municipalitiesOf(error: GraphQLFormattedError): string[] {
  const { municipality, municipalities } = error.extensions ?? {};
  if (Array.isArray(municipalities)) return municipalities.filter((m): m is string => typeof m === 'string');
  return typeof municipality === 'string' ? [municipality] : [];
}

/**
 * One error per reason, in the order each reason first appeared. A merged
 * error keeps the first copy's message and extensions, lists every
 * municipality in `extensions.municipalities` and names them in the message.
 */
export function mergeSameReason(errors: readonly GraphQLFormattedError[]): GraphQLFormattedError[] {
  const groups = new Map<string, GraphQLFormattedError[]>();
  for (const error of errors) {
    const key = reasonOf(error);
    const group = groups.get(key);
    if (group) group.push(error);
    else groups.set(key, [error]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0]!;
    if (group.length === 1) return first;
    const municipalities = [...new Set(group.flatMap(municipalitiesOf))];
    if (municipalities.length < 2) return first;
    const { municipality: _municipality, ...extensions } = first.extensions ?? {};
    return {
      ...first,
      message: `${first.message} (municipalities ${municipalities.join(', ')})`,
      extensions: { ...extensions, municipalities },
    };
  });
}
