// The auditor's view of their own city's logs, read through the gateway's
// own-city route (the only address the app talks to): the disclosure log
// (who in another municipality was served what, on which basis, under which
// trace), the access log of the city's own staff, whether both hash chains
// hold, and the checkpoints of them the other cities hold. Another city's
// log cannot be asked for: the route answers from the person's own city.
import { Button, Heading, Paragraph, Table, Tag, Textfield } from '@digdir/designsystemet-react';
import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { Provider as UrqlProvider, useQuery } from 'urql';
import { createAuditClient } from '../audit/client';
import type { CaseAccessLogQuery, DisclosureLogQuery, LogIntegrityQuery } from '../audit/gql/graphql';
import { CaseAccessLogDocument, DisclosureLogDocument, LogIntegrityDocument } from '../audit/operations';
import { useSession } from '../auth/session';
import { ChangeRefused, PageHeading, SelectField } from '../components/common';
import { useMunicipalities, useMunicipalityName } from '../components/municipalities';
import {
  basisLines,
  FILTER_KEYS,
  filtersOf,
  isTraceId,
  logVariables,
  type LogFilters,
} from '../domain/auditLog';
import { problemsOf } from '../domain/errors';
import { formatDateTime } from '../domain/format';

const PAGE_SIZE = 20;

type Log = 'disclosure' | 'access';

export function AuditPage() {
  const { t } = useTranslation();
  const me = useSession().user!;
  const client = useMemo(() => createAuditClient(me.accessToken), [me]);
  const nameOf = useMunicipalityName();
  const [params, setParams] = useSearchParams();
  const log: Log = params.get('log') === 'access' ? 'access' : 'disclosure';
  const filters = filtersOf(params);
  const apply = (next: Partial<LogFilters> & { log?: Log }) => {
    const merged = { ...filters, log, ...next };
    setParams(
      Object.fromEntries(
        Object.entries(merged).filter(([key, value]) => value && !(key === 'log' && value === 'disclosure')),
      ),
    );
  };
  return (
    <UrqlProvider value={client}>
      <div className="stack">
        <PageHeading title={t('audit.title')}>{t('audit.title')}</PageHeading>
        <Paragraph>{t('audit.intro', { municipality: nameOf(me.municipality) })}</Paragraph>
        <Integrity />
        <section className="stack" aria-labelledby="audit-log-heading">
          <Heading level={2} data-size="md" id="audit-log-heading">
            {t('audit.entries')}
          </Heading>
          <div role="group" aria-label={t('audit.whichLog')} className="log-choice">
            {(['disclosure', 'access'] as const).map((choice) => (
              <Button
                key={choice}
                variant={choice === log ? 'primary' : 'secondary'}
                aria-pressed={choice === log}
                onClick={() => apply({ log: choice })}
              >
                {t(`audit.logs.${choice}`)}
              </Button>
            ))}
          </div>
          <Filters key={params.toString()} log={log} filters={filters} onApply={apply} />
          {log === 'disclosure' ? (
            <DisclosureLog filters={filters} onTrace={(trace) => apply({ trace })} />
          ) : (
            <AccessLog filters={filters} onTrace={(trace) => apply({ trace })} />
          )}
        </section>
      </div>
    </UrqlProvider>
  );
}

/** The filters as a form: applied together, so each keystroke does not ask the city. */
function Filters({
  log,
  filters,
  onApply,
}: {
  log: Log;
  filters: LogFilters;
  onApply: (filters: LogFilters) => void;
}) {
  const { t } = useTranslation();
  const me = useSession().user!;
  const municipalities = useMunicipalities();
  const [draft, setDraft] = useState(filters);
  const set = (key: keyof LogFilters) => (value: string) => setDraft((d) => ({ ...d, [key]: value }));
  const traceInvalid = draft.trace !== '' && !isTraceId(draft.trace.trim().toLowerCase());
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!traceInvalid) onApply(draft);
  };
  const cleared = Object.fromEntries(FILTER_KEYS.map((key) => [key, ''])) as unknown as LogFilters;
  return (
    <form onSubmit={submit} className="stack">
      <fieldset className="filters">
        <legend className="visually-hidden">{t('audit.filters')}</legend>
        {log === 'disclosure' && (
          <>
            <SelectField
              label={t('audit.counterpart')}
              value={draft.counterpart}
              onChange={set('counterpart')}
              options={[
                { value: '', label: t('audit.counterpartAll') },
                ...municipalities
                  .filter((m) => m.code !== me.municipality)
                  .map((m) => ({ value: m.code, label: `${m.name} (${m.code})` })),
              ]}
            />
            <Textfield
              label={t('audit.assignment')}
              value={draft.assignment}
              onChange={(e) => set('assignment')(e.target.value)}
            />
          </>
        )}
        <Textfield
          label={t('audit.trace')}
          value={draft.trace}
          spellCheck={false}
          error={traceInvalid ? t('audit.traceInvalid') : undefined}
          onChange={(e) => set('trace')(e.target.value)}
        />
        <Textfield
          label={t('audit.from')}
          type="date"
          value={draft.from}
          onChange={(e) => set('from')(e.target.value)}
        />
        <Textfield
          label={t('audit.to')}
          type="date"
          value={draft.to}
          onChange={(e) => set('to')(e.target.value)}
        />
      </fieldset>
      <div className="log-choice">
        <Button type="submit">{t('audit.filter')}</Button>
        <Button type="button" variant="tertiary" onClick={() => onApply(cleared)}>
          {t('audit.clear')}
        </Button>
      </div>
    </form>
  );
}

