// The operations the bench sends. One caller throughout: a Stockholm (0180)
// person with every role, so rows differ only in the path they take.
import { createHash } from 'node:crypto';
import { demoId } from '../subgraphs/cities/demo-ids';

export const CALLER = '0180';

/** A Stockholm assignment (demo data): answered by Stockholm's casework endpoint alone. */
export const SINGLE_ID = demoId('asg', '0180', '1280', 1);

export const SINGLE = `query Single($id: ID!) {
  assignment(id: $id) {
    id status homeMunicipality receivingMunicipality updatedAt
    planSummary {
      version
      items { category plannedFrom plannedTo estimatedCost { amount currency } }
      estimatedTotal { amount currency }
    }
  }
}`;

/** A list page; `nodeExtra` adds fields to each assignment. */
const listQuery = (name: string, nodeExtra = '') => `query ${name}($first: Int, $after: String) {
  assignments(first: $first, after: $after) {
    edges {
      cursor
      node {
        id status homeMunicipality receivingMunicipality updatedAt
        planSummary { estimatedTotal { amount currency } }${nodeExtra}
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** The three-city list with costs: casework fanned out to every city, each answering its rows' costs. */
export const LIST = listQuery(
  'List',
  '\n        costs { total { amount currency } entries { date amount { amount } } }',
);

/** The list as one city's casework endpoint answers it (one leg of the fan-out). */
export const CITY_LIST = listQuery('CityList');

export const body = (query: string, variables: Record<string, unknown>) =>
  JSON.stringify({ query, variables });

/**
 * An automatic persisted query: `register` carries the text once, `hashOnly`
 * is what a client sends after that (Apollo's APQ protocol, version 1).
 */
export function persisted(query: string, variables: Record<string, unknown>) {
  const persistedQuery = { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') };
  return {
    register: JSON.stringify({ query, variables, extensions: { persistedQuery } }),
    hashOnly: JSON.stringify({ variables, extensions: { persistedQuery } }),
  };
}
