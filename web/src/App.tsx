// Routes: signing in (and the provider's callback), then the assignments, the reconciliations, the network overview and the auditor's log.
import { lazy, Suspense, useMemo } from 'react';
import { Spinner } from '@digdir/designsystemet-react';
import i18next from 'i18next';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { Provider as UrqlProvider } from 'urql';
import { SessionProvider, useSession, type SignedIn } from './auth/session';
import { Layout } from './components/Layout';
import type { AppConfig } from './config';
import { createClient } from './graphql/client';
import { AssignmentsPage } from './pages/AssignmentsPage';
import { CallbackPage } from './pages/CallbackPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { SignInPage } from './pages/SignInPage';

// The list is the first page people see; an assignment and its forms load when opened.
const AssignmentPage = lazy(() =>
  import('./pages/AssignmentPage').then((m) => ({ default: m.AssignmentPage })),
);
const ExplorerPage = lazy(() => import('./pages/ExplorerPage').then((m) => ({ default: m.ExplorerPage })));
const ReconciliationsPage = lazy(() =>
  import('./pages/ReconciliationsPage').then((m) => ({ default: m.ReconciliationsPage })),
);
// The overview carries the chart library: loaded only when opened.
const OverviewPage = lazy(() => import('./pages/OverviewPage').then((m) => ({ default: m.OverviewPage })));
const AuditPage = lazy(() => import('./pages/AuditPage').then((m) => ({ default: m.AuditPage })));
const ProposePage = lazy(() => import('./pages/ProposePage').then((m) => ({ default: m.ProposePage })));

export function App({ config }: { config: AppConfig }) {
  return (
    <BrowserRouter>
      <SessionProvider config={config}>
        <Pages />
      </SessionProvider>
    </BrowserRouter>
  );
}

function Pages() {
  const { user } = useSession();
  return (
    <Routes>
      <Route path="/callback" element={<CallbackPage />} />
      {user ? (
        <Route path="*" element={<SignedInPages user={user} />} />
      ) : (
        <Route path="*" element={<SignInPage />} />
      )}
    </Routes>
  );
}

function SignedInPages({ user }: { user: SignedIn }) {
  const client = useMemo(() => createClient(user.accessToken), [user]);
  return (
    <UrqlProvider value={client}>
      <Routes>
        <Route
          path="/graphql"
          element={
            <Suspense fallback={<Spinner aria-label={i18next.t('app.loading')} />}>
              <ExplorerPage />
            </Suspense>
          }
        />
        <Route path="*" element={<AppPages />} />
      </Routes>
    </UrqlProvider>
  );
}

function AppPages() {
  return (
    <Layout>
      <Suspense fallback={<Spinner aria-label={i18next.t('app.loading')} />}>
        <Routes>
          <Route path="/" element={<Navigate to="/assignments" replace />} />
          <Route path="/assignments" element={<AssignmentsPage />} />
          <Route path="/assignments/new" element={<ProposePage />} />
          <Route path="/assignments/:id" element={<AssignmentPage />} />
          <Route path="/reconciliations" element={<ReconciliationsPage />} />
          <Route path="/overview" element={<OverviewPage />} />
          <Route path="/audit" element={<AuditPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </Suspense>
    </Layout>
  );
}
