// One assignment: both parties, its events, the plan and its history,
// costs, follow-ups, a children alert nobody can miss, why details are
// withheld when they are, and the forms for what this person may do now.
import { Alert, Heading, Paragraph, Spinner, Table } from '@digdir/designsystemet-react';
import { useEffect, useRef, type ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useQuery } from 'urql';
import { useSession, type SignedIn } from '../auth/session';
import {
  AcknowledgeChildrenAlertForm,
  CompleteFollowUpForms,
  CompleteForm,
  ConfirmFollowUpForms,
  ConsultForm,
  CostForm,
  DecideForm,
  DeliveryForm,
  PlanForm,
  RaiseChildrenAlertForm,
  RequestTerminationForm,
  RespondForm,
  ScheduleFollowUpForm,
  TerminateForm,
  WithdrawForm,
  type Assignment,
} from '../components/ActionForms';
import { ChangeRefused, PageHeading, StatusTag, UnavailableBanner } from '../components/common';
import { useMunicipalityName } from '../components/municipalities';
import { availableActions, partyOf, type Action } from '../domain/actions';
import { problemsOf } from '../domain/errors';
import { formatDate, formatDateTime, formatKronor } from '../domain/format';
import { changesOnTheirWay, pendingReloadDelayMs } from '../domain/pending';
import { AssignmentDocument } from '../graphql/operations';

const FORMS: Record<Action, ComponentType<{ assignment: Assignment; onDone: () => void }>> = {
  withdraw: WithdrawForm,
  respond: RespondForm,
  proposePlan: PlanForm,
  consultPlan: ConsultForm,
  decidePlan: DecideForm,
  recordDelivery: DeliveryForm,
  recordCost: CostForm,
  scheduleFollowUp: ScheduleFollowUpForm,
  confirmFollowUp: ConfirmFollowUpForms,
  completeFollowUp: CompleteFollowUpForms,
  raiseChildrenAlert: RaiseChildrenAlertForm,
  acknowledgeChildrenAlert: AcknowledgeChildrenAlertForm,
  complete: CompleteForm,
  terminate: TerminateForm,
  requestTermination: RequestTerminationForm,
};

export function AssignmentPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { user } = useSession();
  const [result, refetch] = useQuery({ query: AssignmentDocument, variables: { id } });
  const problems = problemsOf(result.error);
  const assignment = result.data?.assignment;
  const reload = () => refetch({ requestPolicy: 'network-only' });
  useReloadWhilePending(assignment ? changesOnTheirWay(assignment) : false, result.fetching, reload);

  return (
    <div className="stack">
      <Paragraph>
        <Link to="/assignments">{t('assignment.back')}</Link>
      </Paragraph>
      <PageHeading title={t('assignment.title', { id })}>{t('assignment.title', { id })}</PageHeading>
      <UnavailableBanner codes={problems.unavailable} detail />
      {result.fetching && !assignment && <Spinner aria-label={t('app.loading')} />}
      {!result.fetching && !assignment && !problems.other && problems.unavailable.length === 0 && (
        <Alert data-color="warning">{t('errors.notFound')}</Alert>
      )}
      {problems.other && <ChangeRefused problems={{ rules: [], unavailable: [], other: problems.other }} />}
      {assignment && <AssignmentDetails assignment={assignment} me={user!} reload={reload} />}
    </div>
  );
}

/** Asks again after each answer that still shows a change on its way, sooner at first. */
function useReloadWhilePending(pending: boolean, fetching: boolean, reload: () => void) {
  const rounds = useRef(0);
  const latestReload = useRef(reload);
  latestReload.current = reload;
  useEffect(() => {
    if (!pending) {
      rounds.current = 0;
      return;
    }
    if (fetching) return;
    const timer = setTimeout(() => latestReload.current(), pendingReloadDelayMs(rounds.current++));
    return () => clearTimeout(timer);
  }, [pending, fetching]);
}

