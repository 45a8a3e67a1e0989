// Stopping a process's HTTP server lets requests in flight finish, closes
// keep-alive connections, and cuts off a request that never ends.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { closeGracefully } from '../../runtime/shutdown';

let agent: Agent | undefined;
afterEach(async () => {
  await agent?.close();
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('closeGracefully', () => {
  it('lets a request in flight finish, then closes its keep-alive connection', async () => {
    let stopped = false;
    const { server, url } = await serve((_req, res) => {
      setTimeout(() => res.end(stopped ? 'after stop' : 'before stop'), 300);
    });
    agent = new Agent({ keepAliveTimeout: 60_000 });
    const inFlight = request(url, { dispatcher: agent });
    await new Promise((resolve) => setTimeout(resolve, 50));

    stopped = true;
    const closing = closeGracefully(server, 10_000);
    const response = await inFlight;

    expect(response.statusCode).toBe(200);
    expect(await response.body.text()).toBe('after stop');
    await closing;
    expect(server.listening).toBe(false);
  });

  it('cuts off a request still running after the grace period', async () => {
    const { server, url } = await serve(() => {
      // never answers
    });
    agent = new Agent();
    const hanging = request(url, { dispatcher: agent }).then(
      () => 'answered',
      () => 'cut off',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));

    await closeGracefully(server, 200);

    expect(await hanging).toBe('cut off');
  });
});
