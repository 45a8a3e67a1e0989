// Merging one page of a keyset connection from several cities. Each city
// answered `first` items after the same cursor in the same global order, so
// the merged page is the first `first` of their union.
import type { FieldNode, FragmentDefinitionNode, GraphQLFormattedError } from 'graphql';
import { compareKeys, decodeCursor, type AssignmentKey } from '../../schema/contract/cursor';
import type { MunicipalityCode } from '../../schema/contract/municipality';
import { collectFields, fieldFromSelection, responseKey } from './operation';

/** Selections added to every city's copy of a connection field, under reserved aliases. */
export const MERGE_SELECTIONS: FieldNode[] = [
  fieldFromSelection('__shardEdges: edges { cursor }'),
  fieldFromSelection('__shardPageInfo: pageInfo { hasNextPage }'),
];

export interface CityPage {
  municipality: MunicipalityCode;
  /** The city's value for the connection field (may be null when it failed). */
  value: Record<string, unknown> | null | undefined;
  errors: readonly GraphQLFormattedError[];
}

interface Entry {
  page: CityPage;
  index: number;
  key: AssignmentKey;
}

interface MergedPage {
  value: Record<string, unknown>;
  errors: GraphQLFormattedError[];
}

export function mergeConnection(
  field: FieldNode,
  fragments: Map<string, FragmentDefinitionNode>,
  pages: readonly CityPage[],
  pageSize: number,
  typename = 'AssignmentConnection',
): MergedPage {
  const entries: Entry[] = [];
  let someCityHasMore = false;
  for (const page of pages) {
    const edges = (page.value?.__shardEdges ?? []) as { cursor?: unknown }[];
    edges.forEach((edge, index) => {
      const key = typeof edge.cursor === 'string' ? decodeCursor(edge.cursor) : null;
      if (key) entries.push({ page, index, key });
    });
    const info = page.value?.__shardPageInfo as { hasNextPage?: unknown } | undefined;
    if (info?.hasNextPage === true) someCityHasMore = true;
  }
  entries.sort((a, b) => compareKeys(a.key, b.key));
  const kept = entries.slice(0, pageSize);
  const hasNextPage = someCityHasMore || entries.length > pageSize;
  const endCursor = kept.length > 0 ? cursorOf(kept.at(-1)!) : null;

  const value: Record<string, unknown> = {};
  for (const selection of collectFields(field.selectionSet!, fragments)) {
    const key = responseKey(selection);
    switch (selection.name.value) {
      case 'edges':
        value[key] = kept.map((e) => (e.page.value?.[key] as unknown[] | undefined)?.[e.index] ?? null);
        break;
      case 'pageInfo':
        value[key] = pageInfo(selection, fragments, hasNextPage, endCursor);
        break;
      case '__typename':
        value[key] = typename;
        break;
      default:
        value[key] = pages.find((p) => p.value)?.value?.[key] ?? null;
    }
  }
  return { value, errors: remapErrors(field, pages, kept) };
}

function cursorOf(entry: Entry): string {
  const edges = entry.page.value?.__shardEdges as { cursor: string }[];
  return edges[entry.index]!.cursor;
}

function pageInfo(
  field: FieldNode,
  fragments: Map<string, FragmentDefinitionNode>,
  hasNextPage: boolean,
  endCursor: string | null,
): Record<string, unknown> {
  const info: Record<string, unknown> = {};
  for (const selection of collectFields(field.selectionSet!, fragments)) {
    const name = selection.name.value;
    info[responseKey(selection)] =
      name === 'hasNextPage'
        ? hasNextPage
        : name === 'endCursor'
          ? endCursor
          : name === '__typename'
            ? 'PageInfo'
            : null;
  }
  return info;
}

/** Errors inside a city's edges move to the item's merged index; errors of dropped items go. */
function remapErrors(field: FieldNode, pages: readonly CityPage[], kept: Entry[]): GraphQLFormattedError[] {
  const mergedIndex = new Map(kept.map((entry, i) => [`${entry.page.municipality}#${entry.index}`, i]));
  const root = responseKey(field);
  const errors: GraphQLFormattedError[] = [];
  for (const page of pages) {
    for (const error of page.errors) {
      const path = error.path;
      if (path && path[0] === root && typeof path[2] === 'number') {
        const index = mergedIndex.get(`${page.municipality}#${path[2]}`);
        if (index === undefined) continue;
        errors.push({ ...error, path: [path[0], path[1]!, index, ...path.slice(3)] });
      } else {
        errors.push(error);
      }
    }
  }
  return errors;
}
