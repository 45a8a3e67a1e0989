// What the auditor's log page shows and asks: the basis of a disclosure in
// words, the filters as the URL carries them (so a link to one trace works),
// and calendar days as the instants the API filters by.

/** One assignment's basis at the time, or the answer to a city's question. */
export interface BasisLine {
  /** The assignment id, or "reply" for a question between cities. */
  subject: string;
  /** IN_FORCE, LAPSED, RECEIVING_REPORTS_TO_HOME, NO_DETAILS, or the reply's code. */
  state: string;
  /** Why a basis lapsed: MISSING, WITHDRAWN or EXPIRED. */
  lapse?: string;
}

/** The basis JSON of a log entry as lines; one line with the raw text when it is not the expected shape. */
export function basisLines(basis: string): BasisLine[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(basis);
  } catch {
    return [{ subject: '', state: basis }];
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return [{ subject: '', state: basis }];
  return Object.entries(parsed).map(([subject, value]) => {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    const [state = text, lapse] = text.split(':');
    return lapse ? { subject, state, lapse } : { subject, state };
  });
}

const TRACE_ID = /^[\da-f]{32}$/;

/** The filters of the log page, as the URL's query string holds them. */
export interface LogFilters {
  counterpart: string;
  assignment: string;
  trace: string;
  /** Calendar days, YYYY-MM-DD, in Stockholm. */
  from: string;
  to: string;
}

export const FILTER_KEYS = ['counterpart', 'assignment', 'trace', 'from', 'to'] as const;

export function filtersOf(params: URLSearchParams): LogFilters {
  const get = (key: string) => params.get(key)?.trim() ?? '';
  return {
    counterpart: get('counterpart'),
    assignment: get('assignment'),
    trace: get('trace').toLowerCase(),
    from: get('from'),
    to: get('to'),
  };
}

/** Whether a trace id is one the log can hold (32 hex digits). */
export const isTraceId = (value: string) => TRACE_ID.test(value);

/** Midnight in Stockholm at the start of a calendar day, as an instant. */
export function stockholmMidnight(day: string): string {
  const utcMidnight = Date.parse(`${day}T00:00:00Z`);
  // Stockholm is one or two hours ahead of UTC: its offset at that moment, then at the result.
  const offsetAt = (instant: number) => {
    const name = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Stockholm',
      timeZoneName: 'longOffset',
    })
      .formatToParts(new Date(instant))
      .find((p) => p.type === 'timeZoneName')!.value;
    const [, sign, hours, minutes] = /GMT([+-])(\d\d):?(\d\d)?/.exec(name) ?? [];
    if (!sign) return 0;
    return (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes ?? 0)) * 60_000;
  };
  const first = utcMidnight - offsetAt(utcMidnight);
  return new Date(utcMidnight - offsetAt(first)).toISOString();
}

/** The day after a calendar day. */
export function nextDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

const isDay = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));

/** The API's variables for the filters; a filter not yet well-formed is left out. */
export function logVariables(filters: LogFilters) {
  return {
    counterpart: filters.counterpart || null,
    assignmentId: filters.assignment || null,
    traceId: isTraceId(filters.trace) ? filters.trace : null,
    from: isDay(filters.from) ? stockholmMidnight(filters.from) : null,
    // The whole of the last day counts.
    to: isDay(filters.to) ? stockholmMidnight(nextDay(filters.to)) : null,
  };
}
