// Back from the identity provider: exchange the code (PKCE) and go where the person was going.
import { Alert, Paragraph, Spinner } from '@digdir/designsystemet-react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useSession } from '../auth/session';

export function CallbackPage() {
  const { t } = useTranslation();
  const { completeSignIn } = useSession();
  const navigate = useNavigate();
  const [failed, setFailed] = useState(false);
  // A code can be exchanged once; StrictMode runs effects twice in development.
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    completeSignIn().then(
      (to) => void navigate(to, { replace: true }),
      () => setFailed(true),
    );
  }, [completeSignIn, navigate]);

  return (
    <main id="main">
      {failed ? (
        <Alert data-color="danger" role="alert">
          <Paragraph>{t('signIn.failed')}</Paragraph>
          <Link to="/">{t('signIn.title')}</Link>
        </Alert>
      ) : (
        <Spinner aria-label={t('app.loading')} />
      )}
    </main>
  );
}
