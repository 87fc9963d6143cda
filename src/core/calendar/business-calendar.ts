import { DateTime } from 'luxon'
import { CoreError } from '../errors.js'
import type { Duration, Instant } from '../time.js'
import { civilOfDayNumber, dayNumber, formatCivil, parseCivil } from './civil-date.js'
import { explainRange } from './explain.js'
import { normalizePauses } from './pauses.js'
import type { CalendarConfig, CalendarKind, ClosedDay, Explanation, Interval } from './types.js'

/** Years the engine computes. Outside them an instant is surely a mistake (a typo in a year). */
export const FIRST_YEAR = 1970
export const LAST_YEAR = 2199

/**
 * A business calendar: werkdagen, kantooruren and the business time between instants.
 *
 * Semantics, for every method:
 * - Instants are epoch milliseconds; intervals, office hours and pauses are half-open `[start, end)`.
 * - Wall-clock rules (weekdays, holidays, 08:00–18:00) are read in `config.timeZone`, with its
 *   daylight-saving changes (R-CAL-1); the machine's own time zone is never used.
 * - Business time counts to the millisecond, so to the second for second-precise inputs (R-CAL-4).
 * - Inputs are never mutated. The calendar is an immutable value; it memoises per year what it
 *   precomputes, which never changes a result.
 */
export interface BusinessCalendar {
  readonly kind: CalendarKind
  readonly timeZone: string
  /** The holidays and extra closed days of a year that fall on weekdays or weekends, by date. */
  closedDays (year: number): readonly ClosedDay[]
  /** Whether a `YYYY-MM-DD` date is a werkdag: Monday–Friday and no closed day (R-CAL-2). */
  isWerkdag (date: string): boolean
  /**
   * Business time in `[from, to)` minus the pauses (R-CAL-4). For `kantooruren` that is the
   * overlap with office hours on werkdagen; for `altijd` plain elapsed time (R-CAL-6).
   *
   * @example businessTime(Tue 2026-03-10 09:30+01:00, Tue 2026-03-10 10:30+01:00) //=> 1 hour
   * @throws CoreError `invalid-interval` when `to` is before `from`.
   */
  businessTime (from: Instant, to: Instant, pauses?: readonly Interval[]): Duration
  /**
   * The **earliest** instant `t ≥ from` with `businessTime(from, t, pauses) === duration` (R-CAL-5).
   * So a deadline can fall exactly at 18:00, and a clock started outside office hours starts at
   * the next 08:00 of a werkdag. A duration of 0 gives `from`.
   *
   * @example deadline(Tue 2026-03-10 09:30+01:00, 20 hours) //=> Thu 2026-03-12 09:30+01:00
   * @throws CoreError `invalid-duration` when `duration` is negative or not finite.
   */
  deadline (from: Instant, duration: Duration, pauses?: readonly Interval[]): Instant
  /** Per local day, what counted in `[from, to)` and why the rest did not. At most 400 days. */
  explain (from: Instant, to: Instant, pauses?: readonly Interval[]): Explanation
}

const NO_PAUSES: readonly Interval[] = []
const MS_PER_DAY = 86_400_000

/** Whether pauses are valid, sorted by start and do not overlap (they may touch). */
function isSortedAndDisjoint (pauses: readonly Interval[]): boolean {
  let lastEnd = -Infinity
  for (let k = 0; k < pauses.length; k++) {
    const p = pauses[k] as Interval
    if (!(p.start >= lastEnd && p.end >= p.start && Number.isFinite(p.end))) return false
    lastEnd = p.end
  }
  return true
}

/** Cumulative business time: `at(t)` is the business time from a fixed origin to `t`. */
interface Cumulative {
  /** Makes `at` and `reach` valid for `t` and later. May move the origin: call first. */
  cover (t: Instant): void
  at (t: Instant): number
  /** The earliest instant whose cumulative business time is `target` (`target` above at(origin)). */
  reach (target: number): Instant
}