/**
 * Pages by sequence: the next page starts after the last entry shown; the
 * way back is the list of where earlier pages started.
 */
function usePaging(filters: string) {
  // Other filters start again at the first page.
  const [state, setState] = useState({ filters, starts: [0] });
  const starts = state.filters === filters ? state.starts : [0];
  return {
    after: starts.at(-1) ?? 0,
    page: starts.length,
    next: (lastSequence: number) => setState({ filters, starts: [...starts, lastSequence] }),
    previous: () => setState({ filters, starts: starts.length > 1 ? starts.slice(0, -1) : starts }),
  };
}

function Pager({
  page,
  hasNext,
  onNext,
  onPrevious,
}: {
  page: number;
  hasNext: boolean;
  onNext: () => void;
  onPrevious: () => void;
}) {
  const { t } = useTranslation();
  return (
    <nav aria-label={t('audit.paging')} className="log-choice">
      <Button variant="secondary" disabled={page === 1} onClick={onPrevious}>
        {t('audit.previous')}
      </Button>
      <span aria-live="polite">{t('audit.page', { page })}</span>
      <Button variant="secondary" disabled={!hasNext} onClick={onNext}>
        {t('audit.next')}
      </Button>
    </nav>
  );
}

function TraceLink({ traceId, onTrace }: { traceId: string; onTrace: (trace: string) => void }) {
  const { t } = useTranslation();
  return (
    <Link
      to={`?trace=${traceId}`}
      className="trace-id"
      aria-label={t('audit.followTrace', { trace: traceId })}
      onClick={(event) => {
        event.preventDefault();
        onTrace(traceId);
      }}
    >
      <code>{traceId}</code>
    </Link>
  );
}

type DisclosureEntry = DisclosureLogQuery['disclosureLog'][number];

function DisclosureLog({ filters, onTrace }: { filters: LogFilters; onTrace: (trace: string) => void }) {
  const { t } = useTranslation();
  const variables = logVariables(filters);
  const paging = usePaging(JSON.stringify(variables));
  const [result] = useQuery({
    query: DisclosureLogDocument,
    variables: { ...variables, after: paging.after, first: PAGE_SIZE },
  });
  const rows = result.data?.disclosureLog ?? [];
  return (
    <LogTable
      caption={t('audit.disclosureCaption')}
      fetching={result.fetching}
      error={result.error}
      count={rows.length}
      columns={['at', 'who', 'what', 'assignments', 'basis', 'trace']}
      pager={
        <Pager
          page={paging.page}
          hasNext={rows.length === PAGE_SIZE}
          onNext={() => paging.next(rows.at(-1)!.sequence)}
          onPrevious={paging.previous}
        />
      }
    >
      {rows.map((entry) => (
        <DisclosureRow key={entry.sequence} entry={entry} onTrace={onTrace} />
      ))}
    </LogTable>
  );
}

