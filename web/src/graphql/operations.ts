// Every operation the app sends. Code generation turns them into typed
// documents and into the persisted-documents manifest the gateway loads.
import { graphql } from '../gql';

export const AssignmentListDocument = graphql(/* GraphQL */ `
  query AssignmentList($filter: AssignmentFilter, $first: Int!, $after: String) {
    assignments(filter: $filter, first: $first, after: $after) {
      edges {
        cursor
        node {
          id
          homeMunicipality
          receivingMunicipality
          status
          updatedAt
          overdue
          answerDueOn
          planSummary {
            version
            status
          }
          childrenAlert {
            id
            acknowledgedByHome
            acknowledgedByReceiving
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

export const AssignmentDocument = graphql(/* GraphQL */ `
  query Assignment($id: ID!) {
    assignment(id: $id) {
      id
      homeMunicipality
      receivingMunicipality
      status
      proposedAt
      updatedAt
      respondedAt
      withdrawnAt
      endedAt
      answerDueOn
      overdue
      beyondAimReason
      declineReason
      terminationReason
      terminationRequest {
        requestedAt
        reason
      }
      disclosure {
        basisInForce
        lapse
      }
      childrenAlert {
        id
        raisedBy
        raisedAt
        acknowledgedByHome
        acknowledgedByReceiving
      }
      planSummary {
        ...Plan
      }
      planHistory {
        ...Plan
      }
      followUps {
        id
        scheduledFor
        receivingConfirmed
        completed
        done
      }
      costs {
        total {
          amount
        }
        reimbursed {
          amount
        }
        net {
          amount
        }
        entries {
          id
          planItemId
          category
          date
          amount {
            amount
          }
        }
      }
      deliveries {
        planItemId
        category
        status
        updatedAt
      }
      receivingUnit {
        id
        name
      }
      pendingAtReceiving {
        waitingFor
        count
        since
      }
      pendingAtHome {
        waitingFor
        count
        since
      }
    }
  }

  fragment Plan on PlanSummary {
    version
    status
    proposedAt
    consultedAt
    decidedAt
    estimatedTotal {
      amount
    }
    items {
      id
      category
      plannedFrom
      plannedTo
      extent {
        quantity
        unit
      }
      estimatedCost {
        amount
      }
      consultation
      cannotDeliverReason
      decided
    }
  }
`);

export const InterventionOfferDocument = graphql(/* GraphQL */ `
  query InterventionOffer($municipality: String!) {
    interventionOffer(municipality: $municipality) {
      category
      name
      unitPrice {
        amount
      }
      priceUnit
    }
  }
`);

export const ProposeAssignmentDocument = graphql(/* GraphQL */ `
  mutation ProposeAssignment($input: ProposeAssignmentInput!) {
    proposeAssignment(input: $input) {
      id
      status
    }
  }
`);

export const WithdrawAssignmentDocument = graphql(/* GraphQL */ `
  mutation WithdrawAssignment($id: ID!, $reason: String!) {
    withdrawAssignment(id: $id, reason: $reason) {
      id
      status
    }
  }
`);

export const RespondToAssignmentDocument = graphql(/* GraphQL */ `
  mutation RespondToAssignment(
    $id: ID!
    $decision: ResponseDecision!
    $declineReason: DeclineReason
    $note: String
    $beyondAimReason: String
  ) {
    respondToAssignment(
      id: $id
      decision: $decision
      declineReason: $declineReason
      note: $note
      beyondAimReason: $beyondAimReason
    ) {
      id
      status
    }
  }
`);

export const ProposePlanDocument = graphql(/* GraphQL */ `
  mutation ProposePlan($assignmentId: ID!, $items: [PlanItemInput!]!) {
    proposePlan(assignmentId: $assignmentId, items: $items) {
      id
      status
    }
  }
`);

export const ConsultPlanDocument = graphql(/* GraphQL */ `
  mutation ConsultPlan($assignmentId: ID!, $version: Int!, $answers: [ConsultationAnswerInput!]!) {
    consultPlan(assignmentId: $assignmentId, version: $version, answers: $answers) {
      id
      status
    }
  }
`);

export const DecidePlanDocument = graphql(/* GraphQL */ `
  mutation DecidePlan($assignmentId: ID!, $version: Int!) {
    decidePlan(assignmentId: $assignmentId, version: $version) {
      id
      status
    }
  }
`);

export const RecordDeliveryDocument = graphql(/* GraphQL */ `
  mutation RecordDelivery($planItemId: ID!, $status: DeliveryStatus!) {
    recordDelivery(planItemId: $planItemId, status: $status) {
      planItemId
      status
    }
  }
`);

export const RecordCostDocument = graphql(/* GraphQL */ `
  mutation RecordCost($input: RecordCostInput!) {
    recordCost(input: $input) {
      id
    }
  }
`);

export const ScheduleFollowUpDocument = graphql(/* GraphQL */ `
  mutation ScheduleFollowUp($assignmentId: ID!, $date: Date!) {
    scheduleFollowUp(assignmentId: $assignmentId, date: $date) {
      id
    }
  }
`);

export const ConfirmFollowUpDocument = graphql(/* GraphQL */ `
  mutation ConfirmFollowUp($followUpId: ID!) {
    confirmFollowUpParticipation(followUpId: $followUpId) {
      id
    }
  }
`);

export const CompleteFollowUpDocument = graphql(/* GraphQL */ `
  mutation CompleteFollowUp($followUpId: ID!, $done: Boolean!) {
    completeFollowUp(followUpId: $followUpId, done: $done) {
      id
    }
  }
`);

export const RaiseChildrenAlertDocument = graphql(/* GraphQL */ `
  mutation RaiseChildrenAlert($assignmentId: ID!) {
    raiseChildrenAlert(assignmentId: $assignmentId) {
      id
    }
  }
`);

export const AcknowledgeChildrenAlertDocument = graphql(/* GraphQL */ `
  mutation AcknowledgeChildrenAlert($assignmentId: ID!) {
    acknowledgeChildrenAlert(assignmentId: $assignmentId) {
      id
    }
  }
`);

export const CompleteAssignmentDocument = graphql(/* GraphQL */ `
  mutation CompleteAssignment($id: ID!) {
    completeAssignment(id: $id) {
      id
      status
    }
  }
`);

export const TerminateAssignmentDocument = graphql(/* GraphQL */ `
  mutation TerminateAssignment($id: ID!, $reason: TerminationReason!) {
    terminateAssignment(id: $id, reason: $reason) {
      id
      status
    }
  }
`);

export const RequestTerminationDocument = graphql(/* GraphQL */ `
  mutation RequestTermination($assignmentId: ID!, $reason: TerminationReason!) {
    requestTermination(assignmentId: $assignmentId, reason: $reason) {
      id
      status
    }
  }
`);

export const AgreementsDocument = graphql(/* GraphQL */ `
  query Agreements {
    agreements {
      id
      name
      validFrom
      validTo
      parties {
        code
      }
    }
  }
`);

export const ReconciliationFieldsFragment = graphql(/* GraphQL */ `
  fragment ReconciliationFields on Reconciliation {
    agreementId
    between
    period
    periodFrom
    periodTo
    sides {
      municipality
      gross {
        amount
      }
      reimbursed {
        amount
      }
      costsBorne {
        amount
      }
      deviation {
        amount
      }
    }
    total {
      amount
    }
    relativeDeviation
    threshold
    equalisation {
      amount {
        amount
      }
      payer
      payee
    }
    counterpartyAgrees
    confirmedBy
    declinedBy {
      municipality
      reason
      at
    }
    status
    settled
  }
`);

/** Every ended period of every pair the caller's municipality is party to, from the cities that hold them. */
export const ReconciliationsDocument = graphql(/* GraphQL */ `
  query Reconciliations($agreement: ID!) {
    evaluationReport(agreement: $agreement) {
      agreementId
      reconciliations {
        ...ReconciliationFields
      }
    }
  }
`);

export const ConfirmReconciliationDocument = graphql(/* GraphQL */ `
  mutation ConfirmReconciliation($between: [String!]!, $period: Int!, $agreement: ID) {
    confirmReconciliation(between: $between, period: $period, agreement: $agreement) {
      ...ReconciliationFields
    }
  }
`);

export const DeclineReconciliationDocument = graphql(/* GraphQL */ `
  mutation DeclineReconciliation($between: [String!]!, $period: Int!, $agreement: ID, $reason: String!) {
    declineReconciliation(between: $between, period: $period, agreement: $agreement, reason: $reason) {
      ...ReconciliationFields
    }
  }
`);

/**
 * The managers' network overview: the balance against the agreement's aims
 * (the current term), the agreement's minimum cell, and the joint evaluation
 * report's figures; cells withheld from a third municipality are null and
 * named in suppressedFields.
 */
export const NetworkOverviewDocument = graphql(/* GraphQL */ `
  query NetworkOverview($agreement: ID!) {
    agreement(id: $agreement) {
      id
      name
      minimumCellCount
    }
    networkBalance {
      municipality
      agreementId
      sent
      received
      beyondAim
      overdueAnswers
      sendingQuota {
        kind
        max
      }
      receivingQuota {
        kind
        max
      }
      suppressedFields
    }
    evaluationReport(agreement: $agreement) {
      agreementId
      directions {
        homeMunicipality
        receivingMunicipality
        everProposed
        proposed
        declined
        withdrawn
        accepted
        active
        completed
        terminated
        beyondAim
        averageDurationDays
        suppressedFields
      }
      directionsByPeriod {
        homeMunicipality
        receivingMunicipality
        period
        proposed
        declined
        withdrawn
        accepted
        active
        completed
        terminated
        suppressedFields
      }
      costsByPeriod {
        homeMunicipality
        receivingMunicipality
        period
        gross {
          amount
        }
        reimbursed {
          amount
        }
        net {
          amount
        }
        assignments
        suppressedFields
      }
      costsByCategory {
        homeMunicipality
        receivingMunicipality
        category
        gross {
          amount
        }
        reimbursed {
          amount
        }
        net {
          amount
        }
        assignments
        suppressedFields
      }
      reconciliations {
        between
        period
        periodFrom
        periodTo
        total {
          amount
        }
        equalisation {
          amount {
            amount
          }
          payer
          payee
        }
        status
      }
    }
  }
`);
