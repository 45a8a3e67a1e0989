// The gateway's side of the web app: the sign-in configuration it serves,
// GraphiQL only outside production, and known documents sent by hash alone.
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { resolvePersistedDocuments } from '../../../gateway/hardening/trustedDocuments';
import { graphiqlRoute, webAppConfig, webAppRoutes } from '../../../gateway/web/webApp';
import type { NetworkConfig } from '../../../schema/contract/network';

const network: NetworkConfig = {
  municipalities: [
    {
      code: '0180',
      name: 'Stockholm',
      url: 'http://127.0.0.1:4101',
      identityProvider: { issuer: 'https://login.example/0180', jwksUrl: 'https://login.example/0180/jwks' },
    },
    { code: '1480', name: 'Göteborg', url: 'http://127.0.0.1:4102' },
  ],
};

const builtApp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'web-app-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>app</title>');
  return dir;
};

const servers: { close(): void }[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

async function serve(app: express.Express): Promise<string> {
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((done) => server.once('listening', done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function gatewayLike(production: boolean, dir = builtApp()) {
  const options = { dir, network, clientId: 'avhoppare-web', production };
  const app = express();
  app.use(graphiqlRoute(options));
  app.post('/graphql', express.json(), (req, res) => res.json({ body: req.body as unknown }));
  app.get('/graphql', (_req, res) => res.status(400).json({ errors: [{ message: 'GET needs a query' }] }));
  app.use(webAppRoutes(options));
  return app;
}

describe('the web app at the gateway', () => {
  it('names the identity provider of each municipality that has a sign-in, and no other', () => {
    expect(webAppConfig(network, 'avhoppare-web')).toEqual({
      clientId: 'avhoppare-web',
      municipalities: [
        { code: '0180', name: 'Stockholm', authority: 'https://login.example/0180' },
        { code: '1480', name: 'Göteborg', authority: null },
      ],
    });
  });

  it('serves the app for its own paths on the origin of /graphql', async () => {
    const url = await serve(gatewayLike(true));
    const page = await fetch(`${url}/assignments/asg:0180:1480:x`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>app</title>');
    expect(await (await fetch(`${url}/app-config.json`)).json()).toMatchObject({ clientId: 'avhoppare-web' });
  });

  it('opens GraphiQL for a browser at /graphql outside production only', async () => {
    const development = await serve(gatewayLike(false));
    const production = await serve(gatewayLike(true));
    const asBrowser = { headers: { accept: 'text/html,application/xhtml+xml' } };
    expect(await (await fetch(`${development}/graphql`, asBrowser)).text()).toContain('<title>app</title>');
    expect((await fetch(`${production}/graphql`, asBrowser)).status).toBe(400);
    // A client asking for JSON always reaches GraphQL.
    expect((await fetch(`${development}/graphql`, { headers: { accept: 'application/json' } })).status).toBe(
      400,
    );
  });
});

describe('documents sent by hash alone', () => {
  const text = 'query AssignmentList { assignments { edges { cursor } } }';
  const hash = createHash('sha256').update(text).digest('hex');

  async function echo() {
    const app = express();
    app.use(express.json(), resolvePersistedDocuments(new Map([[hash, text]])));
    app.post('/graphql', (req, res) => res.json(req.body));
    return serve(app);
  }

  const send = async (url: string, body: object) =>
    (await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then((r) => r.json())) as Record<string, unknown>;

  it('fills in the text of a known document and drops the hash', async () => {
    const url = await echo();
    const body = await send(url, { extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
    expect(body).toEqual({ query: text, extensions: {} });
  });

  it('leaves unknown hashes and requests with text alone', async () => {
    const url = await echo();
    const unknown = { extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } };
    expect(await send(url, unknown)).toEqual(unknown);
    const withText = { query: '{ x }', extensions: { persistedQuery: { version: 1, sha256Hash: hash } } };
    expect(await send(url, withText)).toEqual(withText);
  });
});
