// The floor of one extra hop: a bare HTTP forwarder with no GraphQL in it. It
// passes each request body and the signed principal to the city's casework
// endpoint over a keep-alive pool and returns the answer as it came, so the
// bench can show how much of what a gateway adds is the hop itself.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { PRINCIPAL_HEADER } from '../../schema/contract/principal';
import { childEnv } from './env';

const env = childEnv();
const target = new URL(env.caseworkUrl);
const pool = new Pool(target.origin, { connections: 16 });

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const principal = req.headers[PRINCIPAL_HEADER];
    pool
      .request({
        path: target.pathname,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(typeof principal === 'string' ? { [PRINCIPAL_HEADER]: principal } : {}),
        },
        body: Buffer.concat(chunks),
      })
      .then(async (answer) => {
        const text = await answer.body.text();
        res.writeHead(answer.statusCode, { 'content-type': 'application/json' }).end(text);
      })
      .catch(() => res.writeHead(502).end());
  });
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ type: 'ready', url: `http://127.0.0.1:${port}/`, port });
});
process.on('disconnect', () => process.exit(0));
