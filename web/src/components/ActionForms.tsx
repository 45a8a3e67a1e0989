// The forms behind each action on an assignment. Which of them show is
// decided by domain/actions.ts; the cities still check every rule, and a
// refusal shows every broken rule beside the form that caused it.
import { Button, Fieldset, Heading, Paragraph, Radio, Textfield } from '@digdir/designsystemet-react';
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import type { Problems } from '../domain/errors';
import { formatDate, formatKronor, parseKronor, stockholmToday } from '../domain/format';
import type { AssignmentQuery, ExtentUnit, RequestedIntervention } from '../gql/graphql';
import {
  AcknowledgeChildrenAlertDocument,
  CompleteAssignmentDocument,
  CompleteFollowUpDocument,
  ConfirmFollowUpDocument,
  ConsultPlanDocument,
  DecidePlanDocument,
  InterventionOfferDocument,
  ProposePlanDocument,
  RaiseChildrenAlertDocument,
  RecordCostDocument,
  RecordDeliveryDocument,
  RequestTerminationDocument,
  RespondToAssignmentDocument,
  ScheduleFollowUpDocument,
  TerminateAssignmentDocument,
  WithdrawAssignmentDocument,
} from '../graphql/operations';
import { ChangeRefused, SelectField } from './common';
import { useMunicipalityName } from './municipalities';
import { useChange } from './useChange';

export type Assignment = NonNullable<AssignmentQuery['assignment']>;

interface FormProps {
  assignment: Assignment;
  onDone: () => void;
}

const CATEGORIES = [
  'CRISIS_SUPPORT',
  'MOTIVATIONAL_TALKS',
  'SIG_GUIDE_SUPPORT',
  'CONTACT_PERSON',
  'HOUSING_SUPPORT',
  'SUBSTANCE_ABUSE_TREATMENT',
  'BUDGET_AND_DEBT_COUNSELLING',
  'OUTPATIENT_TREATMENT',
  'CRIMINALITY_AS_LIFESTYLE',
  'PSYCHIATRY_CONTACT',
  'WORK_ORIENTED',
] as const;
const EXTENT_UNITS: ExtentUnit[] = [
  'HOURS_PER_WEEK',
  'SESSIONS_PER_WEEK',
  'SESSIONS_PER_MONTH',
  'DAYS_IN_TOTAL',
];
const DECLINE_REASONS = ['NO_CAPACITY', 'NOT_SUITABLE', 'SAFETY', 'OTHER'] as const;
const CANNOT_DELIVER_REASONS = ['NOT_OFFERED', 'NO_CAPACITY', 'NOT_SUITABLE', 'OTHER'] as const;
const TERMINATION_REASONS = [
  'RELAPSE',
  'MOVED',
  'CONSENT_WITHDRAWN',
  'THREAT_CHANGED',
  'CHILDREN',
  'OTHER',
] as const;
const DELIVERY_STATUSES = ['NOT_STARTED', 'ONGOING', 'DELIVERED', 'CANCELLED'] as const;

/** A titled form: its heading names it for screen readers, its refusal stays beside it. */
export function ActionForm(props: {
  title: string;
  submit: string;
  fetching: boolean;
  problems: Problems | null;
  onSubmit: () => void;
  children?: ReactNode;
  danger?: boolean;
}) {
  const id = useId();
  const { t } = useTranslation();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onSubmit();
  };
  return (
    <form aria-labelledby={id} onSubmit={submit} className="stack action-form">
      <Heading level={3} data-size="xs" id={id}>
        {props.title}
      </Heading>
      {props.children}
      <ChangeRefused problems={props.problems} />
      <Button type="submit" data-color={props.danger ? 'danger' : undefined} aria-disabled={props.fetching}>
        {props.fetching ? t('forms.saving') : props.submit}
      </Button>
    </form>
  );
}

export function WithdrawForm({ assignment, onDone }: FormProps) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const change = useChange(WithdrawAssignmentDocument, onDone);
  return (
    <ActionForm
      title={t('forms.withdraw.title')}
      submit={t('forms.withdraw.submit')}
      danger
      {...change}
      onSubmit={() => void change.run({ id: assignment.id, reason })}
    >
      <Textfield
        label={t('forms.withdraw.reason')}
        value={reason}
        required
        onChange={(e) => setReason(e.target.value)}
      />
    </ActionForm>
  );
}

