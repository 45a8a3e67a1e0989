// A supergraph of one city's casework endpoint, for the off-the-shelf
// gateways: the same role schema our gateway composes, pointed at one city.
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { subgraphSdl } from '../schema/files';

export function oneCitySupergraph(caseworkUrl: string): string {
  const result = composeServices([
    { name: 'casework', url: caseworkUrl, typeDefs: parse(subgraphSdl('casework')) },
  ]);
  if (result.errors) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result.supergraphSdl;
}
