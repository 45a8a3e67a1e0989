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
  principal: Promise<string>;
}

const env = childEnv();
const forward = await principalForwarder(env.keysDir, env.networkFile, env.city);
const gateway = new ApolloGateway({
  supergraphSdl: oneCitySupergraph(env.caseworkUrl),
  buildService: ({ url }) =>
    new RemoteGraphQLDataSource<Context>({
      url,
      async willSendRequest({ request, context }) {
        const principal: string = await (context as Context).principal;
        request.http?.headers.set(PRINCIPAL_HEADER, principal);
      },
    }),
});
const server = new ApolloServer<Context>({ gateway });
const { url } = await startStandaloneServer(server, {
  listen: { port: 0, host: '127.0.0.1' },
  context: ({ req }) => {
    const principal = forward(req.headers.authorization);
    // Refused tokens surface in willSendRequest; keep the rejection handled until then.
    principal.catch(() => {});
    return Promise.resolve({ principal });
  },
});
process.send?.({ type: 'ready', url, port: Number(new URL(url).port) });
process.on('disconnect', () => process.exit(0));
