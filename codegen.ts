import type { CodegenConfig } from '@graphql-codegen/cli';

// Resolver types are generated from the SDL in schema/, never hand-written.
const scalars = {
  Date: { input: 'string', output: 'string | Date' },
  DateTime: { input: 'string', output: 'string | Date' },
  Decimal: { input: 'string', output: 'string' },
};

const common = {
  useTypeImports: true,
  enumsAsTypes: true,
  scalars,
  contextType: '../../subgraphs/context#CityContext',
};

const config: CodegenConfig = {
  overwrite: true,
  hooks: { afterOneFileWrite: ['prettier --write'] },
  generates: {
    'schema/generated/casework.ts': {
      schema: 'schema/casework.graphql',
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        ...common,
        federation: true,
        mappers: {
          Assignment: '../../subgraphs/roles/casework/models#AssignmentModel',
          PlanSummary: '../../subgraphs/roles/casework/models#PlanSummaryModel',
          PlanItem: '../../subgraphs/roles/casework/models#PlanItemModel',
          FollowUp: '../../subgraphs/roles/casework/models#FollowUpModel',
          ChildrenAlert: '../../subgraphs/roles/casework/models#ChildrenAlertModel',
        },
      },
    },
    'schema/generated/execution.ts': {
      schema: 'schema/execution.graphql',
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        ...common,
        federation: true,
        mappers: {
          Assignment: '../../subgraphs/roles/execution/models#ReceivedAssignmentModel',
          CostEntry: '../../subgraphs/roles/execution/models#CostEntryModel',
          PlanItemDelivery: '../../subgraphs/roles/execution/models#AgreedPlanItemModel',
        },
      },
    },
    'schema/generated/agreement.ts': {
      schema: 'schema/agreement.graphql',
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        ...common,
        federation: true,
        contextType: '../../subgraphs/agreement/reference#AgreementContext',
        mappers: { Agreement: '../../subgraphs/agreement/agreements#AgreementRecord' },
      },
    },
    'schema/generated/internal.ts': {
      schema: 'schema/internal.graphql',
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        ...common,
        mappers: {
          Case: '../../subgraphs/internal/models#CaseModel',
          Unit: '../../subgraphs/internal/models#UnitModel',
          DisclosureBasis: '../../subgraphs/internal/models#DisclosureBasisModel',
          PoliceConsultation: '../../subgraphs/internal/models#PoliceConsultationModel',
          JournalNote: '../../subgraphs/internal/models#JournalNoteModel',
          CaseAssignment: '../../subgraphs/roles/casework/models#AssignmentModel',
        },
      },
    },
  },
};

export default config;
