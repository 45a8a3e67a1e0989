// The municipality's assignments across all cities, newest change first,
// with filters and keyset paging; a banner names any city that did not answer.
import { Button, Paragraph, Table } from '@digdir/designsystemet-react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useClient } from 'urql';
import { useSession, type SignedIn } from '../auth/session';
import { ChangeRefused, PageHeading, SelectField, StatusTag, UnavailableBanner } from '../components/common';
import { useMunicipalities, useMunicipalityName } from '../components/municipalities';
import { attentionOf, type AssignmentStatus } from '../domain/actions';
import { filterFor, type Direction } from '../domain/filters';
import { problemsOf, type Problems } from '../domain/errors';
import { formatDateTime } from '../domain/format';
import type { AssignmentFilter, AssignmentListQuery } from '../gql/graphql';
import { AssignmentListDocument } from '../graphql/operations';

const PAGE_SIZE = 20;
const STATUSES: AssignmentStatus[] = [
  'PROPOSED',
  'ACCEPTED',
  'ACTIVE',
  'DECLINED',
  'WITHDRAWN',
  'COMPLETED',
  'TERMINATED',
];

export function AssignmentsPage() {
  const { t } = useTranslation();
  const { user } = useSession();
  const nameOf = useMunicipalityName();
  const municipalities = useMunicipalities();
  const [params, setParams] = useSearchParams();
  const direction = (params.get('direction') ?? 'all') as Direction;
  const status = params.get('status') ?? '';
  const counterpart = direction === 'all' ? '' : (params.get('counterpart') ?? '');
  const me = user!;
  const filter = useMemo(
    () => filterFor(me.municipality, direction, status, counterpart),
    [me.municipality, direction, status, counterpart],
  );

  const set = (key: string, value: string) =>
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );

  return (
    <div className="stack">
      <PageHeading title={t('list.title')}>{t('list.title')}</PageHeading>
      <fieldset className="filters">
        <legend className="visually-hidden">{t('list.filters')}</legend>
        <SelectField
          label={t('list.direction')}
          value={direction}
          onChange={(v) => set('direction', v === 'all' ? '' : v)}
          options={[
            { value: 'all', label: t('list.directionAll') },
            { value: 'sent', label: t('list.directionSent') },
            { value: 'received', label: t('list.directionReceived') },
          ]}
        />
        <SelectField
          label={t('list.status')}
          value={status}
          onChange={(v) => set('status', v)}
          options={[
            { value: '', label: t('list.statusAll') },
            ...STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) })),
          ]}
        />
        {direction !== 'all' && (
          <SelectField
            label={t('list.counterpart')}
            value={counterpart}
            onChange={(v) => set('counterpart', v)}
            options={[
              { value: '', label: t('list.counterpartAll') },
              ...municipalities
                .filter((m) => m.code !== me.municipality)
                .map((m) => ({ value: m.code, label: `${m.name} (${m.code})` })),
            ]}
          />
        )}
      </fieldset>
      <AssignmentTable
        filter={filter}
        me={me}
        caption={t('list.caption', { municipality: nameOf(me.municipality) })}
      />
    </div>
  );
}

type Row = NonNullable<AssignmentListQuery['assignments']>['edges'][number]['node'];

interface Listing {
  rows: Row[];
  endCursor: string | null;
  hasNextPage: boolean;
  fetching: boolean;
  unavailable: string[];
  problems: Problems | null;
}

/**
 * The list, page by page: "show more" asks for the page after the last
 * cursor and appends it. Cities that did not answer for any page are named.
 */
function useListing(filter: AssignmentFilter) {
  const client = useClient();
  const [listing, setListing] = useState<Listing>({
    rows: [],
    endCursor: null,
    hasNextPage: false,
    fetching: true,
    unavailable: [],
    problems: null,
  });
  const load = useCallback(
    async (after: string | null) => {
      setListing((l) => ({ ...l, fetching: true }));
      const result = await client
        .query(AssignmentListDocument, { filter, first: PAGE_SIZE, after })
        .toPromise();
      const problems = problemsOf(result.error);
      const connection = result.data?.assignments;
      setListing((l) => ({
        rows: [...(after ? l.rows : []), ...(connection?.edges.map((e) => e.node) ?? [])],
        endCursor: connection?.pageInfo.endCursor ?? null,
        hasNextPage: connection?.pageInfo.hasNextPage ?? false,
        fetching: false,
        unavailable: [...new Set([...(after ? l.unavailable : []), ...problems.unavailable])],
        problems: problems.other ? problems : null,
      }));
    },
    [client, filter],
  );
  useEffect(() => {
    void load(null);
  }, [load]);
  return { listing, showMore: () => void load(listing.endCursor) };
}

function AssignmentTable({
  filter,
  me,
  caption,
}: {
  filter: AssignmentFilter;
  me: SignedIn;
  caption: string;
}) {
  const { t } = useTranslation();
  const { listing, showMore } = useListing(filter);
  const { rows } = listing;
  return (
    <>
      <UnavailableBanner codes={listing.unavailable} />
      <ChangeRefused problems={listing.problems} />
      <div className="table-scroll">
        <Table zebra data-size="md">
          <caption>{caption}</caption>
          <Table.Head>
            <Table.Row>
              <Table.HeaderCell>{t('list.columns.assignment')}</Table.HeaderCell>
              <Table.HeaderCell>{t('list.columns.direction')}</Table.HeaderCell>
              <Table.HeaderCell>{t('list.columns.status')}</Table.HeaderCell>
              <Table.HeaderCell>{t('list.columns.updated')}</Table.HeaderCell>
              <Table.HeaderCell>{t('list.columns.attention')}</Table.HeaderCell>
            </Table.Row>
          </Table.Head>
          <Table.Body>
            {rows.map((row) => (
              <AssignmentRow key={row.id} row={row} me={me} />
            ))}
          </Table.Body>
        </Table>
      </div>
      <Paragraph role="status">
        {listing.fetching
          ? t('app.loading')
          : rows.length === 0
            ? t('list.empty')
            : t('list.shown', { count: rows.length })}
      </Paragraph>
      {listing.hasNextPage && !listing.fetching && (
        <Button variant="secondary" onClick={showMore}>
          {t('list.showMore')}
        </Button>
      )}
    </>
  );
}

function AssignmentRow({ row, me }: { row: Row; me: SignedIn }) {
  const { t } = useTranslation();
  const nameOf = useMunicipalityName();
  const sent = row.homeMunicipality === me.municipality;
  const attention = attentionOf(row, me);
  return (
    <Table.Row>
      <Table.Cell>
        <Link to={`/assignments/${encodeURIComponent(row.id)}`} aria-label={t('list.open', { id: row.id })}>
          {row.id}
        </Link>
      </Table.Cell>
      <Table.Cell>
        {sent
          ? t('list.sent', { municipality: nameOf(row.receivingMunicipality) })
          : t('list.received', { municipality: nameOf(row.homeMunicipality) })}
      </Table.Cell>
      <Table.Cell>
        <StatusTag status={row.status} />
      </Table.Cell>
      <Table.Cell>{formatDateTime(row.updatedAt)}</Table.Cell>
      <Table.Cell>
        {attention.length > 0 && (
          <ul className="attention">
            {attention.map((a) => (
              <li key={a}>
                <strong>{t(`attention.${a}`)}</strong>
              </li>
            ))}
          </ul>
        )}
      </Table.Cell>
    </Table.Row>
  );
}