export function RespondForm({ assignment, onDone }: FormProps) {
  const { t } = useTranslation();
  const [decision, setDecision] = useState<'ACCEPT' | 'DECLINE'>('ACCEPT');
  const [declineReason, setDeclineReason] = useState<(typeof DECLINE_REASONS)[number]>('NO_CAPACITY');
  const [note, setNote] = useState('');
  const [beyondAimReason, setBeyondAimReason] = useState('');
  const change = useChange(RespondToAssignmentDocument, onDone);
  const name = useId();
  return (
    <ActionForm
      title={t('forms.respond.title')}
      submit={t('forms.respond.submit')}
      {...change}
      onSubmit={() =>
        void change.run({
          id: assignment.id,
          decision,
          declineReason: decision === 'DECLINE' ? declineReason : null,
          note: note || null,
          beyondAimReason: beyondAimReason || null,
        })
      }
    >
      <Fieldset>
        <Fieldset.Legend>{t('forms.respond.decision')}</Fieldset.Legend>
        <Radio
          name={name}
          label={t('forms.respond.accept')}
          value="ACCEPT"
          checked={decision === 'ACCEPT'}
          onChange={() => setDecision('ACCEPT')}
        />
        <Radio
          name={name}
          label={t('forms.respond.decline')}
          value="DECLINE"
          checked={decision === 'DECLINE'}
          onChange={() => setDecision('DECLINE')}
        />
      </Fieldset>
      {decision === 'DECLINE' && (
        <SelectField
          label={t('forms.respond.declineReason')}
          value={declineReason}
          onChange={(v) => setDeclineReason(v as typeof declineReason)}
          options={DECLINE_REASONS.map((r) => ({ value: r, label: t(`declineReason.${r}`) }))}
        />
      )}
      <Textfield
        label={t('forms.respond.note')}
        multiline
        value={note}
        onChange={(e) => setNote(e.target.value)}
      />
      {decision === 'ACCEPT' && (
        <Textfield
          label={t('forms.respond.beyondAimReason')}
          value={beyondAimReason}
          onChange={(e) => setBeyondAimReason(e.target.value)}
        />
      )}
    </ActionForm>
  );
}

interface ItemDraft {
  key: number;
  category: RequestedIntervention;
  plannedFrom: string;
  plannedTo: string;
  quantity: string;
  unit: ExtentUnit;
  estimatedCost: string;
}

export function PlanForm({ assignment, onDone }: FormProps) {
  const { t } = useTranslation();
  const nameOf = useMunicipalityName();
  const [offer] = useQuery({
    query: InterventionOfferDocument,
    variables: { municipality: assignment.receivingMunicipality },
  });
  const offered = offer.data?.interventionOffer ?? [];
  const today = stockholmToday();
  const blank = (key: number): ItemDraft => ({
    key,
    category: offered[0]?.category ?? 'CRISIS_SUPPORT',
    plannedFrom: today,
    plannedTo: today,
    quantity: '1',
    unit: 'SESSIONS_PER_WEEK',
    estimatedCost: '',
  });
  const [items, setItems] = useState<ItemDraft[]>(() => [blank(1)]);
  const [invalid, setInvalid] = useState(false);
  const change = useChange(ProposePlanDocument, onDone);
  const update = (key: number, patch: Partial<ItemDraft>) =>
    setItems((all) => all.map((item) => (item.key === key ? { ...item, ...patch } : item)));
  const categories = offered.length > 0 ? offered.map((o) => o.category) : CATEGORIES;

  const submit = () => {
    const costs = items.map((item) => parseKronor(item.estimatedCost));
    if (costs.some((c) => c === null)) return setInvalid(true);
    setInvalid(false);
    void change.run({
      assignmentId: assignment.id,
      items: items.map((item, i) => ({
        category: item.category,
        plannedFrom: item.plannedFrom,
        plannedTo: item.plannedTo,
        extent: { quantity: Number(item.quantity), unit: item.unit },
        estimatedCost: costs[i]!,
      })),
    });
  };

  return (
    <ActionForm
      title={assignment.planSummary ? t('forms.plan.revise') : t('forms.plan.title')}
      submit={t('forms.plan.submit')}
      {...change}
      onSubmit={submit}
    >
      {items.map((item, index) => {
        const offer = offered.find((o) => o.category === item.category);
        return (
          <Fieldset key={item.key} className="plan-item">
            <Fieldset.Legend>{t('forms.plan.item', { n: index + 1 })}</Fieldset.Legend>
            <SelectField
              label={t('forms.plan.category')}
              value={item.category}
              onChange={(v) => update(item.key, { category: v as RequestedIntervention })}
              options={categories.map((c) => ({ value: c, label: t(`category.${c}`) }))}
              description={
                offer
                  ? t('forms.plan.offered', {
                      municipality: nameOf(assignment.receivingMunicipality),
                      name: offer.name,
                      price: formatKronor(offer.unitPrice.amount),
                    })
                  : undefined
              }
            />
            <Textfield
              label={t('forms.plan.from')}
              type="date"
              value={item.plannedFrom}
              required
              onChange={(e) => update(item.key, { plannedFrom: e.target.value })}
            />
            <Textfield
              label={t('forms.plan.to')}
              type="date"
              value={item.plannedTo}
              required
              onChange={(e) => update(item.key, { plannedTo: e.target.value })}
            />
            <Textfield
              label={t('forms.plan.quantity')}
              type="number"
              min={1}
              value={item.quantity}
              required
              onChange={(e) => update(item.key, { quantity: e.target.value })}
            />
            <SelectField
              label={t('forms.plan.unit')}
              value={item.unit}
              onChange={(v) => update(item.key, { unit: v as ExtentUnit })}
              options={EXTENT_UNITS.map((u) => ({ value: u, label: t(`extentUnit.${u}`) }))}
            />
            <Textfield
              label={t('forms.plan.estimatedCost')}
              inputMode="decimal"
              value={item.estimatedCost}
              required
              error={
                invalid && parseKronor(item.estimatedCost) === null
                  ? t('forms.cost.invalidAmount')
                  : undefined
              }
              onChange={(e) => update(item.key, { estimatedCost: e.target.value })}
            />
            {items.length > 1 && (
              <Button
                variant="tertiary"
                type="button"
                onClick={() => setItems((all) => all.filter((i) => i.key !== item.key))}
              >
                {t('forms.plan.removeItem', { n: index + 1 })}
              </Button>
            )}
          </Fieldset>
        );
      })}
      <Button
        variant="secondary"
        type="button"
        onClick={() => setItems((all) => [...all, blank(Math.max(...all.map((i) => i.key)) + 1)])}
      >
        {t('forms.plan.addItem')}
      </Button>
    </ActionForm>
  );
}

