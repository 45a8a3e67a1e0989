// Swedish formats for dates, kronor and numbers, whatever the language:
// that is how the documents the staff work with write them.

const NBSP = '\u00a0';

/**
 * An amount as the API sends it ("12500.00", a decimal string) as Swedish
 * kronor: "12 500,00 kr". Formatted from the string, not through a binary
 * float, so no amount is ever rounded on its way to the screen.
 */
export function formatKronor(amount: string): string {
  const negative = amount.startsWith('-');
  const [whole = '0', fraction = ''] = amount.replace(/^-/, '').split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, NBSP);
  return `${negative ? '−' : ''}${grouped},${fraction.padEnd(2, '0').slice(0, 2)}${NBSP}kr`;
}

/**
 * What a person typed as kronor ("12 500,00", "12500", "12 500 kr", "12500.5")
 * as the API's decimal string ("12500.50"); null when it is not an amount
 * with at most two decimals.
 */
export function parseKronor(input: string): string | null {
  const compact = input
    .replace(/kr\.?$/i, '')
    .replace(/[\s\u00a0\u202f]/g, '')
    .replace(',', '.');
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(compact);
  if (!match) return null;
  const whole = match[1]!.replace(/^0+(?=\d)/, '');
  return `${whole}.${(match[2] ?? '').padEnd(2, '0')}`;
}

const dateTime = new Intl.DateTimeFormat('sv-SE', {
  dateStyle: 'short',
  timeStyle: 'short',
  timeZone: 'Europe/Stockholm',
});

/** An ISO calendar date ("2023-03-01") as Swedish writes it: the same. */
export const formatDate = (date: string) => date.slice(0, 10);

/** An instant, in Stockholm time: "2023-03-01 10:30". */
export const formatDateTime = (instant: string) => dateTime.format(new Date(instant));

/** Today in Stockholm, as an ISO date: the default of date fields. */
export const stockholmToday = (now = new Date()) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(now);
