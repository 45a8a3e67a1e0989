// The six-monthly cost reconciliations (rule 8) of the caller's municipality:
// per counterpart and period both sides' costs, the deviation against the
// threshold, the equalisation payment and each party's position. Finance
// officers confirm or decline from here; a settled period is final.
import { Heading, Paragraph, Table, Tag, Textfield } from '@digdir/designsystemet-react';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { useSession, type SignedIn } from '../auth/session';
import { ActionForm } from '../components/ActionForms';
import { ChangeRefused, PageHeading, SelectField, UnavailableBanner } from '../components/common';
import { useMunicipalityName } from '../components/municipalities';
import { useAgreementChoice } from '../components/useAgreementChoice';
import { useChange } from '../components/useChange';
import { problemsOf } from '../domain/errors';
import { formatDate, formatDateTime, formatKronor } from '../domain/format';
import {
  actionsOf,
  barLengths,
  byCounterpart,
  formatShare,
  paymentOf,
  type ReconciliationStatus,
} from '../domain/reconciliation';
import type { DocumentType } from '../gql';
import type { ReconciliationFieldsFragment } from '../graphql/operations';
import {
  ConfirmReconciliationDocument,
  DeclineReconciliationDocument,
  ReconciliationsDocument,
} from '../graphql/operations';

type Reconciliation = DocumentType<typeof ReconciliationFieldsFragment>;

const STATUS_COLOR: Record<ReconciliationStatus, string> = {
  OPEN: 'info',
  CONFIRMED_BY_ONE: 'accent',
  SETTLED: 'success',
  DISPUTED: 'warning',
};

export function ReconciliationsPage() {
  const { t } = useTranslation();
  const me = useSession().user!;
  const { agreements, mine, chosen, choose, options } = useAgreementChoice();
  return (
    <div className="stack">
      <PageHeading title={t('reconciliation.title')}>{t('reconciliation.title')}</PageHeading>
      <Paragraph>{t('reconciliation.intro')}</Paragraph>
      <ChangeRefused problems={agreements.error ? problemsOf(agreements.error) : null} />
      {mine.length > 0 && (
        <SelectField
          label={t('reconciliation.agreement')}
          value={chosen}
          onChange={choose}
          options={options}
        />
      )}
      {agreements.fetching && <Paragraph role="status">{t('app.loading')}</Paragraph>}
      {!agreements.fetching && mine.length === 0 && !agreements.error && (
        <Paragraph role="status">{t('reconciliation.noAgreement')}</Paragraph>
      )}
      {chosen && <Reconciliations agreement={chosen} me={me} />}
    </div>
  );
}

function Reconciliations({ agreement, me }: { agreement: string; me: SignedIn }) {
  const { t } = useTranslation();
  const nameOf = useMunicipalityName();
  const [result, refetch] = useQuery({ query: ReconciliationsDocument, variables: { agreement } });
  const problems = problemsOf(result.error);
  const rows = result.data?.evaluationReport.reconciliations ?? [];
  const groups = byCounterpart(rows, me.municipality);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  return (
    <>
      <UnavailableBanner codes={problems.unavailable} detail />
      <ChangeRefused problems={problems.other ? problems : null} />
      <Paragraph role="status">
        {result.fetching && !result.data
          ? t('app.loading')
          : rows.length === 0
            ? t('reconciliation.empty')
            : t('reconciliation.shown', { count: rows.length })}
      </Paragraph>
      {groups.map(([counterpart, periods]) => (
        <section key={counterpart} className="stack reconciliation-counterpart">
          <Heading level={2} data-size="md">
            {t('reconciliation.with', { municipality: `${nameOf(counterpart)} (${counterpart})` })}
          </Heading>
          {periods.map((r) => (
            <Period key={`${r.agreementId}:${r.period}`} reconciliation={r} me={me} onDone={reload} />
          ))}
        </section>
      ))}
    </>
  );
}