function DisclosureRow({ entry, onTrace }: { entry: DisclosureEntry; onTrace: (trace: string) => void }) {
  const { t } = useTranslation();
  const nameOf = useMunicipalityName();
  return (
    <Table.Row data-sequence={entry.sequence}>
      <Table.Cell>
        {formatDateTime(entry.at)}
        <br />
        <small>#{entry.sequence}</small>
      </Table.Cell>
      <Table.Cell>
        {nameOf(entry.municipality)} ({entry.municipality})
        <br />
        <small>
          {[entry.unit ?? t('audit.noUnit'), roles(t, entry.permissions), entry.subject].join(' · ')}
        </small>
      </Table.Cell>
      <Table.Cell>
        {entry.operation}
        <br />
        <small>{t(`audit.kind.${entry.kind}`, { defaultValue: entry.kind })}</small>
      </Table.Cell>
      <Table.Cell>
        <IdList ids={entry.assignments} />
      </Table.Cell>
      <Table.Cell>
        <ul className="plain-list">
          {basisLines(entry.basis).map((line) => (
            <li key={line.subject}>
              {line.subject && line.subject !== 'reply' && <code>{line.subject}</code>}{' '}
              {line.subject === 'reply'
                ? t('audit.reply', { reply: line.state })
                : t(`audit.basis.${line.state}`, {
                    defaultValue: line.state,
                    lapse: t(`audit.lapse.${line.lapse}`, { defaultValue: line.lapse ?? '' }),
                  })}
            </li>
          ))}
        </ul>
      </Table.Cell>
      <Table.Cell>
        <TraceLink traceId={entry.traceId} onTrace={onTrace} />
      </Table.Cell>
    </Table.Row>
  );
}

type AccessEntry = CaseAccessLogQuery['caseAccessLog'][number];

function AccessLog({ filters, onTrace }: { filters: LogFilters; onTrace: (trace: string) => void }) {
  const { t } = useTranslation();
  const { traceId, from, to } = logVariables(filters);
  const paging = usePaging(JSON.stringify([traceId, from, to]));
  const [result] = useQuery({
    query: CaseAccessLogDocument,
    variables: { traceId, from, to, after: paging.after, first: PAGE_SIZE },
  });
  const rows = result.data?.caseAccessLog ?? [];
  return (
    <LogTable
      caption={t('audit.accessCaption')}
      fetching={result.fetching}
      error={result.error}
      count={rows.length}
      columns={['at', 'who', 'what', 'cases', 'fields', 'trace']}
      pager={
        <Pager
          page={paging.page}
          hasNext={rows.length === PAGE_SIZE}
          onNext={() => paging.next(rows.at(-1)!.sequence)}
          onPrevious={paging.previous}
        />
      }
    >
      {rows.map((entry) => (
        <AccessRow key={entry.sequence} entry={entry} onTrace={onTrace} />
      ))}
    </LogTable>
  );
}

function AccessRow({ entry, onTrace }: { entry: AccessEntry; onTrace: (trace: string) => void }) {
  const { t } = useTranslation();
  return (
    <Table.Row data-sequence={entry.sequence}>
      <Table.Cell>
        {formatDateTime(entry.at)}
        <br />
        <small>#{entry.sequence}</small>
      </Table.Cell>
      <Table.Cell>
        {entry.subject}
        <br />
        <small>{[entry.unit ?? t('audit.noUnit'), roles(t, entry.permissions)].join(' · ')}</small>
      </Table.Cell>
      <Table.Cell>
        {entry.operation}
        <br />
        <small>{t(`audit.kind.${entry.kind}`, { defaultValue: entry.kind })}</small>
      </Table.Cell>
      <Table.Cell>
        <IdList ids={entry.cases} />
      </Table.Cell>
      <Table.Cell>
        <small>{entry.fields.join(', ')}</small>
      </Table.Cell>
      <Table.Cell>
        <TraceLink traceId={entry.traceId} onTrace={onTrace} />
      </Table.Cell>
    </Table.Row>
  );
}

