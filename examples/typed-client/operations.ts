// The operations of a typed client. `npm run codegen` (GraphQL Code
// Generator's client preset, pointed at schema/published/public.graphql) turns each
// into a typed document: its variables and its result are TypeScript types.
import { graphql } from './generated';

export const AssignmentsPage = graphql(`
  query AssignmentsPage($first: Int!, $after: String) {
    assignments(first: $first, after: $after) {
      edges {
        node {
          id
          homeMunicipality
          receivingMunicipality
          status
          planSummary {
            version
            items {
              category
              estimatedCost {
                amount
                currency
              }
            }
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);