function AssignmentDetails({
  assignment: a,
  me,
  reload,
}: {
  assignment: Assignment;
  me: SignedIn;
  reload: () => void;
}) {
  const { t } = useTranslation();
  const nameOf = useMunicipalityName();
  const party = partyOf(a, me);
  const actions = availableActions(a, me);
  const you = (code: string) => (code === me.municipality ? ` ${t('assignment.you')}` : '');
  return (
    <>
      {a.childrenAlert && <ChildrenAlertBanner alert={a.childrenAlert} />}
      {!a.disclosure.basisInForce && a.disclosure.lapse && (
        <Alert data-color="info">
          <Heading level={2} data-size="xs">
            {t('assignment.withheldTitle')}
          </Heading>
          <Paragraph>
            {t('assignment.withheldIntro')} {t(`lapse.${a.disclosure.lapse}`)}
          </Paragraph>
        </Alert>
      )}
      <section aria-labelledby="parties" className="stack">
        <Heading level={2} data-size="sm" id="parties">
          {t('assignment.parties')}
        </Heading>
        <dl className="grid-2">
          <div>
            <dt>{t('assignment.home')}</dt>
            <dd>
              {nameOf(a.homeMunicipality)} ({a.homeMunicipality}){you(a.homeMunicipality)}
            </dd>
          </div>
          <div>
            <dt>{t('assignment.receiving')}</dt>
            <dd>
              {nameOf(a.receivingMunicipality)} ({a.receivingMunicipality}){you(a.receivingMunicipality)}
            </dd>
          </div>
          <div>
            <dt>{t('assignment.receivingUnit')}</dt>
            <dd>{a.receivingUnit?.name ?? t('assignment.noUnit')}</dd>
          </div>
          <div>
            <dt>{t('assignment.status')}</dt>
            <dd>
              <StatusTag status={a.status} />
            </dd>
          </div>
        </dl>
        {a.pendingAtReceiving && <PendingNote pending={a.pendingAtReceiving} />}
        {a.pendingAtHome && <PendingNote pending={a.pendingAtHome} />}
      </section>
      <Timeline assignment={a} />
      <PlanSection assignment={a} />
      <CostsSection assignment={a} />
      <FollowUpsSection assignment={a} />
      <section aria-labelledby="actions" className="stack">
        <Heading level={2} data-size="sm" id="actions">
          {t('assignment.actions')}
        </Heading>
        {party && actions.length === 0 && <Paragraph>{t('assignment.noActions')}</Paragraph>}
        {actions.map((action) => {
          const Form = FORMS[action];
          return <Form key={action} assignment={a} onDone={reload} />;
        })}
      </section>
    </>
  );
}

function ChildrenAlertBanner({ alert }: { alert: NonNullable<Assignment['childrenAlert']> }) {
  const { t } = useTranslation();
  const nameOf = useMunicipalityName();
  const yesNo = (v: boolean) => (v ? t('assignment.yes') : t('assignment.no'));
  return (
    <Alert data-color="danger" className="children-alert" role="alert">
      <Heading level={2} data-size="sm">
        {t('assignment.childrenAlertTitle')}
      </Heading>
      <Paragraph>
        {t('assignment.childrenAlertBody', {
          municipality: nameOf(alert.raisedBy),
          date: formatDateTime(alert.raisedAt),
        })}
      </Paragraph>
      <ul>
        <li>{t('assignment.acknowledgedByHome', { answer: yesNo(alert.acknowledgedByHome) })}</li>
        <li>{t('assignment.acknowledgedByReceiving', { answer: yesNo(alert.acknowledgedByReceiving) })}</li>
      </ul>
    </Alert>
  );
}

function PendingNote({ pending }: { pending: { waitingFor: string; count: number; since: string } }) {
  const { t } = useTranslation();
  const nameOf = useMunicipalityName();
  return (
    <Paragraph>
      {t('assignment.pending', {
        count: pending.count,
        municipality: nameOf(pending.waitingFor),
        date: formatDateTime(pending.since),
      })}
    </Paragraph>
  );
}

