// The auditor's operations: reads of the person's own city's logs through
// the gateway's own-city route (POST /own-city/graphql). They are checked
// against the internal API's schema, not the supergraph, and go out in a
// manifest of their own (audit-documents.json), the only operations that
// route forwards.
import { graphql } from './gql';

export const DisclosureLogDocument = graphql(/* GraphQL */ `
  query DisclosureLog(
    $after: Int!
    $first: Int!
    $counterpart: String
    $assignmentId: ID
    $traceId: String
    $from: DateTime
    $to: DateTime
  ) {
    disclosureLog(
      after: $after
      first: $first
      counterpart: $counterpart
      assignmentId: $assignmentId
      traceId: $traceId
      from: $from
      to: $to
    ) {
      sequence
      at
      municipality
      unit
      subject
      permissions
      operation
      kind
      assignments
      basis
      traceId
    }
  }
`);

export const CaseAccessLogDocument = graphql(/* GraphQL */ `
  query CaseAccessLog($after: Int!, $first: Int!, $traceId: String, $from: DateTime, $to: DateTime) {
    caseAccessLog(after: $after, first: $first, traceId: $traceId, from: $from, to: $to) {
      sequence
      at
      unit
      subject
      permissions
      operation
      kind
      cases
      fields
      traceId
    }
  }
`);

export const LogIntegrityDocument = graphql(/* GraphQL */ `
  query LogIntegrity {
    disclosureLogVerification {
      ok
      checked
      firstBrokenSequence
      anchor {
        sequence
        hash
      }
    }
    caseAccessLogVerification {
      ok
      checked
      firstBrokenSequence
      anchor {
        sequence
        hash
      }
    }
    logCheckpoints {
      holder
      log
      checked
      firstMismatch {
        sequence
        status
      }
      error
    }
  }
`);
