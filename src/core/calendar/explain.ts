import { DateTime } from 'luxon'
import type { Duration, Instant } from '../time.js'
import { dayNumber } from './civil-date.js'
import type { CalendarKind, ClosedDay, ExplainedDay, Explanation, Interval, NotCounted } from './types.js'

interface ExplainInput {
  readonly kind: CalendarKind
  readonly timeZone: string
  readonly officeHours: { readonly start: number, readonly end: number }
  readonly from: Instant
  readonly to: Instant
  /** Normalised: sorted, merged, clipped to `from`, all starting before `to`. */
  readonly pauses: readonly Interval[]
  readonly dayInfo: (n: number) => { date: string, weekday: number, closed: ClosedDay | undefined, year: number, month: number, day: number }
  readonly localInstant: (year: number, month: number, day: number, minutes: number) => Instant
  /** The engine's own result, reported as the total (a test checks it equals the days' sum). */
  readonly counted: Duration
}

/**
 * Explains business time in `[from, to)` day by day. This is the slow, readable path (a luxon
 * date per day): it is used for answers shown to people, never in bulk computations.
 * @internal
 */
export function explainRange (input: ExplainInput): Explanation {
  const { kind, timeZone, officeHours, from, to, pauses, dayInfo, localInstant } = input
  const days: ExplainedDay[] = []
  if (to > from) {
    const first = DateTime.fromMillis(from, { zone: timeZone })
    const last = DateTime.fromMillis(to - 1, { zone: timeZone })
    const firstN = dayNumber(first.year, first.month, first.day)
    const lastN = dayNumber(last.year, last.month, last.day)
    for (let n = firstN; n <= lastN; n++) {
      const d = dayInfo(n)
      const dayStart = Math.max(from, localInstant(d.year, d.month, d.day, 0))
      const dayEnd = Math.min(to, localInstant(d.year, d.month, d.day, 1440))
      const notCounted: NotCounted[] = []
      const closedKind = d.weekday >= 6 ? 'weekend' : d.closed?.kind
      if (kind === 'kantooruren' && closedKind !== undefined) {
        const name = closedKind === 'weekend' ? undefined : d.closed?.name
        notCounted.push({ start: dayStart, end: dayEnd, reason: closedKind, ...(name === undefined ? {} : { name }) })
        days.push({ date: d.date, kind: closedKind, ...(name === undefined ? {} : { name }), counted: 0, notCounted })
        continue
      }
      let countFrom = dayStart
      let countTo = dayEnd
      let office: Interval | undefined
      if (kind === 'kantooruren') {
        office = { start: localInstant(d.year, d.month, d.day, officeHours.start), end: localInstant(d.year, d.month, d.day, officeHours.end) }
        countFrom = Math.max(dayStart, office.start)
        countTo = Math.min(dayEnd, office.end)
        if (countFrom >= countTo) {
          notCounted.push({ start: dayStart, end: dayEnd, reason: 'buiten-kantooruren' })
          days.push({ date: d.date, kind: 'werkdag', officeHours: office, counted: 0, notCounted })
          continue
        }
        if (dayStart < countFrom) notCounted.push({ start: dayStart, end: countFrom, reason: 'buiten-kantooruren' })
      }
      let counted = countTo - countFrom
      for (const p of pauses) {
        const s = Math.max(p.start, countFrom)
        const e = Math.min(p.end, countTo)
        if (s < e) {
          notCounted.push({ start: s, end: e, reason: 'gepauzeerd' })
          counted -= e - s
        }
      }
      if (countTo < dayEnd) notCounted.push({ start: countTo, end: dayEnd, reason: 'buiten-kantooruren' })
      const closedName = closedKind === 'weekend' ? undefined : d.closed?.name
      days.push({
        date: d.date,
        kind: closedKind ?? 'werkdag',
        ...(closedName === undefined ? {} : { name: closedName }),
        ...(office === undefined ? {} : { officeHours: office }),
        counted,
        notCounted
      })
    }
  }
  return { calendar: kind, timeZone, start: from, end: to, counted: input.counted, pauses, days }
}
