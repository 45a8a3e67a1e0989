// Calendar dates are Europe/Stockholm dates: "today" for the agreement's
// rules is the Swedish date, whatever the server's time zone.
const stockholmDate = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Stockholm',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The Europe/Stockholm calendar date of an instant, as YYYY-MM-DD. */
export function stockholmDay(instant: Date): string {
  return stockholmDate.format(instant);
}

/** A calendar date as the Date Prisma stores in a DATE column (midnight UTC). */
export function dateColumn(day: string): Date {
  return new Date(`${day}T00:00:00.000Z`);
}

/** A DATE column's value back as YYYY-MM-DD. */
export function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}
