// The network overview: the figures the agreement's coordinators and finance
// officers put in their joint evaluation report (there is no separate manager
// role). The balance against the aims, assignments per direction by status,
// costs per period and per intervention; each section a chart and a table of
// the same figures. Printed, the page is the report; the CSV is the gateway's.
import { Button, Heading, Paragraph } from '@digdir/designsystemet-react';
import { useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { useSession } from '../auth/session';
import { ChangeRefused, PageHeading, SelectField, UnavailableBanner } from '../components/common';
import { FigureChart } from '../components/FigureChart';
import { FigureTable, type FigureTableRow } from '../components/FigureTable';
import { useMunicipalityName } from '../components/municipalities';
import { useAgreementChoice } from '../components/useAgreementChoice';
import { problemsOf, type Problems } from '../domain/errors';
import { formatKronor, stockholmToday } from '../domain/format';
import {
  amountOf,
  byDirection,
  describeFigure,
  DIRECTION_STATUSES,
  figureOf,
  mapFigure,
  type ChartSeries,
  type Figure,
  type FigureRow,
  type Suppressible,
} from '../domain/overview';
import type { NetworkOverviewQuery } from '../gql/graphql';
import { NetworkOverviewDocument } from '../graphql/operations';
import { downloadEvaluationReport } from './evaluationReportDownload';

type Report = NetworkOverviewQuery['evaluationReport'];
type Balance = NetworkOverviewQuery['networkBalance'][number];
type Quota = Balance['sendingQuota'];

const MONEY_COLUMNS = ['assignments', 'gross', 'reimbursed', 'net'] as const;

export function OverviewPage() {
  const { t } = useTranslation();
  const me = useSession().user!;
  const { agreements, mine, chosen, choose, options } = useAgreementChoice();
  return (
    <div className="stack overview">
      <PageHeading title={t('overview.title')}>{t('overview.title')}</PageHeading>
      <Paragraph>{t('overview.intro')}</Paragraph>
      <ChangeRefused problems={agreements.error ? problemsOf(agreements.error) : null} />
      {mine.length > 0 && (
        <div className="overview-controls">
          <SelectField label={t('overview.agreement')} value={chosen} onChange={choose} options={options} />
          {chosen && <ReportActions agreement={chosen} accessToken={me.accessToken} />}
        </div>
      )}
      {agreements.fetching && <Paragraph role="status">{t('app.loading')}</Paragraph>}
      {!agreements.fetching && mine.length === 0 && !agreements.error && (
        <Paragraph role="status">{t('overview.noAgreement')}</Paragraph>
      )}
      {chosen && <Overview agreement={chosen} nameOf={(id) => mine.find((a) => a.id === id)?.name ?? id} />}
    </div>
  );
}

/** Download the gateway's CSV as the signed-in user, and print the page as the report. */
function ReportActions({ agreement, accessToken }: { agreement: string; accessToken: () => string }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<Problems | null>(null);
  const download = async () => {
    setBusy(true);
    setProblems(null);
    setProblems(await downloadEvaluationReport(agreement, accessToken()));
    setBusy(false);
  };
  return (
    <>
      <div className="overview-actions">
        <Button variant="secondary" onClick={() => void download()} disabled={busy}>
          {busy ? t('overview.downloading') : t('overview.download')}
        </Button>
        <Button variant="secondary" onClick={() => window.print()}>
          {t('overview.print')}
        </Button>
      </div>
      {problems && (
        <div className="stack">
          <Paragraph role="alert">{t('overview.downloadFailed')}</Paragraph>
          <ChangeRefused problems={problems} />
        </div>
      )}
    </>
  );
}

function Overview({ agreement, nameOf }: { agreement: string; nameOf: (agreement: string) => string }) {
  const { t } = useTranslation();
  const [result] = useQuery({ query: NetworkOverviewDocument, variables: { agreement } });
  const problems = problemsOf(result.error);
  const data = result.data;
  const minimum = data?.agreement?.minimumCellCount ?? 0;
  return (
    <>
      <UnavailableBanner codes={problems.unavailable} detail />
      <ChangeRefused problems={problems.other ? problems : null} />
      {result.fetching && !data && <Paragraph role="status">{t('app.loading')}</Paragraph>}
      {data && (
        <>
          <header className="print-only report-title">
            <Heading level={2} data-size="md">
              {t('overview.reportTitle', { agreement: data.agreement?.name ?? agreement })}
            </Heading>
            <Paragraph>{t('overview.printedOn', { date: stockholmToday() })}</Paragraph>
          </header>
          <Paragraph id="withheld-rule" data-size="sm">
            {t('overview.withheldRule', { minimum })}
          </Paragraph>
          <BalanceSection rows={data.networkBalance} agreementName={nameOf} />
          <DirectionsSection report={data.evaluationReport} />
          <DirectionsByPeriodSection report={data.evaluationReport} />
          <CostsByPeriodSection report={data.evaluationReport} />
          <CostsByCategorySection report={data.evaluationReport} />
          <ReconciliationsSection report={data.evaluationReport} />
        </>
      )}
    </>
  );
}

/** The words for withheld and absent figures, and the writing of counts and amounts. */
function useDescribe() {
  const { t } = useTranslation();
  const words = { withheld: t('overview.withheld'), absent: t('overview.absent') };
  const text = (figure: Figure<string>) => describeFigure(figure, (v) => v, words);
  const chart = (figure: Figure<number> | Figure<string>) =>
    describeFigure<number | string>(
      figure,
      (v) => (typeof v === 'number' ? String(v) : formatKronor(v)),
      words,
    );
  return { text, chart };
}

const countText = (figure: Figure<number>) => mapFigure(figure, String);
const kronorText = (figure: Figure<string>) => mapFigure(figure, formatKronor);

function Section(props: { title: string; intro: string; empty: string | null; children: ReactNode }) {
  const id = useId();
  return (
    <section className="stack overview-section" aria-labelledby={id}>
      <Heading level={2} data-size="md" id={id}>
        {props.title}
      </Heading>
      <Paragraph>{props.intro}</Paragraph>
      {props.empty ? <Paragraph role="status">{props.empty}</Paragraph> : props.children}
    </section>
  );
}

function BalanceSection({
  rows,
  agreementName,
}: {
  rows: readonly Balance[];
  agreementName: (agreement: string) => string;
}) {
  const { t } = useTranslation();
  const nameOf = useMunicipalityName();
  const describe = useDescribe();
  const sorted = [...rows].sort((a, b) => a.municipality.localeCompare(b.municipality));
  const quotaText = (quota: Quota): Figure<string> =>
    quota
      ? { kind: 'shown', value: t(`overview.quota.${quota.kind}`, { max: quota.max }) }
      : { kind: 'absent' };
  const named = (code: string) => `${nameOf(code)} (${code})`;
  const table: FigureTableRow[] = sorted.map((row) => ({
    key: row.municipality,
    header: named(row.municipality),
    cells: {
      sent: countText(figureOf(row, 'sent')),
      sendingQuota: quotaText(row.sendingQuota ?? null),
      received: countText(figureOf(row, 'received')),
      receivingQuota: quotaText(row.receivingQuota ?? null),
      beyondAim: countText(figureOf(row, 'beyondAim')),
      overdueAnswers: countText(figureOf(row, 'overdueAnswers')),
    },
  }));
  const chart: FigureRow[] = sorted.map((row) => ({
    label: named(row.municipality),
    figures: { sent: figureOf(row, 'sent'), received: figureOf(row, 'received') },
  }));
  const series: ChartSeries[] = [
    { key: 'sent', name: t('overview.balance.sent') },
    { key: 'received', name: t('overview.balance.received') },
  ];
  const columns = ['sent', 'sendingQuota', 'received', 'receivingQuota', 'beyondAim', 'overdueAnswers'];
  // The balance is of the term in force now, whichever agreement is chosen above.
  const terms = new Set(sorted.flatMap((r) => (r.agreementId ? [r.agreementId] : [])));
  const agreements = [...terms].map(agreementName).join(', ');
  return (
    <Section
      title={t('overview.balance.title')}
      intro={t('overview.balance.intro', { agreement: agreements || '–' })}
      empty={rows.length === 0 ? t('overview.balance.empty') : null}
    >
      <FigureChart
        name={t('overview.balance.chart')}
        rows={chart}
        series={series}
        describe={describe.chart}
      />
      <FigureTable
        caption={t('overview.balance.caption')}
        rowHeader={t('overview.balance.municipality')}
        columns={columns.map((key) => ({ key, label: t(`overview.balance.${key}`) }))}
        rows={table}
        describe={describe.text}
      />
    </Section>
  );
}

/** "Stockholm → Göteborg": a direction in words. */
function useDirectionName() {
  const { t } = useTranslation();
  const nameOf = useMunicipalityName();
  return (row: { homeMunicipality: string; receivingMunicipality: string }) =>
    t('overview.direction', {
      home: nameOf(row.homeMunicipality),
      receiving: nameOf(row.receivingMunicipality),
    });
}

type StatusRow = Suppressible & Partial<Record<(typeof DIRECTION_STATUSES)[number], number | null>>;

interface ExtraColumn<R> {
  key: string;
  label: string;
  cell: (row: R) => Figure<string>;
}

/** Assignments by their status now: a bar per status and a table, with columns of its own beside. */
function StatusSection<R extends StatusRow>(props: {
  section: 'directions' | 'directionsByPeriod';
  rows: readonly { key: string; label: string; row: R }[];
  /** Columns before and after the statuses. */
  before?: ExtraColumn<R>[];
  after?: ExtraColumn<R>[];
}) {
  const { t } = useTranslation();
  const describe = useDescribe();
  const { section, rows, before = [], after = [] } = props;
  const statusName = (status: string) => t(`status.${status.toUpperCase()}`);
  const statusOf = (row: StatusRow, status: (typeof DIRECTION_STATUSES)[number]) => figureOf(row, status);
  return (
    <Section
      title={t(`overview.${section}.title`)}
      intro={t(`overview.${section}.intro`)}
      empty={rows.length === 0 ? t('overview.directions.empty') : null}
    >
      <FigureChart
        name={t(`overview.${section}.chart`)}
        rows={rows.map(({ label, row }) => ({
          label,
          figures: Object.fromEntries(DIRECTION_STATUSES.map((s) => [s, statusOf(row, s)])),
        }))}
        series={DIRECTION_STATUSES.map((s) => ({ key: s, name: statusName(s) }))}
        describe={describe.chart}
      />
      <FigureTable
        caption={t(`overview.${section}.caption`)}
        rowHeader={t(
          section === 'directions' ? 'overview.directions.direction' : 'overview.costsByPeriod.direction',
        )}
        columns={[...before, ...DIRECTION_STATUSES.map((s) => ({ key: s, label: statusName(s) })), ...after]}
        rows={rows.map(({ key, label, row }) => ({
          key,
          header: label,
          cells: Object.fromEntries([
            ...before.map((c) => [c.key, c.cell(row)] as const),
            ...DIRECTION_STATUSES.map((s) => [s, countText(statusOf(row, s))] as const),
            ...after.map((c) => [c.key, c.cell(row)] as const),
          ]),
        }))}
        describe={describe.text}
      />
    </Section>
  );
}

function DirectionsSection({ report }: { report: Report }) {
  const { t } = useTranslation();
  const directionName = useDirectionName();
  return (
    <StatusSection
      section="directions"
      rows={byDirection(report.directions).map((row) => ({
        key: `${row.homeMunicipality}-${row.receivingMunicipality}`,
        label: directionName(row),
        row,
      }))}
      before={[
        {
          key: 'everProposed',
          label: t('overview.directions.everProposed'),
          cell: (row) => countText(figureOf(row, 'everProposed')),
        },
      ]}
      after={[
        {
          key: 'beyondAim',
          label: t('overview.directions.beyondAim'),
          cell: (row) => countText(figureOf(row, 'beyondAim')),
        },
        {
          key: 'averageDurationDays',
          label: t('overview.directions.averageDurationDays'),
          // Swedish decimals: the API's "12.50" written "12,50".
          cell: (row) => mapFigure(figureOf(row, 'averageDurationDays'), (d) => d.replace('.', ',')),
        },
      ]}
    />
  );
}

/** The same statuses by the period the proposals were made in: how each period's assignments fared. */
function DirectionsByPeriodSection({ report }: { report: Report }) {
  const { t } = useTranslation();
  const nameOf = useMunicipalityName();
  const rows = byDirection(report.directionsByPeriod, (a, b) => a.period - b.period);
  return (
    <StatusSection
      section="directionsByPeriod"
      rows={rows.map((row) => ({
        key: `${row.homeMunicipality}-${row.receivingMunicipality}-${row.period}`,
        label: t('overview.directionPeriod', {
          home: nameOf(row.homeMunicipality),
          receiving: nameOf(row.receivingMunicipality),
          period: row.period,
        }),
        row,
      }))}
    />
  );
}

type CostRow = Report['costsByPeriod'][number] | Report['costsByCategory'][number];

const costCells = (row: CostRow) => ({
  assignments: countText(figureOf(row, 'assignments')),
  gross: kronorText(amountOf(row, 'gross')),
  reimbursed: kronorText(amountOf(row, 'reimbursed')),
  net: kronorText(amountOf(row, 'net')),
});

function CostSection(props: {
  section: 'costsByPeriod' | 'costsByCategory';
  rows: readonly (CostRow & { label: string; key: string })[];
}) {
  const { t } = useTranslation();
  const describe = useDescribe();
  const { section, rows } = props;
  return (
    <Section
      title={t(`overview.${section}.title`)}
      intro={t(`overview.${section}.intro`)}
      empty={rows.length === 0 ? t(`overview.${section}.empty`) : null}
    >
      <FigureChart
        name={t(`overview.${section}.chart`)}
        rows={rows.map((row) => ({ label: row.label, figures: { net: amountOf(row, 'net') } }))}
        series={[{ key: 'net', name: t('overview.columns.net') }]}
        describe={describe.chart}
      />
      <FigureTable
        caption={t(`overview.${section}.caption`)}
        rowHeader={t(`overview.${section}.direction`)}
        columns={MONEY_COLUMNS.map((key) => ({ key, label: t(`overview.columns.${key}`) }))}
        rows={rows.map((row) => ({ key: row.key, header: row.label, cells: costCells(row) }))}
        describe={describe.text}
      />
    </Section>
  );
}

function CostsByPeriodSection({ report }: { report: Report }) {
  const { t } = useTranslation();
  const nameOf = useMunicipalityName();
  const rows = byDirection(report.costsByPeriod, (a, b) => a.period - b.period).map((row) => ({
    ...row,
    key: `${row.homeMunicipality}-${row.receivingMunicipality}-${row.period}`,
    label: t('overview.directionPeriod', {
      home: nameOf(row.homeMunicipality),
      receiving: nameOf(row.receivingMunicipality),
      period: row.period,
    }),
  }));
  return <CostSection section="costsByPeriod" rows={rows} />;
}

function CostsByCategorySection({ report }: { report: Report }) {
  const { t } = useTranslation();
  const nameOf = useMunicipalityName();
  const rows = byDirection(report.costsByCategory, (a, b) => a.category.localeCompare(b.category)).map(
    (row) => ({
      ...row,
      key: `${row.homeMunicipality}-${row.receivingMunicipality}-${row.category}`,
      label: t('overview.directionCategory', {
        home: nameOf(row.homeMunicipality),
        receiving: nameOf(row.receivingMunicipality),
        category: t(`category.${row.category}`),
      }),
    }),
  );
  return <CostSection section="costsByCategory" rows={rows} />;
}

/** The ended periods of the caller's own pairs: the report's record of who paid whom. */
function ReconciliationsSection({ report }: { report: Report }) {
  const { t } = useTranslation();
  const describe = useDescribe();
  const nameOf = useMunicipalityName();
  const rows = [...report.reconciliations].sort(
    (a, b) => a.between.join().localeCompare(b.between.join()) || a.period - b.period,
  );
  const shown = (value: string): Figure<string> => ({ kind: 'shown', value });
  return (
    <Section
      title={t('overview.reconciliations.title')}
      intro={t('overview.reconciliations.intro')}
      empty={rows.length === 0 ? t('overview.reconciliations.empty') : null}
    >
      <FigureTable
        caption={t('overview.reconciliations.caption')}
        rowHeader={t('overview.reconciliations.pair')}
        columns={['dates', 'total', 'equalisation', 'status'].map((key) => ({
          key,
          label: t(`overview.reconciliations.${key}`),
        }))}
        rows={rows.map((row) => ({
          key: `${row.between.join('-')}-${row.period}`,
          header: t('overview.reconciliations.pairPeriod', {
            first: nameOf(row.between[0] ?? ''),
            second: nameOf(row.between[1] ?? ''),
            period: row.period,
          }),
          cells: {
            dates: shown(`${row.periodFrom} – ${row.periodTo}`),
            total: shown(formatKronor(row.total.amount)),
            equalisation: shown(
              row.equalisation
                ? t('reconciliation.pays', {
                    payer: nameOf(row.equalisation.payer),
                    payee: nameOf(row.equalisation.payee),
                    amount: formatKronor(row.equalisation.amount.amount),
                  })
                : t('overview.reconciliations.none'),
            ),
            status: shown(t(`reconciliation.status.${row.status}`)),
          },
        }))}
        describe={describe.text}
      />
    </Section>
  );
}