function checkYear (year: number): void {
  // Written so that NaN (an instant past the end of JavaScript time) is outside too.
  if (!(year >= FIRST_YEAR && year <= LAST_YEAR)) {
    throw new CoreError('out-of-range', `the calendar covers the years ${FIRST_YEAR}–${LAST_YEAR}; ${year} is outside`)
  }
}

/** Elapsed time: the `altijd` calendar (R-CAL-6). */
const elapsed: Cumulative = {
  cover (t) { checkYear(new Date(t).getUTCFullYear()) },
  at (t) { return t },
  // A deadline past 2199 is refused as with kantooruren, never answered (found by fuzzing).
  reach (target) { checkYear(new Date(target).getUTCFullYear()); return target }
}

/**
 * Office hours of every werkdag as epoch numbers in flat sorted arrays, with running totals, so
 * that business time is two binary searches and a subtraction, and a deadline one more search:
 * no stepping through minutes and no date objects in the hot path.
 */
class OfficeHoursTable implements Cumulative {
  private opens = new Float64Array(0)
  private closes = new Float64Array(0)
  /** Business time of all werkdagen before day i. */
  private before = new Float64Array(0)
  /** Business time of all werkdagen up to and including day i. */
  private through = new Float64Array(0)
  /** For each UTC day from `firstDay`, the index of the first werkdag on or after it. */
  private firstOnOrAfterDay = new Int32Array(0)
  private firstDay = 0
  private firstYear = 0
  private lastYear = -1
  /** The table is exact for instants in [coveredFrom, coveredTo). */
  private coveredFrom = 0
  private coveredTo = 0
  private readonly perYear = new Map<number, { opens: number[], closes: number[] }>()

  constructor (private readonly yearDays: (year: number) => { opens: number[], closes: number[] }) {}

  cover (t: Instant): void {
    if (t >= this.coveredFrom && t < this.coveredTo) return
    if (!Number.isFinite(t)) throw new CoreError('out-of-range', 'instant is not finite')
    const year = new Date(t).getUTCFullYear()
    checkYear(year)
    if (this.lastYear < this.firstYear) this.rebuild(Math.max(FIRST_YEAR, year - 1), Math.min(LAST_YEAR, year + 2))
    else if (year < this.firstYear) this.rebuild(year, this.lastYear)
    else if (year > this.lastYear) this.rebuild(this.firstYear, year)
  }

  private days (year: number): { opens: number[], closes: number[] } {
    let d = this.perYear.get(year)
    if (d === undefined) {
      d = this.yearDays(year)
      this.perYear.set(year, d)
    }
    return d
  }

  private rebuild (firstYear: number, lastYear: number): void {
    const opens: number[] = []
    const closes: number[] = []
    for (let y = firstYear; y <= lastYear; y++) {
      const d = this.days(y)
      for (let i = 0; i < d.opens.length; i++) {
        opens.push(d.opens[i] as number)
        closes.push(d.closes[i] as number)
      }
    }
    const n = opens.length
    this.opens = Float64Array.from(opens)
    this.closes = Float64Array.from(closes)
    this.before = new Float64Array(n)
    this.through = new Float64Array(n)
    let sum = 0
    for (let i = 0; i < n; i++) {
      this.before[i] = sum
      sum += (closes[i] as number) - (opens[i] as number)
      this.through[i] = sum
    }
    this.firstYear = firstYear
    this.lastYear = lastYear
    // Local office hours of year y lie inside UTC year y for any zone within ±12 h of UTC and
    // office hours not spanning local midnight, so UTC years bound what the table knows.
    this.coveredFrom = Date.UTC(firstYear, 0, 1)
    this.coveredTo = Date.UTC(lastYear + 1, 0, 1)
    this.firstDay = this.coveredFrom / MS_PER_DAY
    const days = this.coveredTo / MS_PER_DAY - this.firstDay
    const index = new Int32Array(days + 1)
    let k = 0
    for (let d = 0; d <= days; d++) {
      const dayStart = (this.firstDay + d) * MS_PER_DAY
      while (k < n && (opens[k] as number) < dayStart) k++
      index[d] = k
    }
    this.firstOnOrAfterDay = index
  }

