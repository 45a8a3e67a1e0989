// The agreement a figures page shows: one of the caller's agreements, the
// newest term first (the current one by default), kept in the URL.
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { useSession } from '../auth/session';
import { formatDate } from '../domain/format';
import { AgreementsDocument } from '../graphql/operations';

export function useAgreementChoice() {
  const me = useSession().user!;
  const [params, setParams] = useSearchParams();
  const [agreements] = useQuery({ query: AgreementsDocument });
  const mine = useMemo(
    () =>
      (agreements.data?.agreements ?? [])
        .filter((a) => a.parties.some((p) => p.code === me.municipality))
        .sort((a, b) => b.validFrom.localeCompare(a.validFrom)),
    [agreements.data, me.municipality],
  );
  return {
    agreements,
    mine,
    chosen: params.get('agreement') ?? mine[0]?.id ?? '',
    choose: (agreement: string) => setParams({ agreement }, { replace: true }),
    options: mine.map((a) => ({
      value: a.id,
      label: `${a.name} (${formatDate(a.validFrom)} – ${formatDate(a.validTo)})`,
    })),
  };
}
