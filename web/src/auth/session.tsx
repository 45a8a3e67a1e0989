// Signing in: OpenID Connect authorization code flow with PKCE against the
// chosen municipality's identity provider (oidc-client-ts). Tokens are held
// in memory only and renewed with the refresh token before they expire; a
// reload signs in again (the provider remembers its own session). Only the
// sign-in request's state and PKCE verifier wait in sessionStorage across
// the redirect, as oidc-client-ts does by default.
import { InMemoryWebStorage, UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';
import { createContext, use, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { AppConfig } from '../config';

export interface SignedIn {
  name: string;
  municipality: string;
  unit: string | null;
  permissions: string[];
  accessToken: () => string;
}

interface Session {
  config: AppConfig;
  user: SignedIn | null;
  signIn: (municipality: string) => Promise<void>;
  /** Completes a sign-in on the callback page; resolves with where to go next. */
  completeSignIn: () => Promise<string>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

const PENDING_KEY = 'avhoppare.signin.municipality';

export function useSession(): Session {
  const session = use(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

function managerFor(config: AppConfig, municipality: string): UserManager {
  const entry = config.municipalities.find((m) => m.code === municipality);
  if (!entry?.authority) throw new Error(`No identity provider for ${municipality}`);
  const origin = window.location.origin;
  return new UserManager({
    authority: entry.authority,
    client_id: config.clientId,
    redirect_uri: `${origin}/callback`,
    post_logout_redirect_uri: `${origin}/`,
    response_type: 'code',
    scope: 'openid profile',
    userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
    automaticSilentRenew: true,
    loadUserInfo: false,
  });
}

function toSignedIn(user: User, token: { current: string }): SignedIn {
  const p = user.profile as Record<string, unknown>;
  token.current = user.access_token;
  return {
    name: typeof p.name === 'string' ? p.name : user.profile.sub,
    municipality: String(p.municipality),
    unit: typeof p.unit === 'string' ? p.unit : null,
    permissions: Array.isArray(p.roles) ? p.roles.map(String) : [],
    accessToken: () => token.current,
  };
}

export function SessionProvider({ config, children }: { config: AppConfig; children: ReactNode }) {
  const [user, setUser] = useState<SignedIn | null>(null);
  const manager = useRef<UserManager | null>(null);
  const token = useRef('');

  const adopt = useCallback((m: UserManager) => {
    manager.current = m;
    m.events.addUserLoaded((renewed) => {
      token.current = renewed.access_token;
    });
    // Renewal failed or the session ended elsewhere: back to signing in.
    m.events.addSilentRenewError(() => setUser(null));
    m.events.addUserSignedOut(() => setUser(null));
  }, []);

  useEffect(() => () => manager.current?.stopSilentRenew(), []);

  const session = useMemo<Session>(
    () => ({
      config,
      user,
      async signIn(municipality) {
        sessionStorage.setItem(PENDING_KEY, municipality);
        // Back to the very page, its query too: a link to one trace in the log survives signing in.
        const { pathname, search } = window.location;
        const returnTo = pathname === '/' ? '/assignments' : `${pathname}${search}`;
        await managerFor(config, municipality).signinRedirect({ state: returnTo });
      },
      async completeSignIn() {
        const municipality = sessionStorage.getItem(PENDING_KEY);
        sessionStorage.removeItem(PENDING_KEY);
        if (!municipality) throw new Error('No sign-in in progress');
        const m = managerFor(config, municipality);
        const signedIn = await m.signinCallback();
        if (!signedIn) throw new Error('No user');
        adopt(m);
        setUser(toSignedIn(signedIn, token));
        return typeof signedIn.state === 'string' && signedIn.state.startsWith('/')
          ? signedIn.state
          : '/assignments';
      },
      async signOut() {
        const m = manager.current;
        setUser(null);
        if (m) await m.signoutRedirect();
      },
    }),
    [config, user, adopt],
  );

  return <SessionContext value={session}>{children}</SessionContext>;
}
