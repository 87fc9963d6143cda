import type { Duration, Instant } from '../time.js'

/** A half-open interval `[start, end)` of instants (epoch milliseconds). */
export interface Interval {
  readonly start: Instant
  readonly end: Instant
}

/** Why a date is no werkdag although it is not in a weekend. */
export type ClosedDayKind = 'feestdag' | 'extra-gesloten'

/** A date (in the calendar's time zone) on which the office is closed, with its Dutch name. */
export interface ClosedDay {
  /** `YYYY-MM-DD` in the calendar's time zone. */
  readonly date: string
  readonly name: string
  readonly kind: ClosedDayKind
}

/** `kantooruren`: business time is office hours on werkdagen (R-CAL-3); `altijd`: 24/7 (R-CAL-6). */
export type CalendarKind = 'kantooruren' | 'altijd'

/** Everything a calendar needs, as values: no clock, no I/O. */
export interface CalendarConfig {
  /** IANA zone of every wall-clock rule (R-CAL-1), `Europe/Amsterdam` for the SLA. */
  readonly timeZone: string
  /** Office hours as minutes after local midnight, half-open: `{ start: 480, end: 1080 }` is [08:00, 18:00). */
  readonly officeHours: { readonly start: number, readonly end: number }
  /**
   * The holidays of a year (R-CAL-2). A pure function of the year, called at most once per year
   * and calendar; the adapter in `src/adapters/holidays` supplies the Dutch list.
   */
  readonly holidaysOfYear: (year: number) => readonly ClosedDay[]
  /** Extra closed days agreed in a contract (R-CAL-2). */
  readonly extraClosedDays?: readonly ClosedDay[]
}

/** Why a stretch of time did not count as business time. */
export type NotCountedReason = 'weekend' | 'feestdag' | 'extra-gesloten' | 'buiten-kantooruren' | 'gepauzeerd'

export interface NotCounted {
  readonly start: Instant
  readonly end: Instant
  readonly reason: NotCountedReason
  /** The holiday's or closed day's name, for `feestdag` and `extra-gesloten`. */
  readonly name?: string
}

/** One local day of an explanation. */
export interface ExplainedDay {
  /** `YYYY-MM-DD` in the calendar's time zone. */
  readonly date: string
  /** `werkdag`, or why the whole day is closed. */
  readonly kind: 'werkdag' | 'weekend' | 'feestdag' | 'extra-gesloten'
  /** The closed day's name, when the day is a holiday or an extra closed day. */
  readonly name?: string
  /** Office hours of that day as instants, on werkdagen of a `kantooruren` calendar. */
  readonly officeHours?: Interval
  /** Business time counted on that day. */
  readonly counted: Duration
  /** Every stretch of that day, inside the explained range, that was not counted, in time order. */
  readonly notCounted: readonly NotCounted[]
}

/** Why a business-time result is what it is: the range and, per day, what counted and why not. */
export interface Explanation {
  readonly calendar: CalendarKind
  readonly timeZone: string
  readonly start: Instant
  readonly end: Instant
  readonly counted: Duration
  readonly pauses: readonly Interval[]
  readonly days: readonly ExplainedDay[]
}
