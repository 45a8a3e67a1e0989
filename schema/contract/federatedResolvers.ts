import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';

/**
 * Codegen types __resolveReference as (reference, context, info); Apollo's map
 * types every member as a field resolver. Same runtime shape, so one cast here.
 */
export const federatedResolvers = (resolvers: object) => resolvers as GraphQLResolverMap<unknown>;