export function ConsultForm({ assignment, onDone }: FormProps) {
  const { t } = useTranslation();
  const plan = assignment.planSummary!;
  const [answers, setAnswers] = useState<
    Record<
      string,
      { answer: 'CAN_DELIVER' | 'CANNOT_DELIVER'; reason: (typeof CANNOT_DELIVER_REASONS)[number] }
    >
  >(() =>
    Object.fromEntries(plan.items.map((item) => [item.id, { answer: 'CAN_DELIVER', reason: 'NOT_OFFERED' }])),
  );
  const change = useChange(ConsultPlanDocument, onDone);
  const name = useId();
  return (
    <ActionForm
      title={t('forms.consult.title', { version: plan.version })}
      submit={t('forms.consult.submit')}
      {...change}
      onSubmit={() =>
        void change.run({
          assignmentId: assignment.id,
          version: plan.version,
          answers: plan.items.map((item) => ({
            planItemId: item.id,
            answer: answers[item.id]!.answer,
            reason: answers[item.id]!.answer === 'CANNOT_DELIVER' ? answers[item.id]!.reason : null,
          })),
        })
      }
    >
      {plan.items.map((item) => {
        const category = t(`category.${item.category}`);
        const current = answers[item.id]!;
        const set = (patch: Partial<typeof current>) =>
          setAnswers((a) => ({ ...a, [item.id]: { ...current, ...patch } }));
        return (
          <Fieldset key={item.id}>
            <Fieldset.Legend>{t('forms.consult.answer', { category })}</Fieldset.Legend>
            {(['CAN_DELIVER', 'CANNOT_DELIVER'] as const).map((answer) => (
              <Radio
                key={answer}
                name={`${name}-${item.id}`}
                value={answer}
                label={t(`consultation.${answer}`)}
                checked={current.answer === answer}
                onChange={() => set({ answer })}
              />
            ))}
            {current.answer === 'CANNOT_DELIVER' && (
              <SelectField
                label={t('forms.consult.reason', { category })}
                value={current.reason}
                onChange={(v) => set({ reason: v as typeof current.reason })}
                options={CANNOT_DELIVER_REASONS.map((r) => ({
                  value: r,
                  label: t(`cannotDeliverReason.${r}`),
                }))}
              />
            )}
          </Fieldset>
        );
      })}
    </ActionForm>
  );
}

export function DecideForm({ assignment, onDone }: FormProps) {
  const { t } = useTranslation();
  const plan = assignment.planSummary!;
  const change = useChange(DecidePlanDocument, onDone);
  return (
    <ActionForm
      title={t('forms.decide.title', { version: plan.version })}
      submit={t('forms.decide.submit')}
      {...change}
      onSubmit={() => void change.run({ assignmentId: assignment.id, version: plan.version })}
    >
      <Paragraph>{t('forms.decide.intro')}</Paragraph>
    </ActionForm>
  );
}

