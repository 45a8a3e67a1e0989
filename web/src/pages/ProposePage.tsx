// The home municipality proposes an assignment from one of its own cases.
import { Alert, Button, Paragraph, Textfield } from '@digdir/designsystemet-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useSession } from '../auth/session';
import { ChangeRefused, PageHeading, SelectField } from '../components/common';
import { useMunicipalities } from '../components/municipalities';
import { useChange } from '../components/useChange';
import { mayRun } from '../domain/actions';
import { ProposeAssignmentDocument } from '../graphql/operations';

export function ProposePage() {
  const { t } = useTranslation();
  const { user } = useSession();
  const me = user!;
  const navigate = useNavigate();
  const counterparts = useMunicipalities().filter((m) => m.code !== me.municipality);
  const [caseId, setCaseId] = useState('');
  const [receiving, setReceiving] = useState(counterparts[0]?.code ?? '');
  const [beyondAimReason, setBeyondAimReason] = useState('');
  const change = useChange(ProposeAssignmentDocument);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input = {
      caseId: caseId.trim(),
      receivingMunicipality: receiving,
      beyondAimReason: beyondAimReason || null,
    };
    const proposed = await change.run({ input });
    if (proposed) void navigate(`/assignments/${encodeURIComponent(proposed.proposeAssignment.id)}`);
  };

  return (
    <div className="stack">
      <PageHeading title={t('forms.propose.title')}>{t('forms.propose.title')}</PageHeading>
      {!mayRun('withdraw', me) ? (
        <Alert data-color="info">{t('errors.forbidden')}</Alert>
      ) : (
        <form onSubmit={(e) => void submit(e)} className="stack">
          <Paragraph>{t('forms.propose.intro')}</Paragraph>
          <Textfield
            label={t('forms.propose.caseId')}
            value={caseId}
            required
            onChange={(e) => setCaseId(e.target.value)}
          />
          <SelectField
            label={t('forms.propose.receiving')}
            value={receiving}
            onChange={setReceiving}
            options={counterparts.map((m) => ({ value: m.code, label: `${m.name} (${m.code})` }))}
          />
          <Textfield
            label={t('forms.propose.beyondAimReason')}
            value={beyondAimReason}
            onChange={(e) => setBeyondAimReason(e.target.value)}
          />
          <ChangeRefused problems={change.problems} />
          <Button type="submit" aria-disabled={change.fetching}>
            {change.fetching ? t('forms.saving') : t('forms.propose.submit')}
          </Button>
        </form>
      )}
    </div>
  );
}
