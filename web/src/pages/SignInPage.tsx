// Before signing in: choose the municipality, then its identity provider signs you in.
import { Alert, Button, Paragraph } from '@digdir/designsystemet-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/session';
import { PageHeading, SelectField } from '../components/common';
import { LanguagePicker } from '../components/Layout';

export function SignInPage() {
  const { t } = useTranslation();
  const { config, signIn } = useSession();
  const available = config.municipalities.filter((m) => m.authority);
  const [municipality, setMunicipality] = useState(available[0]?.code ?? '');
  const [failed, setFailed] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    signIn(municipality).catch(() => {
      setFailed(true);
      setBusy(false);
    });
  };

  return (
    <>
      <header className="app-header">
        <span>{t('app.title')}</span>
        <LanguagePicker />
      </header>
      <main id="main" className="stack">
        <PageHeading title={t('signIn.title')}>{t('signIn.title')}</PageHeading>
        <Paragraph>{t('signIn.intro')}</Paragraph>
        {failed && (
          <Alert data-color="danger" role="alert">
            {t('signIn.failed')}
          </Alert>
        )}
        {config.municipalities
          .filter((m) => !m.authority)
          .map((m) => (
            <Alert key={m.code} data-color="info">
              {t('signIn.notConfigured', { municipality: m.name })}
            </Alert>
          ))}
        <form onSubmit={submit} className="stack">
          <SelectField
            label={t('signIn.municipality')}
            value={municipality}
            onChange={setMunicipality}
            options={available.map((m) => ({ value: m.code, label: `${m.name} (${m.code})` }))}
          />
          <Button type="submit" disabled={!municipality || busy}>
            {t('signIn.submit')}
          </Button>
        </form>
      </main>
    </>
  );
}