function Timeline({ assignment: a }: { assignment: Assignment }) {
  const { t } = useTranslation();
  const events: { at: string; text: string }[] = [{ at: a.proposedAt, text: t('assignment.proposedAt') }];
  if (a.respondedAt)
    events.push({
      at: a.respondedAt,
      text: `${t('assignment.respondedAt')}: ${t(`status.${a.status === 'DECLINED' ? 'DECLINED' : 'ACCEPTED'}`)}`,
    });
  for (const plan of [...(a.planHistory ?? [])].reverse()) {
    const version = { version: plan.version };
    events.push({ at: plan.proposedAt, text: t('assignment.event.planProposed', version) });
    if (plan.consultedAt)
      events.push({ at: plan.consultedAt, text: t('assignment.event.planConsulted', version) });
    if (plan.decidedAt) events.push({ at: plan.decidedAt, text: t('assignment.event.planDecided', version) });
  }
  if (a.terminationRequest)
    events.push({
      at: a.terminationRequest.requestedAt,
      text: t('assignment.terminationRequest', {
        date: formatDateTime(a.terminationRequest.requestedAt),
        reason: t(`terminationReason.${a.terminationRequest.reason}`),
      }),
    });
  if (a.withdrawnAt) events.push({ at: a.withdrawnAt, text: t('assignment.withdrawnAt') });
  if (a.endedAt)
    events.push({ at: a.endedAt, text: `${t('assignment.endedAt')}: ${t(`status.${a.status}`)}` });
  events.sort((x, y) => x.at.localeCompare(y.at));
  return (
    <section aria-labelledby="timeline" className="stack">
      <Heading level={2} data-size="sm" id="timeline">
        {t('assignment.timeline')}
      </Heading>
      <ol>
        {events.map((e, i) => (
          <li key={i}>
            <time dateTime={e.at}>{formatDateTime(e.at)}</time> – {e.text}
          </li>
        ))}
      </ol>
      {a.status === 'PROPOSED' && a.answerDueOn && (
        <Paragraph>
          {t('assignment.answerDueOn')}: <time dateTime={a.answerDueOn}>{formatDate(a.answerDueOn)}</time>
          {a.overdue && <strong> – {t('attention.overdue')}</strong>}
        </Paragraph>
      )}
      {a.declineReason && (
        <Paragraph>
          {t('assignment.declineReason', { reason: t(`declineReason.${a.declineReason}`) })}
        </Paragraph>
      )}
      {a.terminationReason && (
        <Paragraph>
          {t('assignment.terminationReason', { reason: t(`terminationReason.${a.terminationReason}`) })}
        </Paragraph>
      )}
      {a.beyondAimReason && <Paragraph>{t('assignment.beyondAim', { reason: a.beyondAimReason })}</Paragraph>}
    </section>
  );
}

type Plan = NonNullable<Assignment['planSummary']>;

function PlanTable({ plan, deliveries }: { plan: Plan; deliveries: Assignment['deliveries'] }) {
  const { t } = useTranslation();
  const deliveryOf = (id: string) => deliveries.find((d) => d.planItemId === id)?.status;
  return (
    <div className="table-scroll">
      <Table data-size="sm">
        <caption>{t('assignment.planCaption', { version: plan.version })}</caption>
        <Table.Head>
          <Table.Row>
            <Table.HeaderCell>{t('assignment.item.category')}</Table.HeaderCell>
            <Table.HeaderCell>{t('assignment.item.period')}</Table.HeaderCell>
            <Table.HeaderCell>{t('assignment.item.extent')}</Table.HeaderCell>
            <Table.HeaderCell>{t('assignment.item.estimatedCost')}</Table.HeaderCell>
            <Table.HeaderCell>{t('assignment.item.consultation')}</Table.HeaderCell>
            <Table.HeaderCell>{t('assignment.item.decided')}</Table.HeaderCell>
            <Table.HeaderCell>{t('assignment.item.delivery')}</Table.HeaderCell>
          </Table.Row>
        </Table.Head>
        <Table.Body>
          {plan.items.map((item) => {
            const delivery = deliveryOf(item.id);
            return (
              <Table.Row key={item.id}>
                <Table.Cell>{t(`category.${item.category}`)}</Table.Cell>
                <Table.Cell>
                  {formatDate(item.plannedFrom)} – {formatDate(item.plannedTo)}
                </Table.Cell>
                <Table.Cell>
                  {item.extent.quantity} {t(`extentUnit.${item.extent.unit}`)}
                </Table.Cell>
                <Table.Cell>{formatKronor(item.estimatedCost.amount)}</Table.Cell>
                <Table.Cell>
                  {item.consultation ? t(`consultation.${item.consultation}`) : t('assignment.notAnswered')}
                  {item.cannotDeliverReason && ` (${t(`cannotDeliverReason.${item.cannotDeliverReason}`)})`}
                </Table.Cell>
                <Table.Cell>{item.decided ? t('assignment.yes') : t('assignment.no')}</Table.Cell>
                <Table.Cell>{delivery ? t(`deliveryStatus.${delivery}`) : '–'}</Table.Cell>
              </Table.Row>
            );
          })}
        </Table.Body>
      </Table>
    </div>
  );
}