function Period({
  reconciliation: r,
  me,
  onDone,
}: {
  reconciliation: Reconciliation;
  me: SignedIn;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const nameOf = useMunicipalityName();
  const id = useId();
  const title = t('reconciliation.period', {
    period: r.period,
    from: formatDate(r.periodFrom),
    to: formatDate(r.periodTo),
  });
  const payment = paymentOf(r, me.municipality);
  const actions = actionsOf(r, me.municipality, me.permissions);
  const named = (code: string) => `${nameOf(code)} (${code})`;
  return (
    <article className="stack reconciliation" aria-labelledby={id} data-status={r.status}>
      <Heading level={3} data-size="sm" id={id}>
        {title}
      </Heading>
      <Paragraph>
        <Tag data-color={STATUS_COLOR[r.status]}>{t(`reconciliation.status.${r.status}`)}</Tag>{' '}
        {r.settled && t('reconciliation.final')}
      </Paragraph>
      <div className="table-scroll">
        <Table data-size="sm">
          <caption>
            {t('reconciliation.caption', {
              period: r.period,
              counterpart: nameOf(r.between.find((m) => m !== me.municipality) ?? ''),
            })}
          </caption>
          <Table.Head>
            <Table.Row>
              <Table.HeaderCell>{t('reconciliation.columns.party')}</Table.HeaderCell>
              <Table.HeaderCell className="number">{t('reconciliation.columns.gross')}</Table.HeaderCell>
              <Table.HeaderCell className="number">{t('reconciliation.columns.reimbursed')}</Table.HeaderCell>
              <Table.HeaderCell className="number">{t('reconciliation.columns.net')}</Table.HeaderCell>
              <Table.HeaderCell className="number">{t('reconciliation.columns.deviation')}</Table.HeaderCell>
            </Table.Row>
          </Table.Head>
          <Table.Body>
            {r.sides.map((side) => (
              <Table.Row key={side.municipality}>
                <Table.HeaderCell scope="row">{named(side.municipality)}</Table.HeaderCell>
                <Table.Cell className="number">{formatKronor(side.gross.amount)}</Table.Cell>
                <Table.Cell className="number">{formatKronor(side.reimbursed.amount)}</Table.Cell>
                <Table.Cell className="number">{formatKronor(side.costsBorne.amount)}</Table.Cell>
                <Table.Cell className="number">{formatKronor(side.deviation.amount)}</Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      </div>
      <CostChart reconciliation={r} named={named} />
      <dl className="facts">
        <dt>{t('reconciliation.total')}</dt>
        <dd>{formatKronor(r.total.amount)}</dd>
        <dt>{t('reconciliation.relativeDeviation')}</dt>
        <dd>{formatShare(r.relativeDeviation)}</dd>
        <dt>{t('reconciliation.threshold')}</dt>
        <dd>{formatShare(r.threshold)}</dd>
        <dt>{t('reconciliation.equalisation')}</dt>
        <dd data-testid="equalisation">
          {payment.kind === 'none'
            ? t('reconciliation.noEqualisation')
            : t('reconciliation.pays', {
                payer: named(payment.payer),
                payee: named(payment.payee),
                amount: formatKronor(payment.amount),
              })}
        </dd>
      </dl>
      {!r.settled && r.counterpartyAgrees !== true && (
        <Paragraph data-testid="figures-check">
          {t(
            r.counterpartyAgrees === false
              ? 'reconciliation.figuresDiffer'
              : 'reconciliation.figuresUnanswered',
            {
              party: named(r.between[1] ?? ''),
            },
          )}
        </Paragraph>
      )}
      <Heading level={4} data-size="2xs">
        {t('reconciliation.positions')}
      </Heading>
      <ul className="positions">
        {r.between.map((party) => {
          const declined = r.declinedBy.find((d) => d.municipality === party);
          return (
            <li key={party}>
              <strong>{named(party)}:</strong>{' '}
              {r.confirmedBy.includes(party)
                ? t('reconciliation.confirmed')
                : declined
                  ? t('reconciliation.declined', { at: formatDateTime(declined.at), reason: declined.reason })
                  : t('reconciliation.undecided')}
            </li>
          );
        })}
      </ul>
      {actions.confirm && <ConfirmForm reconciliation={r} title={title} onDone={onDone} />}
      {actions.decline && <DeclineForm reconciliation={r} title={title} onDone={onDone} />}
    </article>
  );
}

const keyOf = (r: Reconciliation) => ({ between: r.between, period: r.period, agreement: r.agreementId });

function ConfirmForm({
  reconciliation,
  title,
  onDone,
}: {
  reconciliation: Reconciliation;
  title: string;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const change = useChange(ConfirmReconciliationDocument, onDone);
  return (
    <ActionForm
      title={t('reconciliation.confirmTitle', { period: title })}
      submit={t('reconciliation.confirm')}
      {...change}
      onSubmit={() => void change.run(keyOf(reconciliation))}
    >
      <Paragraph>{t('reconciliation.confirmHelp')}</Paragraph>
    </ActionForm>
  );
}

function DeclineForm({
  reconciliation,
  title,
  onDone,
}: {
  reconciliation: Reconciliation;
  title: string;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const change = useChange(DeclineReconciliationDocument, onDone);
  return (
    <ActionForm
      title={t('reconciliation.declineTitle', { period: title })}
      submit={t('reconciliation.decline')}
      danger
      {...change}
      onSubmit={() => void change.run({ ...keyOf(reconciliation), reason })}
    >
      <Textfield
        label={t('reconciliation.reason')}
        value={reason}
        required
        onChange={(e) => setReason(e.target.value)}
      />
    </ActionForm>
  );
}

/**
 * Each side's net costs as bars, each labelled with its party and amount,
 * the second side hatched: readable without colour. The table above holds
 * the same figures for screen readers, so the picture is hidden from them.
 */
function CostChart({
  reconciliation: r,
  named,
}: {
  reconciliation: Reconciliation;
  named: (code: string) => string;
}) {
  const { t } = useTranslation();
  const lengths = barLengths(r.sides.map((s) => s.costsBorne.amount));
  return (
    <figure className="cost-chart" aria-hidden="true">
      <figcaption>{t('reconciliation.chart')}</figcaption>
      {r.sides.map((side, i) => (
        <div key={side.municipality} className="cost-chart-row">
          <span>{named(side.municipality)}</span>
          <span className="cost-chart-track">
            <span
              className={i % 2 === 0 ? 'cost-chart-bar' : 'cost-chart-bar hatched'}
              style={{ width: `${(lengths[i] ?? 0) / 10}%` }}
            />
          </span>
          <span className="number">{formatKronor(side.costsBorne.amount)}</span>
        </div>
      ))}
    </figure>
  );
}
