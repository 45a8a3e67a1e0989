// The shared web app, served by the gateway on the same origin as /graphql
// (no CORS): the built files, the sign-in configuration the app reads at
// start, and GraphiQL at /graphql for a browser outside production.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { Router, type Request } from 'express';
import type { NetworkConfig } from '../../schema/contract/network';

export interface WebAppOptions {
  /** The built app (`npm run build:web`). */
  dir: string;
  network: NetworkConfig;
  /** The app's OAuth client id at every municipality's identity provider. */
  clientId: string;
  /** GraphiQL is not served in production. */
  production: boolean;
}

/** What the app needs before anyone signs in: where each municipality's people sign in. */
export interface WebAppConfig {
  clientId: string;
  municipalities: { code: string; name: string; authority: string | null }[];
}

export function webAppConfig(network: NetworkConfig, clientId: string): WebAppConfig {
  return {
    clientId,
    municipalities: network.municipalities.map((m) => ({
      code: m.code,
      name: m.name,
      // Only an OpenID provider (an https/http issuer) can sign people in; a dev key file cannot.
      authority: /^https?:\/\//.test(m.identityProvider?.issuer ?? '') ? m.identityProvider!.issuer : null,
    })),
  };
}

/** The app's persisted documents (SHA-256 → text), when the app is built. */
export function readAppDocuments(dir: string): Map<string, string> {
  const file = join(dir, 'persisted-documents.json');
  if (!existsSync(file)) return new Map();
  return new Map(Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>));
}

/** Routes before /graphql: outside production, a browser asking for a page gets the app's GraphiQL. */
export function graphiqlRoute(options: WebAppOptions): Router {
  const router = Router();
  const page = join(resolve(options.dir), 'index.html');
  if (options.production || !existsSync(page)) return router;
  router.get('/graphql', (req, res, next) => {
    if (!wantsPage(req)) return next();
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(page);
  });
  return router;
}

/** Routes after everything else: the app's files, and its page for any other path it routes itself. */
export function webAppRoutes(options: WebAppOptions): Router {
  const router = Router();
  const dir = resolve(options.dir);
  const config = webAppConfig(options.network, options.clientId);
  router.get('/app-config.json', (_req, res) => {
    res.setHeader('cache-control', 'no-cache');
    res.json(config);
  });
  if (!existsSync(join(dir, 'index.html'))) return router;
  // Hashed file names under assets/ never change; the page itself is always revalidated.
  router.use('/assets', express.static(join(dir, 'assets'), { immutable: true, maxAge: '1y', index: false }));
  router.use(express.static(dir, { index: false, maxAge: 0 }));
  router.get(/^\/(?!graphql|health|metrics|reports).*/, (req, res, next) => {
    if (!req.accepts('html')) return next();
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(join(dir, 'index.html'));
  });
  return router;
}

const wantsPage = (req: Request) => req.accepts(['json', 'html']) === 'html';
