// The list's filters as the API's AssignmentFilter: the direction decides
// which party the person's municipality is, the counterpart the other one.
import type { AssignmentFilter } from '../gql/graphql';
import type { AssignmentStatus } from './actions';

export type Direction = 'all' | 'sent' | 'received';

/** The API filter for the chosen direction, status and counterpart. */
export function filterFor(
  municipality: string,
  direction: Direction,
  status: string,
  counterpart: string,
): AssignmentFilter {
  const filter: AssignmentFilter = {};
  if (status) filter.status = [status as AssignmentStatus];
  if (direction === 'sent') {
    filter.homeMunicipality = municipality;
    if (counterpart) filter.receivingMunicipality = counterpart;
  }
  if (direction === 'received') {
    filter.receivingMunicipality = municipality;
    if (counterpart) filter.homeMunicipality = counterpart;
  }
  return filter;
}