const decidedItems = (assignment: Assignment) =>
  [...(assignment.planHistory ?? []), ...(assignment.planSummary ? [assignment.planSummary] : [])]
    .filter((plan) => plan.status === 'DECIDED')
    .flatMap((plan) => plan.items.filter((item) => item.decided));

export function DeliveryForm({ assignment, onDone }: FormProps) {
  const { t } = useTranslation();
  const items = unique(decidedItems(assignment));
  const [itemId, setItemId] = useState(items[0]?.id ?? '');
  const [status, setStatus] = useState<(typeof DELIVERY_STATUSES)[number]>('ONGOING');
  const change = useChange(RecordDeliveryDocument, onDone);
  if (items.length === 0) return null;
  return (
    <ActionForm
      title={t('forms.delivery.title')}
      submit={t('forms.delivery.submit')}
      {...change}
      onSubmit={() => void change.run({ planItemId: itemId, status })}
    >
      <SelectField
        label={t('forms.delivery.item')}
        value={itemId}
        onChange={setItemId}
        options={items.map((i) => ({ value: i.id, label: itemLabel(t, i) }))}
      />
      <SelectField
        label={t('forms.delivery.status')}
        value={status}
        onChange={(v) => setStatus(v as typeof status)}
        options={DELIVERY_STATUSES.map((s) => ({ value: s, label: t(`deliveryStatus.${s}`) }))}
      />
    </ActionForm>
  );
}

/** A new idempotency key per cost: every send of the same entry (a double click, a retry) carries it. */
const newKey = () => crypto.randomUUID();

export function CostForm({ assignment, onDone }: FormProps) {
  const { t } = useTranslation();
  const items = unique(decidedItems(assignment));
  const [itemId, setItemId] = useState(items[0]?.id ?? '');
  const [date, setDate] = useState(() => items[0]?.plannedFrom ?? stockholmToday());
  const [amount, setAmount] = useState('');
  const [description, setDescription] = useState('');
  const [invalid, setInvalid] = useState(false);
  const [idempotencyKey, setIdempotencyKey] = useState(newKey);
  const change = useChange(RecordCostDocument, () => {
    // Recorded: the next entry is a new cost with a key of its own.
    setIdempotencyKey(newKey());
    setAmount('');
    setDescription('');
    onDone();
  });
  if (items.length === 0) return null;
  const submit = () => {
    const parsed = parseKronor(amount);
    setInvalid(parsed === null);
    if (parsed === null) return;
    void change.run({
      input: {
        assignmentId: assignment.id,
        planItemId: itemId,
        date,
        amount: parsed,
        description,
        idempotencyKey,
      },
    });
  };
  return (
    <ActionForm title={t('forms.cost.title')} submit={t('forms.cost.submit')} {...change} onSubmit={submit}>
      <SelectField
        label={t('forms.cost.item')}
        value={itemId}
        onChange={setItemId}
        options={items.map((i) => ({ value: i.id, label: itemLabel(t, i) }))}
      />
      <Textfield
        label={t('forms.cost.date')}
        type="date"
        value={date}
        required
        onChange={(e) => setDate(e.target.value)}
      />
      <Textfield
        label={t('forms.cost.amount')}
        description={t('forms.cost.amountHint')}
        inputMode="decimal"
        value={amount}
        required
        error={invalid ? t('forms.cost.invalidAmount') : undefined}
        onChange={(e) => setAmount(e.target.value)}
      />
      <Textfield
        label={t('forms.cost.description')}
        value={description}
        required
        onChange={(e) => setDescription(e.target.value)}
      />
    </ActionForm>
  );
}

export function ScheduleFollowUpForm({ assignment, onDone }: FormProps) {
  const { t } = useTranslation();
  const [date, setDate] = useState(stockholmToday());
  const change = useChange(ScheduleFollowUpDocument, onDone);
  return (
    <ActionForm
      title={t('forms.followUp.title')}
      submit={t('forms.followUp.submit')}
      {...change}
      onSubmit={() => void change.run({ assignmentId: assignment.id, date })}
    >
      <Textfield
        label={t('forms.followUp.date')}
        type="date"
        value={date}
        required
        onChange={(e) => setDate(e.target.value)}
      />
    </ActionForm>
  );
}

