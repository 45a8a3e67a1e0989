// Small pieces every page uses: status in words (colour only repeats it),
// the banner naming cities that did not answer, a change's refusal as
// sentences, labelled selects, and the page title.
import { Alert, Field, Heading, Label, Paragraph, Select, Tag } from '@digdir/designsystemet-react';
import { useEffect, useId, useRef, type ReactNode } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { AssignmentStatus } from '../domain/actions';
import type { Problems } from '../domain/errors';
import { useMunicipalityName } from './municipalities';

const STATUS_COLOR: Record<AssignmentStatus, string> = {
  PROPOSED: 'info',
  ACCEPTED: 'accent',
  ACTIVE: 'success',
  DECLINED: 'neutral',
  WITHDRAWN: 'neutral',
  COMPLETED: 'neutral',
  TERMINATED: 'warning',
};

export function StatusTag({ status }: { status: AssignmentStatus }) {
  const { t } = useTranslation();
  return <Tag data-color={STATUS_COLOR[status]}>{t(`status.${status}`)}</Tag>;
}

/** Names the cities that did not answer; nothing when all did. */
export function UnavailableBanner({ codes, detail = false }: { codes: readonly string[]; detail?: boolean }) {
  const { t } = useTranslation();
  const nameOf = useMunicipalityName();
  if (codes.length === 0) return null;
  const municipalities = codes.map((code) => `${nameOf(code)} (${code})`).join(', ');
  return (
    <Alert data-color="warning" role="alert">
      {t(detail ? 'errors.unavailableDetail' : 'errors.unavailable', { municipalities })}
    </Alert>
  );
}

/** Why a change was refused: every broken rule as a sentence, or the other error. */
export function ChangeRefused({ problems }: { problems: Problems | null }) {
  const { t } = useTranslation();
  if (!problems || (problems.rules.length === 0 && !problems.other && problems.unavailable.length === 0))
    return null;
  return (
    <Alert data-color="danger" role="alert">
      {problems.rules.length > 0 && (
        <>
          <Paragraph>{t('forms.broken')}</Paragraph>
          <ul>
            {problems.rules.map((rule) => (
              <li key={rule} data-rule={rule}>
                {t(`rules.${rule}`, { defaultValue: rule })}
              </li>
            ))}
          </ul>
        </>
      )}
      {problems.other && <Paragraph>{otherMessage(t, problems.other)}</Paragraph>}
      {problems.unavailable.length > 0 && <UnavailableBanner codes={problems.unavailable} detail />}
    </Alert>
  );
}

function otherMessage(t: TFunction, other: { code: string; message: string }) {
  switch (other.code) {
    case 'UNAUTHENTICATED':
      return t('errors.unauthenticated');
    case 'FORBIDDEN':
      return t('errors.forbidden');
    case 'NOT_FOUND':
      return t('errors.notFound');
    case 'OPERATION_NOT_TRUSTED':
      return t('errors.notTrusted');
    case 'BAD_USER_INPUT':
      return t('errors.badInput', { message: other.message });
    default:
      return t('forms.failed', { message: other.message });
  }
}

export interface Option {
  value: string;
  label: string;
}

export function SelectField(props: {
  label: string;
  value: string;
  options: readonly Option[];
  onChange: (value: string) => void;
  description?: string;
  disabled?: boolean;
  required?: boolean;
  name?: string;
}) {
  const id = useId();
  return (
    <Field>
      <Label htmlFor={id}>{props.label}</Label>
      {props.description && <div id={`${id}-description`}>{props.description}</div>}
      <Select
        id={id}
        name={props.name}
        value={props.value}
        disabled={props.disabled}
        required={props.required}
        aria-describedby={props.description ? `${id}-description` : undefined}
        onChange={(e) => props.onChange(e.target.value)}
      >
        {props.options.map((o) => (
          <Select.Option key={o.value} value={o.value}>
            {o.label}
          </Select.Option>
        ))}
      </Select>
    </Field>
  );
}

/** The page's title (browser tab and h1); focus moves to the h1 so screen readers announce the new page. */
export function PageHeading({ children, title }: { children: ReactNode; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${title} – ${t('app.title')}`;
    ref.current?.focus();
  }, [title, t]);
  return (
    <Heading level={1} data-size="lg" ref={ref} tabIndex={-1}>
      {children}
    </Heading>
  );
}
