// The agreement reference subgraph: municipalities and agreements, held once
// and served beside the gateway.
import { LocalGraphQLDataSource } from '@apollo/gateway';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import { subgraphSdl } from '../../schema/files';
import type { Resolvers } from '../generated/agreement';
import { withPermissionChecks } from '../../schema/contract/permissionChecks';
import { federatedResolvers } from '../../schema/contract/federatedResolvers';
import { DateScalar, DecimalScalar } from '../../schema/contract/scalars';
import type { AgreementRecord, Quota } from '../../schema/contract/agreements';

interface MunicipalityRecord {
  code: string;
  name: string;
}

/** @public The resolver context codegen types the reference subgraph with (codegen.ts). */
export type AgreementContext = Record<string, unknown>;

/** Parties with a figure of their own, as a list. */
const quota = (q: Quota) => ({
  kind: q.kind,
  max: q.max,
  perParty: Object.entries(q.perParty).map(([municipality, max]) => ({ municipality, max })),
});

export interface AgreementDataSourceOptions {
  /** The network's municipalities (code and name). */
  municipalities: readonly MunicipalityRecord[];
  /** The agreements in force or past, as data. */
  agreements: readonly AgreementRecord[];
}

/** The agreement subgraph answered in-process: reference data costs no hop. */
export function agreementDataSource(options: AgreementDataSourceOptions): LocalGraphQLDataSource {
  return new LocalGraphQLDataSource(agreementSchema(options.municipalities, options.agreements));
}

function agreementSchema(
  municipalities: readonly MunicipalityRecord[],
  agreements: readonly AgreementRecord[],
): GraphQLSchema {
  const byCode = new Map(municipalities.map((m) => [m.code, m]));
  const municipality = (code: string) => byCode.get(code) ?? { code, name: code };
  const resolvers: Resolvers = {
    Date: DateScalar,
    Decimal: DecimalScalar,
    Query: {
      municipalities: () => [...municipalities],
      agreements: () => [...agreements],
      agreement: (_, { id }) => agreements.find((a) => a.id === id) ?? null,
    },
    Municipality: {
      __resolveReference: (ref) => municipality(ref.code),
    },
    Agreement: {
      parties: (a) => a.parties.map(municipality),
      approvals: (a) =>
        a.approvals.map((approval) => ({ ...approval, municipality: municipality(approval.municipality) })),
      sendingQuota: (a) => quota(a.sendingQuota),
      receivingQuota: (a) => quota(a.receivingQuota),
    },
  };
  return buildSubgraphSchema({
    typeDefs: parse(subgraphSdl('agreement')),
    resolvers: federatedResolvers(withPermissionChecks(resolvers)),
  });
}