export function ConfirmFollowUpForms({ assignment, onDone }: FormProps) {
  const { t } = useTranslation();
  const change = useChange(ConfirmFollowUpDocument, onDone);
  const open = (assignment.followUps ?? []).filter((f) => !f.completed && !f.receivingConfirmed);
  return (
    <div className="stack">
      {open.map((f) => (
        <Button key={f.id} variant="secondary" onClick={() => void change.run({ followUpId: f.id })}>
          {t('forms.followUp.confirm', { date: formatDate(f.scheduledFor) })}
        </Button>
      ))}
      <ChangeRefused problems={change.problems} />
    </div>
  );
}

export function CompleteFollowUpForms({ assignment, onDone }: FormProps) {
  const { t } = useTranslation();
  const change = useChange(CompleteFollowUpDocument, onDone);
  const open = (assignment.followUps ?? []).filter((f) => !f.completed);
  return (
    <section className="stack" aria-label={t('forms.followUp.completeTitle')}>
      {open.map((f) => {
        const date = formatDate(f.scheduledFor);
        return (
          <div key={f.id} className="grid-2">
            <Button variant="secondary" onClick={() => void change.run({ followUpId: f.id, done: true })}>
              {t('forms.followUp.done', { date })}
            </Button>
            <Button variant="tertiary" onClick={() => void change.run({ followUpId: f.id, done: false })}>
              {t('forms.followUp.notDone', { date })}
            </Button>
          </div>
        );
      })}
      <ChangeRefused problems={change.problems} />
    </section>
  );
}

export function RaiseChildrenAlertForm({ assignment, onDone }: FormProps) {
  const { t } = useTranslation();
  const change = useChange(RaiseChildrenAlertDocument, onDone);
  return (
    <div className="stack">
      <Button
        data-color="danger"
        variant="secondary"
        onClick={() => void change.run({ assignmentId: assignment.id })}
      >
        {t('forms.children.raise')}
      </Button>
      <ChangeRefused problems={change.problems} />
    </div>
  );
}

export function AcknowledgeChildrenAlertForm({ assignment, onDone }: FormProps) {
  const { t } = useTranslation();
  const change = useChange(AcknowledgeChildrenAlertDocument, onDone);
  return (
    <div className="stack">
      <Button data-color="danger" onClick={() => void change.run({ assignmentId: assignment.id })}>
        {t('forms.children.acknowledge')}
      </Button>
      <ChangeRefused problems={change.problems} />
    </div>
  );
}

export function CompleteForm({ assignment, onDone }: FormProps) {
  const { t } = useTranslation();
  const change = useChange(CompleteAssignmentDocument, onDone);
  return (
    <ActionForm
      title={t('forms.complete.title')}
      submit={t('forms.complete.submit')}
      {...change}
      onSubmit={() => void change.run({ id: assignment.id })}
    />
  );
}

function ReasonForm(props: {
  title: string;
  submit: string;
  label: string;
  fetching: boolean;
  problems: Problems | null;
  onSubmit: (reason: (typeof TERMINATION_REASONS)[number]) => void;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState<(typeof TERMINATION_REASONS)[number]>('OTHER');
  return (
    <ActionForm {...props} danger onSubmit={() => props.onSubmit(reason)}>
      <SelectField
        label={props.label}
        value={reason}
        onChange={(v) => setReason(v as typeof reason)}
        options={TERMINATION_REASONS.map((r) => ({ value: r, label: t(`terminationReason.${r}`) }))}
      />
    </ActionForm>
  );
}

export function TerminateForm({ assignment, onDone }: FormProps) {
  const { t } = useTranslation();
  const change = useChange(TerminateAssignmentDocument, onDone);
  return (
    <ReasonForm
      title={t('forms.terminate.title')}
      submit={t('forms.terminate.submit')}
      label={t('forms.terminate.reason')}
      {...change}
      onSubmit={(reason) => void change.run({ id: assignment.id, reason })}
    />
  );
}

export function RequestTerminationForm({ assignment, onDone }: FormProps) {
  const { t } = useTranslation();
  const change = useChange(RequestTerminationDocument, onDone);
  return (
    <ReasonForm
      title={t('forms.requestTermination.title')}
      submit={t('forms.requestTermination.submit')}
      label={t('forms.requestTermination.reason')}
      {...change}
      onSubmit={(reason) => void change.run({ assignmentId: assignment.id, reason })}
    />
  );
}

type Item = Assignment['planHistory'] extends readonly (infer P)[] | null | undefined
  ? P extends { items: readonly (infer I)[] }
    ? I
    : never
  : never;

const unique = (items: Item[]) => [...new Map(items.map((i) => [i.id, i])).values()];

const itemLabel = (t: TFunction, item: Item) =>
  `${t(`category.${item.category}`)} (${formatDate(item.plannedFrom)} – ${formatDate(item.plannedTo)})`;
