import { slaCalendar } from '../../../src/adapters/holidays/sla-calendars.js'
import { HOUR, parseInstant, formatInstant } from '../../../src/core/index.js'

export const kantooruren = slaCalendar('kantooruren')
export const altijd = slaCalendar('altijd')
export const at = (text: string): number => parseInstant(text)
export const iso = formatInstant
export const hours = (h: number): number => h * HOUR
