import { DateTime } from 'luxon'
import type { BusinessCalendar } from '../calendar/business-calendar.js'
import { civilOfDayNumber, dayNumber, formatCivil, parseCivil, weekdayOf } from '../calendar/civil-date.js'
import { CoreError } from '../errors.js'
import type { Instant } from '../time.js'

/**
 * Due instants of the SLA's other obligations (SLA-RULES §12, R-VPL).
 *
 * Semantics, for every function:
 * - A civil date is `YYYY-MM-DD` in the calendar's time zone (Europe/Amsterdam, R-CAL-1).
 * - "A due date without a time of day ends at 24:00 of that date": its due instant is local
 *   midnight at the start of the next date. An obligation is met in time when it is met
 *   **before** its due instant.
 * - Periods of weeks, months and years are civil: `addMonths('2026-01-31', 1)` is `2026-02-28`
 *   (the month's last day when the day does not exist).
 * - "Within N werkdagen" of a cause ends at 24:00 of the N-th werkdag after the day of the
 *   cause; the day of the cause itself never counts (R-VPL-3).
 */

const date = (text: string, field: string): { year: number, month: number, day: number } => {
  const c = parseCivil(text)
  if (c === undefined) throw new CoreError('invalid-instant', `'${text.slice(0, 40)}' is not a date (YYYY-MM-DD)`, field)
  return c
}

/** Local midnight at the start of a civil date, as an instant. */
export function startOfDate (d: string, timeZone: string): Instant {
  const c = date(d, 'datum')
  return DateTime.fromObject({ year: c.year, month: c.month, day: c.day }, { zone: timeZone }).toMillis()
}

/** The due instant of a due date: 24:00 of that date, the start of the next one. */
export function endOfDate (d: string, timeZone: string): Instant {
  return startOfDate(addDays(d, 1), timeZone)
}

/** The civil date (in `timeZone`) an instant lies on. */
export function dateOf (t: Instant, timeZone: string): string {
  const d = DateTime.fromMillis(t, { zone: timeZone })
  return formatCivil(d.year, d.month, d.day)
}

export function addDays (d: string, n: number): string {
  const c = date(d, 'datum')
  const x = civilOfDayNumber(dayNumber(c.year, c.month, c.day) + n)
  return formatCivil(x.year, x.month, x.day)
}

/** Civil months later (or earlier, n < 0); a day that month lacks becomes its last day. */
export function addMonths (d: string, n: number): string {
  const c = date(d, 'datum')
  const total = c.year * 12 + (c.month - 1) + n
  const year = Math.floor(total / 12)
  const month = total - year * 12 + 1
  const last = civilOfDayNumber(dayNumber(year, month + 1, 1) - 1).day
  return formatCivil(year, month, Math.min(c.day, last))
}

/** Calendar days from date `a` to date `b` (negative when `b` comes first). */
export function daysBetween (a: string, b: string): number {
  const x = date(a, 'datum')
  const y = date(b, 'datum')
  return dayNumber(y.year, y.month, y.day) - dayNumber(x.year, x.month, x.day)
}

/** A date that was no werkdag although it is not in a weekend: a holiday or a contract's closed day. */
export interface OvergeslagenDag { readonly datum: string, readonly naam: string }

export interface WerkdagenTermijn {
  /** The N-th werkdag after the day of the cause: the due date. */
  readonly datum: string
  /** 24:00 of that werkdag. */
  readonly verwachtOp: Instant
  /** The werkdagen counted, in order (N of them). */
  readonly werkdagen: readonly string[]
  /** Weekdays between the cause and the due date that did not count, with their names. */
  readonly overgeslagen: readonly OvergeslagenDag[]
}

/**
 * "Within `n` werkdagen of `oorzaak`" (R-VPL-3): ends at 24:00 of the n-th werkdag after the
 * day of the cause, counted with the contract's business calendar (holidays of R-CAL-2 and its
 * extra closed days).
 *
 * @example werkdagenNa(cal, '2026-04-30', 5).verwachtOp //=> 2026-05-09T00:00+02:00 (Tue 5 May skipped)
 */
export function werkdagenNa (calendar: BusinessCalendar, oorzaak: string, n: number): WerkdagenTermijn {
  if (!(Number.isInteger(n) && n >= 1)) throw new CoreError('invalid-duration', 'a number of werkdagen is a whole number of at least 1', 'werkdagen')
  const werkdagen: string[] = []
  const overgeslagen: OvergeslagenDag[] = []
  let d = oorzaak
  while (werkdagen.length < n) {
    d = addDays(d, 1)
    if (calendar.isWerkdag(d)) { werkdagen.push(d); continue }
    const closed = weekdayOf(d) <= 5 ? calendar.closedDays(Number(d.slice(0, 4))).find((x) => x.date === d) : undefined
    if (closed !== undefined) overgeslagen.push({ datum: d, naam: closed.name })
  }
  return { datum: d, verwachtOp: endOfDate(d, calendar.timeZone), werkdagen, overgeslagen }
}

/**
 * Same local clock time `n` calendar days later (R-VPL-2: 21 days on test). A clock time that
 * does not exist that day (the spring gap) moves forward by the gap; one that occurs twice (the
 * autumn overlap) is its first occurrence.
 */
export function sameClockDaysLater (t: Instant, n: number, timeZone: string): Instant {
  return DateTime.fromMillis(t, { zone: timeZone }).plus({ days: n }).toMillis()
}