function PlanSection({ assignment: a }: { assignment: Assignment }) {
  const { t } = useTranslation();
  const plan = a.planSummary;
  const earlier = (a.planHistory ?? []).filter((p) => p.version !== plan?.version);
  return (
    <section aria-labelledby="plan" className="stack">
      <Heading level={2} data-size="sm" id="plan">
        {t('assignment.plan')}
      </Heading>
      {!plan ? (
        a.disclosure.basisInForce && <Paragraph>{t('assignment.noPlan')}</Paragraph>
      ) : (
        <>
          <Paragraph>
            {t('assignment.planVersion', { version: plan.version, status: t(`planStatus.${plan.status}`) })}.{' '}
            {t('assignment.planProposedAt', { date: formatDateTime(plan.proposedAt) })}
            {plan.consultedAt &&
              `, ${t('assignment.planConsultedAt', { date: formatDateTime(plan.consultedAt) })}`}
            {plan.decidedAt && `, ${t('assignment.planDecidedAt', { date: formatDateTime(plan.decidedAt) })}`}
            .
          </Paragraph>
          <PlanTable plan={plan} deliveries={a.deliveries} />
          <Paragraph>
            {t('assignment.estimatedTotal', { amount: formatKronor(plan.estimatedTotal.amount) })}
          </Paragraph>
        </>
      )}
      {earlier.length > 0 && (
        <details>
          <summary>{t('assignment.planHistory')}</summary>
          {earlier.map((p) => (
            <div key={p.version} className="stack">
              <Paragraph>
                {t('assignment.planVersion', { version: p.version, status: t(`planStatus.${p.status}`) })}
              </Paragraph>
              <PlanTable plan={p} deliveries={a.deliveries} />
            </div>
          ))}
        </details>
      )}
    </section>
  );
}

function CostsSection({ assignment: a }: { assignment: Assignment }) {
  const { t } = useTranslation();
  const costs = a.costs;
  return (
    <section aria-labelledby="costs" className="stack">
      <Heading level={2} data-size="sm" id="costs">
        {t('assignment.costs')}
      </Heading>
      {!costs || costs.entries.length === 0 ? (
        <Paragraph>{t('assignment.noCosts')}</Paragraph>
      ) : (
        <div className="table-scroll">
          <Table data-size="sm">
            <caption>{t('assignment.costsCaption')}</caption>
            <Table.Head>
              <Table.Row>
                <Table.HeaderCell>{t('assignment.costDate')}</Table.HeaderCell>
                <Table.HeaderCell>{t('assignment.item.category')}</Table.HeaderCell>
                <Table.HeaderCell>{t('assignment.costAmount')}</Table.HeaderCell>
              </Table.Row>
            </Table.Head>
            <Table.Body>
              {costs.entries.map((entry) => (
                <Table.Row key={entry.id}>
                  <Table.Cell>{formatDate(entry.date)}</Table.Cell>
                  <Table.Cell>{t(`category.${entry.category}`)}</Table.Cell>
                  <Table.Cell>{formatKronor(entry.amount.amount)}</Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
            <tfoot>
              <Table.Row>
                <Table.HeaderCell colSpan={2}>{t('assignment.costTotal')}</Table.HeaderCell>
                <Table.Cell>{formatKronor(costs.total.amount)}</Table.Cell>
              </Table.Row>
              <Table.Row>
                <Table.HeaderCell colSpan={2}>{t('assignment.costReimbursed')}</Table.HeaderCell>
                <Table.Cell>{formatKronor(costs.reimbursed.amount)}</Table.Cell>
              </Table.Row>
              <Table.Row>
                <Table.HeaderCell colSpan={2}>{t('assignment.costNet')}</Table.HeaderCell>
                <Table.Cell>{formatKronor(costs.net.amount)}</Table.Cell>
              </Table.Row>
            </tfoot>
          </Table>
        </div>
      )}
    </section>
  );
}

function FollowUpsSection({ assignment: a }: { assignment: Assignment }) {
  const { t } = useTranslation();
  const followUps = a.followUps ?? [];
  if (!a.disclosure.basisInForce && followUps.length === 0) return null;
  return (
    <section aria-labelledby="follow-ups" className="stack">
      <Heading level={2} data-size="sm" id="follow-ups">
        {t('assignment.followUps')}
      </Heading>
      {followUps.length === 0 ? (
        <Paragraph>{t('assignment.noFollowUps')}</Paragraph>
      ) : (
        <Table data-size="sm">
          <Table.Head>
            <Table.Row>
              <Table.HeaderCell>{t('assignment.followUpDate')}</Table.HeaderCell>
              <Table.HeaderCell>{t('assignment.followUpConfirmed')}</Table.HeaderCell>
              <Table.HeaderCell>{t('assignment.followUpDone')}</Table.HeaderCell>
            </Table.Row>
          </Table.Head>
          <Table.Body>
            {followUps.map((f) => (
              <Table.Row key={f.id}>
                <Table.Cell>{formatDate(f.scheduledFor)}</Table.Cell>
                <Table.Cell>{f.receivingConfirmed ? t('assignment.yes') : t('assignment.no')}</Table.Cell>
                <Table.Cell>
                  {f.completed
                    ? f.done
                      ? t('assignment.yes')
                      : t('assignment.no')
                    : t('assignment.followUpPending')}
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
    </section>
  );
}
