// The three schemas every city serves, built from the SDL in schema/.
import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { parse, type GraphQLSchema } from 'graphql';
import { subgraphSdl } from '../schema/files';
import { internalResolvers } from './internal/resolvers';
import { caseworkResolvers } from './roles/casework/resolvers';
import { executionResolvers } from './roles/execution/resolvers';
import { withPermissionChecks } from '../schema/contract/permissionChecks';
import { federatedResolvers as federated } from '../schema/contract/federatedResolvers';

export const caseworkSchema = (): GraphQLSchema =>
  buildSubgraphSchema({
    typeDefs: parse(subgraphSdl('casework')),
    resolvers: federated(withPermissionChecks(caseworkResolvers)),
  });

export const executionSchema = (): GraphQLSchema =>
  buildSubgraphSchema({
    typeDefs: parse(subgraphSdl('execution')),
    resolvers: federated(withPermissionChecks(executionResolvers)),
  });

/** The city's own API: not federated, so a plain executable schema. */
export const internalSchema = (): GraphQLSchema =>
  makeExecutableSchema({
    typeDefs: readFileSync(new URL('../schema/internal.graphql', import.meta.url), 'utf8'),
    resolvers: withPermissionChecks(internalResolvers),
  });