function LogTable({
  caption,
  fetching,
  error,
  count,
  columns,
  pager,
  children,
}: {
  caption: string;
  fetching: boolean;
  error: Parameters<typeof problemsOf>[0];
  count: number;
  columns: string[];
  pager: ReactNode;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const problems = problemsOf(error);
  return (
    <>
      <ChangeRefused problems={problems.other ? problems : null} />
      <div className="table-scroll">
        <Table zebra data-size="sm">
          <caption>{caption}</caption>
          <Table.Head>
            <Table.Row>
              {columns.map((column) => (
                <Table.HeaderCell key={column}>{t(`audit.columns.${column}`)}</Table.HeaderCell>
              ))}
            </Table.Row>
          </Table.Head>
          <Table.Body>{children}</Table.Body>
        </Table>
      </div>
      <Paragraph role="status">
        {fetching ? t('app.loading') : count === 0 ? t('audit.empty') : t('audit.shown', { count })}
      </Paragraph>
      {pager}
    </>
  );
}

function IdList({ ids }: { ids: readonly string[] }) {
  const { t } = useTranslation();
  if (ids.length === 0) return <>{t('audit.none')}</>;
  return (
    <ul className="plain-list">
      {ids.map((id) => (
        <li key={id}>
          <code>{id}</code>
        </li>
      ))}
    </ul>
  );
}

const roles = (t: (key: string, options?: { defaultValue: string }) => string, permissions: string[]) =>
  permissions.map((p) => t(`permission.${p}`, { defaultValue: p })).join(', ') || '–';

type Verification = LogIntegrityQuery['disclosureLogVerification'];

/** Whether the chains hold, and what the other cities' checkpoints of them say. */
function Integrity() {
  const { t } = useTranslation();
  const nameOf = useMunicipalityName();
  const [result] = useQuery({ query: LogIntegrityDocument });
  const problems = problemsOf(result.error);
  const data = result.data;
  return (
    <section className="stack" aria-labelledby="audit-integrity-heading">
      <Heading level={2} data-size="md" id="audit-integrity-heading">
        {t('audit.integrity')}
      </Heading>
      <ChangeRefused problems={problems.other ? problems : null} />
      {result.fetching && !data && <Paragraph role="status">{t('app.loading')}</Paragraph>}
      {data && (
        <>
          <dl className="facts">
            <ChainStatus label={t('audit.logs.disclosure')} verification={data.disclosureLogVerification} />
            <ChainStatus label={t('audit.logs.access')} verification={data.caseAccessLogVerification} />
          </dl>
          <div className="table-scroll">
            <Table data-size="sm">
              <caption>{t('audit.checkpointsCaption')}</caption>
              <Table.Head>
                <Table.Row>
                  <Table.HeaderCell>{t('audit.checkpoints.holder')}</Table.HeaderCell>
                  <Table.HeaderCell>{t('audit.checkpoints.log')}</Table.HeaderCell>
                  <Table.HeaderCell className="number">{t('audit.checkpoints.checked')}</Table.HeaderCell>
                  <Table.HeaderCell>{t('audit.checkpoints.result')}</Table.HeaderCell>
                </Table.Row>
              </Table.Head>
              <Table.Body>
                {data.logCheckpoints.map((c) => (
                  <Table.Row key={`${c.holder}:${c.log}`}>
                    <Table.HeaderCell scope="row">
                      {nameOf(c.holder)} ({c.holder})
                    </Table.HeaderCell>
                    <Table.Cell>{t(`audit.logs.${c.log}`, { defaultValue: c.log })}</Table.Cell>
                    <Table.Cell className="number">{c.checked}</Table.Cell>
                    <Table.Cell>
                      {c.error ? (
                        <Tag data-color="warning">
                          {t('audit.checkpoints.unanswered', { error: c.error })}
                        </Tag>
                      ) : c.firstMismatch ? (
                        <Tag data-color="danger">
                          {t('audit.checkpoints.mismatch', {
                            sequence: c.firstMismatch.sequence,
                            status: t(`audit.checkpoints.status.${c.firstMismatch.status}`),
                          })}
                        </Tag>
                      ) : c.checked === 0 ? (
                        t('audit.checkpoints.noneYet')
                      ) : (
                        <Tag data-color="success">{t('audit.checkpoints.match')}</Tag>
                      )}
                    </Table.Cell>
                  </Table.Row>
                ))}
              </Table.Body>
            </Table>
          </div>
          {data.logCheckpoints.length === 0 && <Paragraph>{t('audit.checkpoints.none')}</Paragraph>}
        </>
      )}
    </section>
  );
}

function ChainStatus({ label, verification: v }: { label: string; verification: Verification }) {
  const { t } = useTranslation();
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid="chain-status" data-ok={v.ok}>
        {v.ok ? (
          <Tag data-color="success">{t('audit.chainOk')}</Tag>
        ) : (
          <Tag data-color="danger">{t('audit.chainBroken', { sequence: v.firstBrokenSequence })}</Tag>
        )}{' '}
        {t('audit.checked', { count: v.checked })}
        {v.anchor && (
          <>
            {' '}
            {t('audit.anchor', { sequence: v.anchor.sequence })} <code className="hash">{v.anchor.hash}</code>
          </>
        )}
      </dd>
    </>
  );
}
