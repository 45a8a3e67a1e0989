// Entity fetches: split the representations by the city that owns each one,
// then put the cities' answers back in the original order.
import type { GraphQLFormattedError } from 'graphql';
import type { MunicipalityCode } from '../../schema/contract/municipality';
import { type Party } from '../../schema/contract/parties';
import { ownerOfId } from '../../schema/contract/ids';

interface EntityGroups {
  /** Original indices of the representations each city resolves, in order. */
  byCity: Map<MunicipalityCode, number[]>;
  /** Indices no city in the network owns (malformed or foreign ids): null. */
  unroutable: number[];
}

export function splitByOwner(
  representations: readonly unknown[],
  party: Party,
  network: ReadonlySet<MunicipalityCode>,
): EntityGroups {
  const byCity = new Map<MunicipalityCode, number[]>();
  const unroutable: number[] = [];
  representations.forEach((representation, index) => {
    const id = (representation as { id?: unknown } | null)?.id;
    const owner = ownerOfId(id, party);
    if (!owner || !network.has(owner)) return void unroutable.push(index);
    const group = byCity.get(owner);
    if (group) group.push(index);
    else byCity.set(owner, [index]);
  });
  return { byCity, unroutable };
}

/** Moves a city's error from its own `_entities` index to the original one. */
export function remapEntityError(
  error: GraphQLFormattedError,
  indices: readonly number[],
): GraphQLFormattedError {
  const path = error.path;
  if (!path || path[0] !== '_entities' || typeof path[1] !== 'number') return error;
  const original = indices[path[1]];
  if (original === undefined) return { ...error, path: undefined };
  return { ...error, path: ['_entities', original, ...path.slice(2)] };
}

/** Writes a city's `_entities` answer into the combined list at the original indices. */
export function placeEntities(target: unknown[], answer: unknown, indices: readonly number[]): void {
  if (!Array.isArray(answer)) return;
  indices.forEach((original, i) => {
    target[original] = answer[i] ?? null;
  });
}
