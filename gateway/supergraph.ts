// Apollo Gateway on the checked-in supergraph (schema/supergraph.graphql):
// Apollo plans every query and executes all but those the gateway sends to
// one role itself once planned (singleFetchAnswers.ts); each subgraph the
// supergraph names is answered by the data source given for it (the roles'
// sharded sources, the agreement in-process).
import { readFileSync } from 'node:fs';
import {
  ApolloGateway,
  type Experimental_DidResolveQueryPlanCallback,
  type GraphQLDataSource,
} from '@apollo/gateway';
import { SUPERGRAPH_FILE } from '../schema/files';
import type { GatewayContext } from './context';

export interface SupergraphGatewayOptions {
  /** The data source of each subgraph, by the name the supergraph gives it. */
  dataSources: Readonly<Record<string, GraphQLDataSource<GatewayContext>>>;
  /** Approximate size of the query-plan cache (LRU), in MiB. */
  queryPlanCacheMiB: number;
  /** Told of each operation's plan before it runs (routing/singleFetch.ts learns from it). */
  didResolveQueryPlan?: Experimental_DidResolveQueryPlanCallback;
}

export function supergraphGateway(options: SupergraphGatewayOptions): ApolloGateway {
  const { dataSources } = options;
  return new ApolloGateway({
    supergraphSdl: readFileSync(SUPERGRAPH_FILE, 'utf8'),
    // Planning is the gateway's costliest step; each distinct operation is planned once while it fits.
    experimental_approximateQueryPlanStoreMiB: options.queryPlanCacheMiB,
    experimental_didResolveQueryPlan: options.didResolveQueryPlan,
    buildService: ({ name }) => {
      const source = Object.hasOwn(dataSources, name) ? dataSources[name] : undefined;
      if (!source) throw new Error(`The supergraph names an unknown subgraph: ${name}`);
      return source;
    },
  });
}
