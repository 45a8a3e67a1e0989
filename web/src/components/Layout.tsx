// Every signed-in page: a skip link, the header with navigation, language
// and the person, and the main landmark the skip link leads to.
import { Button, Field, Label, Select, SkipLink } from '@digdir/designsystemet-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { useSession } from '../auth/session';
import { chooseLanguage, LANGUAGES, type Language } from '../i18n';
import { useMunicipalityName } from './municipalities';

export function Layout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { user, signOut } = useSession();
  const nameOf = useMunicipalityName();
  return (
    <>
      <SkipLink href="#main">{t('app.skipToContent')}</SkipLink>
      <header className="app-header">
        <nav aria-label={t('app.nav')}>
          <ul>
            <li>
              <NavLink to="/assignments" end>
                {t('list.title')}
              </NavLink>
            </li>
            <li>
              <NavLink to="/assignments/new">{t('list.propose')}</NavLink>
            </li>
            {user && mayReadFigures(user.permissions) && (
              <>
                <li>
                  <NavLink to="/reconciliations">{t('reconciliation.nav')}</NavLink>
                </li>
                <li>
                  <NavLink to="/overview">{t('overview.nav')}</NavLink>
                </li>
              </>
            )}
            {user?.permissions.includes('auditor') && (
              <li>
                <NavLink to="/audit">{t('audit.nav')}</NavLink>
              </li>
            )}
          </ul>
        </nav>
        <div className="app-user">
          {user && (
            <span>
              {t('app.signedInAs', { name: user.name, municipality: nameOf(user.municipality) })} (
              {user.permissions.map((p) => t(`permission.${p}`, { defaultValue: p })).join(', ')})
            </span>
          )}
          <LanguagePicker />
          <Button variant="secondary" data-size="sm" onClick={() => void signOut()}>
            {t('app.signOut')}
          </Button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

export function LanguagePicker() {
  const { t, i18n } = useTranslation();
  return (
    <Field>
      <Label htmlFor="language">{t('app.language')}</Label>
      <Select
        id="language"
        data-size="sm"
        width="auto"
        value={i18n.language}
        onChange={(e) => void chooseLanguage(e.target.value as Language)}
      >
        {LANGUAGES.map((language) => (
          <Select.Option key={language} value={language} lang={language}>
            {language === 'sv' ? 'Svenska' : 'English'}
          </Select.Option>
        ))}
      </Select>
    </Field>
  );
}

/**
 * The money and figures are for coordinators, finance officers and auditors
 * (the API's matrix). The network overview is for the same people: the
 * agreement's coordinators and finance officers write the joint evaluation
 * report, so there is no separate manager role.
 */
const mayReadFigures = (permissions: readonly string[]) =>
  ['coordinator', 'finance', 'auditor'].some((p) => permissions.includes(p));