  at (t: Instant): number {
    // i = the last werkdag whose office opens at or before t: start from the first werkdag that
    // opens on or after t's UTC day (every earlier one opened before t) and step past the ones
    // of that day that opened by t (at most one or two).
    const opens = this.opens
    const n = opens.length
    let i = this.firstOnOrAfterDay[Math.floor(t / MS_PER_DAY) - this.firstDay] as number
    while (i < n && (opens[i] as number) <= t) i++
    i--
    if (i < 0) return 0
    const close = this.closes[i] as number
    return t >= close ? (this.through[i] as number) : (this.before[i] as number) + (t - (opens[i] as number))
  }

  reach (target: number): Instant {
    for (;;) {
      const through = this.through
      let lo = 0
      let hi = through.length
      while (lo < hi) {
        const mid = (lo + hi) >>> 1
        if ((through[mid] as number) < target) lo = mid + 1
        else hi = mid
      }
      if (lo < through.length) return (this.opens[lo] as number) + (target - (this.before[lo] as number))
      // Past the table's end: append the next year; the origin stays, so `target` stays valid.
      if (this.lastYear >= LAST_YEAR) checkYear(this.lastYear + 1)
      this.rebuild(this.firstYear, this.lastYear + 1)
    }
  }
}

/**
 * Creates a business calendar of the given kind from its configuration.
 *
 * @example
 * const cal = createBusinessCalendar('kantooruren', {
 *   timeZone: 'Europe/Amsterdam', officeHours: { start: 8 * 60, end: 18 * 60 },
 *   holidaysOfYear: dutchHolidays })
 * cal.deadline(Date.parse('2026-03-10T08:30:00Z'), 20 * 3_600_000) //=> Date.parse('2026-03-12T08:30:00Z')
 */
