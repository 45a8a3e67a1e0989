// The demo network's identity providers: one OpenID provider per municipality
// (issuer `<url>/<code>`), all in one process, built on oidc-provider. The
// gateway trusts them through the network file's `identityProvider` entries,
// exactly as it trusts a city's real provider: their JWKS URL, issuer and
// audience. Access tokens are JWTs for the API carrying the person's
// municipality, unit and permissions (`roles`), as a city's provider would.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request, type Response } from 'express';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { SIGNING_ALG, USER_TOKEN_AUDIENCE } from '../../schema/contract/identity';
import { DEMO_PASSWORD, demoUsersOf, type DemoUser } from './users';
import { loginPage, logoutPage } from './pages';

/** The web app's OAuth client id at every demo provider. */
export const WEB_CLIENT_ID = 'avhoppare-web';

/** Access tokens live 15 minutes; the app renews them with a refresh token held in memory. */
const ACCESS_TOKEN_SECONDS = 15 * 60;
const WORKING_DAY_SECONDS = 8 * 3600;

/** Where the app runs in the demo: the gateway and the Vite dev server (npm run dev:web), by either name. */
export function appOrigins(gatewayPort: number, devServerPort = 5173): string[] {
  return [gatewayPort, devServerPort].flatMap((port) => [
    `http://localhost:${port}`,
    `http://127.0.0.1:${port}`,
  ]);
}

export interface DemoIdentityProvidersOptions {
  municipalities: readonly { code: string; name: string }[];
  /** Where the web app runs (the gateway, the Vite dev server): its redirect URIs. */
  appOrigins: readonly string[];
  /** @default 0 (a free port) */
  port?: number;
  /** @default "127.0.0.1" */
  host?: string;
  /** The host name issuers are named with. @default host */
  publicHost?: string;
}

export interface DemoIdentityProviders {
  url: string;
  /** The network file's `identityProvider` entry of a municipality. */
  entryOf(code: string): { issuer: string; audience: string; jwksUrl: string };
  close(): Promise<void>;
}

export async function startDemoIdentityProviders(
  options: DemoIdentityProvidersOptions,
): Promise<DemoIdentityProviders> {
  const host = options.host ?? '127.0.0.1';
  const app = express();
  app.disable('x-powered-by');
  const server = createServer(app);
  await new Promise<void>((done) => server.listen(options.port ?? 0, host, done));
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.publicHost ?? host}:${port}`;
  // The gateway fetches keys at the address it listens on, whatever name the browser uses.
  const localUrl = `http://${host}:${port}`;

  for (const { code, name } of options.municipalities) {
    const issuer = `${url}/${code}`;
    const provider = new Provider(issuer, await providerConfiguration(code, issuer, options.appOrigins));
    // Demo over plain HTTP on loopback; a real provider sits behind TLS.
    provider.proxy = false;
    const users = demoUsersOf(code);
    app.get(`/${code}/interaction/:uid`, (req, res) =>
      interaction(provider, req, res, () => {
        res.type('html').send(loginPage({ municipality: name, users, action: req.originalUrl }));
      }),
    );
    app.post(`/${code}/interaction/:uid`, express.urlencoded({ extended: false }), (req, res) =>
      interaction(provider, req, res, async () => {
        const body = req.body as { username?: string; password?: string };
        const user = users.find((u) => u.username === body.username);
        if (!user || body.password !== DEMO_PASSWORD) {
          res
            .status(401)
            .type('html')
            .send(loginPage({ municipality: name, users, action: req.originalUrl, failed: true }));
          return;
        }
        await provider.interactionFinished(
          req,
          res,
          { login: { accountId: user.username } },
          { mergeWithLastSubmission: false },
        );
      }),
    );
    app.use(`/${code}`, provider.callback());
  }

  return {
    url,
    entryOf: (code) => ({
      issuer: `${url}/${code}`,
      audience: USER_TOKEN_AUDIENCE,
      jwksUrl: `${localUrl}/${code}/jwks`,
    }),
    close: () => closeServer(server),
  };
}

