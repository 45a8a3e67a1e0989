// The agreement reference subgraph: municipalities and agreements, held once
// and served beside the gateway.
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import { subgraphSdl } from '../../schema/compose';
import type { Resolvers } from '../../schema/generated/agreement';
import { withRoleChecks } from '../authorize';
import { federatedResolvers } from '../federatedResolvers';
import { DateScalar, DecimalScalar } from '../scalars';
import type { AgreementRecord } from './agreements';

export interface MunicipalityRecord {
  code: string;
  name: string;
}

export type AgreementContext = Record<string, unknown>;

export function agreementSchema(
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
    },
  };
  return buildSubgraphSchema({
    typeDefs: parse(subgraphSdl('agreement')),
    resolvers: federatedResolvers(withRoleChecks(resolvers)),
  });
}
