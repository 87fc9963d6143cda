export { createBusinessCalendar, FIRST_YEAR, LAST_YEAR, type BusinessCalendar } from './business-calendar.js'
export { normalizePauses } from './pauses.js'
export { parseCivil, weekdayOf } from './civil-date.js'
export type * from './types.js'

/** The time zone of every wall-clock rule of the SLA (R-CAL-1). */
export const SLA_TIME_ZONE = 'Europe/Amsterdam'
/** Kantooruren [08:00, 18:00) as minutes after local midnight (R-CAL-3). */
export const SLA_OFFICE_HOURS = { start: 8 * 60, end: 18 * 60 } as const
