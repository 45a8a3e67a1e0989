import { createHash } from 'node:crypto';
import type { CodegenConfig } from '@graphql-codegen/cli';

// Resolver types are generated from the SDL in schema/, never hand-written.
// They are written beside the code that implements them: the contract in
// schema/ depends on nothing else.
const scalars = {
  Date: { input: 'string', output: 'string | Date' },
  DateTime: { input: 'string', output: 'string | Date' },
  Decimal: { input: 'string', output: 'string' },
};

const common = {
  useTypeImports: true,
  enumsAsTypes: true,
  scalars,
  contextType: '../context#CityContext',
};

const config: CodegenConfig = {
  overwrite: true,
  hooks: { afterOneFileWrite: ['prettier --write'] },
  generates: {
    'subgraphs/generated/casework.ts': {
      schema: 'schema/casework.graphql',
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        ...common,
        federation: true,
        mappers: {
          Assignment: '../roles/casework/models#AssignmentModel',
          PlanSummary: '../roles/casework/models#PlanSummaryModel',
          PlanItem: '../roles/casework/models#PlanItemModel',
          FollowUp: '../roles/casework/models#FollowUpModel',
          ChildrenAlert: '../roles/casework/models#ChildrenAlertModel',
          CostEntry: '../roles/casework/models#CostReportModel',
        },
      },
    },
    'subgraphs/generated/execution.ts': {
      schema: 'schema/execution.graphql',
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        ...common,
        federation: true,
        mappers: {
          Assignment: '../roles/execution/models#ReceivedAssignmentModel',
          CostEntry: '../roles/execution/models#CostEntryModel',
          PlanItemDelivery: '../roles/execution/models#ReceivedPlanItemModel',
        },
      },
    },
    'gateway/generated/agreement.ts': {
      schema: 'schema/agreement.graphql',
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        ...common,
        federation: true,
        contextType: '../agreement/referenceSubgraph#AgreementContext',
        mappers: { Agreement: '../../schema/contract/agreements#AgreementRecord' },
      },
    },
    // The web app's typed documents and its persisted-documents manifest
    // (gql/persisted-documents.json, SHA-256 of each operation's text).
    'web/src/gql/': {
      preset: 'client',
      schema: 'schema/supergraph.graphql',
      documents: ['web/src/**/*.{ts,tsx}', '!web/src/gql/**', '!web/src/audit/**'],
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { Date: 'string', DateTime: 'string', Decimal: 'string' },
      },
      presetConfig: {
        fragmentMasking: false,
        persistedDocuments: {
          // Plain hex SHA-256, the gateway's trusted-documents key (no "sha256:" prefix).
          hashAlgorithm: (text: string) => createHash('sha256').update(text).digest('hex'),
        },
      },
    },
    // The auditor's reads of the own city's logs, checked against the
    // internal API and persisted in a manifest of their own: the only
    // operations the gateway's own-city route forwards.
    'web/src/audit/gql/': {
      preset: 'client',
      schema: 'schema/internal.graphql',
      documents: ['web/src/audit/**/*.{ts,tsx}', '!web/src/audit/gql/**'],
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { Date: 'string', DateTime: 'string' },
      },
      presetConfig: {
        fragmentMasking: false,
        persistedDocuments: {
          hashAlgorithm: (text: string) => createHash('sha256').update(text).digest('hex'),
        },
      },
    },
    'subgraphs/generated/internal.ts': {
      schema: 'schema/internal.graphql',
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        ...common,
        mappers: {
          Case: '../internal/models#CaseModel',
          Unit: '../internal/models#UnitModel',
          DisclosureBasis: '../internal/models#DisclosureBasisModel',
          PoliceConsultation: '../internal/models#PoliceConsultationModel',
          JournalNote: '../internal/models#JournalNoteModel',
          CaseAssignment: '../roles/casework/models#AssignmentModel',
        },
      },
    },
    // An integrator's typed client (examples/typed-client/): operation types
    // and typed documents from the published public schema, as a client
    // project would generate them.
    'examples/typed-client/generated/': {
      schema: 'schema/published/public.graphql',
      documents: ['examples/typed-client/operations.ts'],
      preset: 'client',
      config: { useTypeImports: true, enumsAsTypes: true, scalars },
    },
  },
};

export default config;
