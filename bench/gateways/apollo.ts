// A plain Apollo Gateway (default RemoteGraphQLDataSource) on a one-city
// supergraph, as a child process of the bench. It forwards the same signed
// principal our gateway does, or the city would refuse it.
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { PRINCIPAL_HEADER } from '../../schema/contract/principal';
import { principalForwarder } from '../principal';
import { oneCitySupergraph } from '../supergraph';
import { childEnv } from './env';

interface Context {
  /** The caller's principal, signed for one upstream call with this body. */
  principal: (body: string) => Promise<string>;
}

const env = childEnv();
const forward = await principalForwarder(env.keysDir, env.networkFile, env.city);
const gateway = new ApolloGateway({
  supergraphSdl: oneCitySupergraph(env.caseworkUrl),
  buildService: ({ url }) =>
    new RemoteGraphQLDataSource<Context>({
      url,
      async willSendRequest({ request, context }) {
        // Bound to the body RemoteGraphQLDataSource sends: the request without its http part.
        const { http: _http, ...body } = request;
        const principal = await (context as Context).principal(JSON.stringify(body));
        request.http?.headers.set(PRINCIPAL_HEADER, principal);
      },
    }),
});
const server = new ApolloServer<Context>({ gateway });
const { url } = await startStandaloneServer(server, {
  listen: { port: 0, host: '127.0.0.1' },
  context: ({ req }) => {
    // One principal per upstream call, bound to its body; refused tokens surface in willSendRequest.
    return Promise.resolve({ principal: (body: string) => forward(req.headers.authorization, body) });
  },
});
process.send?.({ type: 'ready', url, port: Number(new URL(url).port) });
process.on('disconnect', () => process.exit(0));
