// The GraphQL client: urql without a normalised cache (pages ask again after a
// change). A built app sends each operation by its SHA-256 alone, the hash the
// persisted-documents manifest lists; the dev server sends the text.
import { Client, fetchExchange, type Exchange } from '@urql/core';
import { persistedExchange } from '@urql/exchange-persisted';

export function createClient(accessToken: () => string): Client {
  const exchanges: Exchange[] = [fetchExchange];
  if (!import.meta.env.DEV) {
    exchanges.unshift(
      persistedExchange({
        enforcePersistedQueries: true,
        enableForMutation: true,
        preferGetForPersistedQueries: false,
        generateHash: (_query, document) =>
          Promise.resolve((document as { __meta__?: { hash?: string } }).__meta__?.hash ?? ''),
      }),
    );
  }
  return new Client({
    url: '/graphql',
    exchanges,
    requestPolicy: 'network-only',
    preferGetMethod: false,
    fetchOptions: () => ({ headers: { authorization: `Bearer ${accessToken()}` } }),
  });
}
