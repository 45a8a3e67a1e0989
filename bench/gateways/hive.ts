// Hive Gateway on the same one-city supergraph, served with node:http, as a
// child process of the bench; it adds the signed principal to upstream calls.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { PRINCIPAL_HEADER } from '../../schema/contract/principal';
import { principalForwarder } from '../principal';
import { oneCitySupergraph } from '../supergraph';
import { childEnv } from './env';

const env = childEnv();
const forward = await principalForwarder(env.keysDir, env.networkFile, env.city);
// One signature per client request. Header propagation does not see the
// subgraph body, so the principal is bound to the client's body, which the
// city refuses: this comparison no longer reaches a city since principals are
// bound to the body of each call (gateway/auth/forwardPrincipal.ts).
const signed = new WeakMap<Request, Promise<string>>();
const gateway = createGatewayRuntime({
  supergraph: oneCitySupergraph(env.caseworkUrl),
  logging: false,
  // The bench reports what went wrong upstream rather than "Unexpected error."
  maskedErrors: false,
  propagateHeaders: {
    async fromClientToSubgraphs({ request }) {
      let principal = signed.get(request);
      if (!principal)
        signed.set(
          request,
          (principal = forward(request.headers.get('authorization'), await request.clone().text())),
        );
      return { [PRINCIPAL_HEADER]: await principal };
    },
  },
});
const http = createServer((req, res) => void gateway(req, res));
await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
const { port } = http.address() as AddressInfo;
process.send?.({ type: 'ready', url: `http://127.0.0.1:${port}/graphql`, port });
process.on('disconnect', () => process.exit(0));
