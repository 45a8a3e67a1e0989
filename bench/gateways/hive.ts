// Hive Gateway on the same one-city supergraph, served with node:http, as a
// child process of the bench. Like our gateway and the Apollo child, it signs
// the caller's principal for each upstream call, bound to that call's body.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { PRINCIPAL_HEADER } from '../../schema/contract/principal';
import { principalForwarder } from '../principal';
import { oneCitySupergraph } from '../supergraph';
import { childEnv } from './env';

const env = childEnv();
const forward = await principalForwarder(env.keysDir, env.networkFile, env.city);
const gateway = createGatewayRuntime({
  supergraph: oneCitySupergraph(env.caseworkUrl),
  logging: false,
  // The bench reports what went wrong upstream rather than "Unexpected error."
  maskedErrors: false,
  // Identical subgraph queries in flight share one call by default here; ours shares none in the bench.
  transportEntries: { '*.http': { options: { deduplicateInflightRequests: false } } },
  plugins: () => [
    {
      // The subgraph call's body is known only here, as it is about to be sent.
      async onFetch(payload) {
        const { options, context } = payload;
        const request = (context as { request?: Request } | undefined)?.request;
        const body = typeof options.body === 'string' ? options.body : '';
        const principal = await forward(request?.headers.get('authorization'), body);
        payload.setOptions({
          ...options,
          headers: { ...(options.headers as Record<string, string>), [PRINCIPAL_HEADER]: principal },
        });
      },
    },
  ],
});
const http = createServer((req, res) => void gateway(req, res));
await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
const { port } = http.address() as AddressInfo;
process.send?.({ type: 'ready', url: `http://127.0.0.1:${port}/graphql`, port });
process.on('disconnect', () => process.exit(0));
