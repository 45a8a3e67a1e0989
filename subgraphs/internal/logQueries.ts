// The auditors' reads of the two logs: a page by sequence, narrowed by the
// filters given, all in the database query (the logs grow without end, so
// nothing is filtered in memory).
import { badUserInput } from '../../schema/contract/errors';
import type { Prisma } from '../db/generated/client';
import { municipalityCode } from './validate';

/** The most entries one page may hold. */
export const MAX_LOG_PAGE = 100;

const TRACE_ID = /^[\da-f]{32}$/;

export interface LogPage {
  after: number;
  first: number;
}

export interface CommonLogFilters {
  traceId?: string | null;
  from?: string | Date | null;
  to?: string | Date | null;
}

export interface DisclosureLogFilters extends CommonLogFilters {
  counterpart?: string | null;
  assignmentId?: string | null;
  kind?: string | null;
}

export interface CaseAccessLogFilters extends CommonLogFilters {
  caseId?: string | null;
}

/** The page's bounds, checked: `first` 1-100, `after` a sequence (0 for the start). */
export function logPage({ after, first }: LogPage): { where: { sequence: { gt: number } }; take: number } {
  if (first < 1 || first > MAX_LOG_PAGE)
    throw badUserInput(`first must be between 1 and ${MAX_LOG_PAGE} (got ${first})`, { argument: 'first' });
  if (after < 0) throw badUserInput(`after must be 0 or a sequence (got ${after})`, { argument: 'after' });
  return { where: { sequence: { gt: after } }, take: first };
}

const instant = (value: string | Date) => (value instanceof Date ? value : new Date(value));

/** The trace id and time window, as conditions both logs share. */
function commonWhere(filters: CommonLogFilters) {
  const traceId = filters.traceId?.trim().toLowerCase();
  if (traceId && !TRACE_ID.test(traceId))
    throw badUserInput('traceId must be 32 hexadecimal digits', { argument: 'traceId' });
  const from = filters.from == null ? undefined : instant(filters.from);
  const to = filters.to == null ? undefined : instant(filters.to);
  if (from && to && to < from)
    throw badUserInput(`to (${to.toISOString()}) is before from (${from.toISOString()})`, { argument: 'to' });
  return {
    ...(traceId ? { traceId } : {}),
    ...(from || to ? { at: { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) } } : {}),
  };
}

export function disclosureLogWhere(filters: DisclosureLogFilters): Prisma.DisclosureLogEntryWhereInput {
  const counterpart = filters.counterpart
    ? municipalityCode('counterpart', filters.counterpart.trim())
    : undefined;
  const assignmentId = filters.assignmentId?.trim();
  const kind = filters.kind?.trim();
  return {
    ...commonWhere(filters),
    ...(counterpart ? { municipality: counterpart } : {}),
    ...(assignmentId ? { assignments: { has: assignmentId } } : {}),
    ...(kind ? { kind } : {}),
  };
}

export function caseAccessLogWhere(filters: CaseAccessLogFilters): Prisma.CaseAccessLogEntryWhereInput {
  const caseId = filters.caseId?.trim();
  return { ...commonWhere(filters), ...(caseId ? { cases: { has: caseId } } : {}) };
}
