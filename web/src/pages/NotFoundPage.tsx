import { Paragraph } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PageHeading } from '../components/common';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <div className="stack">
      <PageHeading title={t('app.notFound')}>{t('app.notFound')}</PageHeading>
      <Paragraph>
        <Link to="/assignments">{t('assignment.back')}</Link>
      </Paragraph>
    </div>
  );
}
