import {
  createBusinessCalendar, SLA_OFFICE_HOURS, SLA_TIME_ZONE,
  type BusinessCalendar, type CalendarKind, type ClosedDay
} from '../../core/index.js'
import { dutchHolidays } from './dutch-holidays.js'

const standard = new Map<CalendarKind, BusinessCalendar>()

/**
 * The SLA's calendar (Europe/Amsterdam, kantooruren 08:00–18:00, the Dutch holidays) of a kind.
 * Without extra closed days the calendar is shared, so its per-year precomputation is made once
 * per process; a contract's extra closed days give a calendar of its own.
 */
export function slaCalendar (kind: CalendarKind, extraClosedDays: readonly ClosedDay[] = []): BusinessCalendar {
  if (extraClosedDays.length > 0) {
    return createBusinessCalendar(kind, { timeZone: SLA_TIME_ZONE, officeHours: SLA_OFFICE_HOURS, holidaysOfYear: dutchHolidays, extraClosedDays })
  }
  let cal = standard.get(kind)
  if (cal === undefined) {
    cal = createBusinessCalendar(kind, { timeZone: SLA_TIME_ZONE, officeHours: SLA_OFFICE_HOURS, holidaysOfYear: dutchHolidays })
    standard.set(kind, cal)
  }
  return cal
}

const zonder = new Map<CalendarKind, BusinessCalendar>()

/** The SLA's calendar with every weekday a werkdag: how a tool that knows no Dutch holidays counts. */
export function slaCalendarZonderFeestdagen (kind: CalendarKind): BusinessCalendar {
  let cal = zonder.get(kind)
  if (cal === undefined) {
    cal = createBusinessCalendar(kind, { timeZone: SLA_TIME_ZONE, officeHours: SLA_OFFICE_HOURS, holidaysOfYear: () => [] })
    zonder.set(kind, cal)
  }
  return cal
}
