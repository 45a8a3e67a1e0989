// The auditor's GraphQL client: the gateway's own-city route, which forwards
// only the persisted auditor operations to the person's own city. Every
// operation is sent by its SHA-256 alone, in development too: the route never
// takes query text.
import { Client, fetchExchange } from '@urql/core';
import { persistedExchange } from '@urql/exchange-persisted';

export const OWN_CITY_URL = '/own-city/graphql';

export function createAuditClient(accessToken: () => string): Client {
  return new Client({
    url: OWN_CITY_URL,
    exchanges: [
      persistedExchange({
        enforcePersistedQueries: true,
        preferGetForPersistedQueries: false,
        generateHash: (_query, document) =>
          Promise.resolve((document as { __meta__?: { hash?: string } }).__meta__?.hash ?? ''),
      }),
      fetchExchange,
    ],
    requestPolicy: 'network-only',
    preferGetMethod: false,
    fetchOptions: () => ({ headers: { authorization: `Bearer ${accessToken()}` } }),
  });
}