async function interaction(
  provider: Provider,
  req: Request,
  res: Response,
  handle: () => Promise<void> | void,
) {
  try {
    await provider.interactionDetails(req, res);
    await handle();
  } catch {
    // An expired or unknown interaction: start over from the app.
    res.status(400).type('text').send('Inloggningen har gått ut. Gå tillbaka till appen och logga in igen.');
  }
}

async function providerConfiguration(
  code: string,
  issuer: string,
  appOrigins: readonly string[],
): Promise<Configuration> {
  const users = new Map(demoUsersOf(code).map((user) => [user.username, user]));
  const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), alg: SIGNING_ALG, use: 'sig', kid: `demo-${code}` };
  return {
    clients: [
      {
        client_id: WEB_CLIENT_ID,
        // A single-page app: a public client, so PKCE is required.
        token_endpoint_auth_method: 'none',
        application_type: 'web',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: appOrigins.map((origin) => `${origin}/callback`),
        post_logout_redirect_uris: appOrigins.map((origin) => `${origin}/`),
        id_token_signed_response_alg: SIGNING_ALG,
      },
    ],
    jwks: { keys: [signingKey] },
    cookies: {
      keys: [randomBytes(32).toString('hex')],
      // Three providers share one host: each keeps its own cookies.
      names: { session: `_session_${code}`, interaction: `_interaction_${code}`, resume: `_resume_${code}` },
    },
    findAccount: (_ctx, id) => {
      const user = users.get(id);
      return user ? { accountId: id, claims: () => ({ sub: id, ...personClaims(user) }) } : undefined;
    },
    claims: { openid: ['sub'], profile: ['name', 'municipality', 'unit', 'roles'] },
    // The app reads who signed in from the ID token; it has no use for the userinfo endpoint.
    conformIdTokenClaims: false,
    scopes: ['openid', 'profile'],
    // The web app is this network's own client: nothing to consent to.
    loadExistingGrant: (ctx) => firstPartyGrant(ctx),
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    extraTokenClaims: (_ctx, token) => {
      const user = 'accountId' in token ? users.get(token.accountId) : undefined;
      return user ? personClaims(user) : undefined;
    },
    interactions: { url: (_ctx, interaction) => `${issuer}/interaction/${interaction.uid}` },
    ttl: {
      AccessToken: ACCESS_TOKEN_SECONDS,
      IdToken: ACCESS_TOKEN_SECONDS,
      // A working day.
      RefreshToken: WORKING_DAY_SECONDS,
      Session: WORKING_DAY_SECONDS,
      Grant: WORKING_DAY_SECONDS,
      Interaction: 3600,
    },
    features: {
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => USER_TOKEN_AUDIENCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: 'api',
          audience: USER_TOKEN_AUDIENCE,
          accessTokenTTL: ACCESS_TOKEN_SECONDS,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: SIGNING_ALG } },
        }),
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.body = logoutPage(form);
        },
      },
    },
    clientBasedCORS: (_ctx, origin) => appOrigins.includes(origin),
    renderError: (ctx, out) => {
      ctx.type = 'text';
      ctx.body = `Inloggningen misslyckades: ${out.error}`;
    },
  };
}

/** The claims the gateway reads from an access token, as a city's identity provider sets them. */
const personClaims = (user: DemoUser) => ({
  name: user.name,
  municipality: user.municipality,
  unit: user.unit,
  roles: user.permissions,
});

async function firstPartyGrant(ctx: KoaContextWithOIDC) {
  const { oidc } = ctx;
  const clientId = oidc.client!.clientId;
  const grantId = oidc.result?.consent?.grantId ?? oidc.session!.grantIdFor(clientId);
  if (grantId) return oidc.provider.Grant.find(grantId);
  const grant = new oidc.provider.Grant({ clientId, accountId: oidc.session!.accountId });
  grant.addOIDCScope('openid profile');
  grant.addResourceScope(USER_TOKEN_AUDIENCE, 'api');
  await grant.save();
  return grant;
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((done) => server.close(() => done()));
}
