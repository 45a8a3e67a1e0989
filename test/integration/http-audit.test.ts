// The gateway against graphql-http's audit of the GraphQL over HTTP
// specification: every MUST and every SHOULD passes.
import { auditServer } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNetwork, type TestNetwork } from '../support/network';

describe('GraphQL over HTTP', () => {
  let network: TestNetwork;
  beforeAll(async () => {
    network = await startTestNetwork({ demoData: false });
  });
  afterAll(() => network?.stop());

  it('passes every MUST and SHOULD of the graphql-http audit', async () => {
    const token = await network.token('0180');
    const results = await auditServer({
      url: network.gatewayUrl,
      // As a client of this gateway sends them: a bearer token, and the header
      // CSRF prevention asks of a GET or a non-JSON POST.
      fetchFn: (input: string, init: RequestInit = {}) =>
        fetch(input, {
          ...init,
          headers: {
            ...Object.fromEntries(new Headers(init.headers).entries()),
            authorization: `Bearer ${token}`,
            'apollo-require-preflight': 'true',
          },
        }),
    });
    const failed = results
      .filter((result) => result.status !== 'ok')
      .map((result) => `${result.name}: ${'reason' in result ? result.reason : ''}`);
    expect(failed).toEqual([]);
  }, 60_000);
});