export function createBusinessCalendar (kind: CalendarKind, config: CalendarConfig): BusinessCalendar {
  const { timeZone, officeHours } = config
  if (!DateTime.local().setZone(timeZone).isValid) {
    throw new CoreError('out-of-range', `unknown time zone '${timeZone}'`)
  }
  if (!(Number.isInteger(officeHours.start) && Number.isInteger(officeHours.end) &&
        officeHours.start >= 0 && officeHours.start < officeHours.end && officeHours.end <= 1440)) {
    throw new CoreError('invalid-interval', 'office hours must be whole minutes with 0 ≤ start < end ≤ 1440')
  }
  const extra = new Map<string, ClosedDay>()
  for (const d of config.extraClosedDays ?? []) {
    if (parseCivil(d.date) === undefined) throw new CoreError('invalid-interval', `extra closed day '${d.date}' is not a date`)
    extra.set(d.date, d)
  }

  const closedByYear = new Map<number, Map<string, ClosedDay>>()
  const closedMap = (year: number): Map<string, ClosedDay> => {
    let m = closedByYear.get(year)
    if (m === undefined) {
      m = new Map()
      for (const h of config.holidaysOfYear(year)) if (h.date.startsWith(`${year}-`)) m.set(h.date, h)
      for (const [date, d] of extra) if (date.startsWith(`${year}-`) && !m.has(date)) m.set(date, d)
      closedByYear.set(year, m)
    }
    return m
  }
  const closedDay = (date: string): ClosedDay | undefined => closedMap(Number(date.slice(0, 4))).get(date)

  /** Local midnight + minutes of a civil date, as an instant; 1440 minutes is the next midnight. */
  const localInstant = (year: number, month: number, day: number, minutes: number): Instant => {
    if (minutes === 1440) {
      const next = civilOfDayNumber(dayNumber(year, month, day) + 1)
      return localInstant(next.year, next.month, next.day, 0)
    }
    return DateTime.fromObject({ year, month, day, hour: Math.floor(minutes / 60), minute: minutes % 60 }, { zone: timeZone }).toMillis()
  }

  const dayInfo = (n: number): { date: string, weekday: number, closed: ClosedDay | undefined, year: number, month: number, day: number } => {
    const c = civilOfDayNumber(n)
    const date = formatCivil(c.year, c.month, c.day)
    return { ...c, date, closed: closedDay(date) }
  }

  const cumulative: Cumulative = kind === 'altijd'
    ? elapsed
    : new OfficeHoursTable((year) => {
      const opens: number[] = []
      const closes: number[] = []
      for (let n = dayNumber(year, 1, 1), last = dayNumber(year, 12, 31); n <= last; n++) {
        const d = dayInfo(n)
        if (d.weekday >= 6 || d.closed !== undefined) continue
        opens.push(localInstant(d.year, d.month, d.day, officeHours.start))
        closes.push(localInstant(d.year, d.month, d.day, officeHours.end))
      }
      return { opens, closes }
    })

  const businessTime = (from: Instant, to: Instant, pauses: readonly Interval[] = NO_PAUSES): Duration => {
    if (!(to >= from)) throw new CoreError('invalid-interval', 'the end of the range lies before its start', 'tot')
    cumulative.cover(from)
    cumulative.cover(to)
    let total = cumulative.at(to) - cumulative.at(from)
    if (pauses.length > 0) {
      // Sorted, disjoint pauses (as the clocks make them) are walked without copying.
      const ps = isSortedAndDisjoint(pauses) ? pauses : normalizePauses(pauses, from)
      for (let k = 0; k < ps.length; k++) {
        const p = ps[k] as Interval
        if (p.start >= to) break
        if (p.end <= from) continue
        total -= cumulative.at(p.end < to ? p.end : to) - cumulative.at(p.start > from ? p.start : from)
      }
    }
    return total
  }

  const deadline = (from: Instant, duration: Duration, pauses: readonly Interval[] = NO_PAUSES): Instant => {
    if (!(duration >= 0) || !Number.isFinite(duration)) {
      throw new CoreError('invalid-duration', 'a business duration must be zero or positive', 'duur')
    }
    cumulative.cover(from)
    if (duration === 0) return from
    let cursor = from
    let remaining = duration
    if (pauses.length > 0) {
      // Pauses as clients send them are sorted and disjoint: walk those as they are, without
      // copying; anything else is sorted and merged first.
      const ps = isSortedAndDisjoint(pauses) ? pauses : normalizePauses(pauses, from)
      for (let k = 0; k < ps.length; k++) {
        const p = ps[k] as Interval
        if (p.end <= cursor) continue
        const start = p.start > cursor ? p.start : cursor
        cumulative.cover(p.end)
        const atCursor = cumulative.at(cursor)
        const available = cumulative.at(start) - atCursor
        if (remaining <= available) return cumulative.reach(atCursor + remaining)
        remaining -= available
        cursor = p.end
      }
    }
    return cumulative.reach(cumulative.at(cursor) + remaining)
  }

  return {
    kind,
    timeZone,
    closedDays (year) {
      checkYear(year)
      return [...closedMap(year).values()].sort((a, b) => a.date < b.date ? -1 : a.date > b.date ? 1 : 0)
    },
    isWerkdag (date) {
      const c = parseCivil(date)
      if (c === undefined) throw new CoreError('invalid-instant', `'${date}' is not a date (YYYY-MM-DD)`, 'datum')
      checkYear(c.year)
      const d = dayInfo(dayNumber(c.year, c.month, c.day))
      return d.weekday <= 5 && d.closed === undefined
    },
    businessTime,
    deadline,
    explain (from, to, pauses = NO_PAUSES) {
      if (!(to >= from)) throw new CoreError('invalid-interval', 'the end of the range lies before its start', 'tot')
      if (to - from > 400 * MS_PER_DAY) {
        // Names `uitleg`, the parameter that asked for it: a 400 names its field (found by fuzzing).
        throw new CoreError('explanation-too-long', 'an explanation covers at most 400 days; ask for a shorter range', 'uitleg')
      }
      return explainRange({
        kind, timeZone, officeHours, from, to,
        pauses: normalizePauses(pauses, from).filter((p) => p.start < to),
        dayInfo,
        localInstant,
        counted: businessTime(from, to, pauses)
      })
    }
  }
}
