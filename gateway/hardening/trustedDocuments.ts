// Trusted documents: when a manifest is configured, only the operations it
// lists run (the shared frontend's), identified by the SHA-256 of their text.
// Hand-written: the check is one hash lookup per request; a library would bring
// a persisted-query protocol the frontend does not need.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler } from 'express';
import { operationNotTrusted } from '../../schema/contract/errors';

/** The manifest: a JSON object from SHA-256 (hex) to the operation's text. */
export function readManifest(file: string): Map<string, string> {
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  const hashes = new Map<string, string>();
  for (const [hash, text] of Object.entries(manifest)) {
    const actual = sha256(text);
    if (actual !== hash)
      throw new Error(`Trusted documents manifest ${file}: entry ${hash} hashes to ${actual}`);
    hashes.set(hash, text);
  }
  return hashes;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * @param ownOperations the texts of operations the gateway runs itself (the
 * CSV report's query, as the caller): trusted beside the manifest, or a route
 * of the gateway's own would be refused. The same text sent by a client runs
 * with the same permissions, so trusting it opens nothing new.
 */
export function trustedDocuments(
  manifest: Map<string, string>,
  ownOperations: readonly string[] = [],
): ApolloServerPlugin {
  const own = new Set(ownOperations.map(sha256));
  return {
    requestDidStart() {
      return Promise.resolve({
        // Refused once parsed, where Apollo answers a GraphQLError to the client as it is.
        // Apollo's queryHash is the SHA-256 (hex) of the text it parsed: no second hash per request.
        didResolveOperation({ queryHash: hash }) {
          if (!manifest.has(hash) && !own.has(hash)) {
            throw operationNotTrusted();
          }
          return Promise.resolve();
        },
      });
    },
  };
}

/**
 * Lets a client send a known document by its SHA-256 alone (the web app
 * does, in the automatic persisted queries format): the text is filled in
 * from the manifests before Apollo sees the request, so trusted documents,
 * limits and metrics all see the text. Unknown hashes pass untouched.
 */
export function resolvePersistedDocuments(documents: ReadonlyMap<string, string>): RequestHandler {
  return (req, _res, next) => {
    const body = req.body as
      { query?: unknown; extensions?: { persistedQuery?: { sha256Hash?: unknown } } } | undefined;
    const hash = body?.extensions?.persistedQuery?.sha256Hash;
    if (body && body.query === undefined && typeof hash === 'string' && documents.has(hash)) {
      body.query = documents.get(hash);
      // Apollo's own cache of persisted queries is not needed for a document the gateway knows.
      delete body.extensions!.persistedQuery;
    }
    next();
  };
}
