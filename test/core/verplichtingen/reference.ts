/**
 * A slow, obviously correct reference for the R-VPL due instants, sharing no code with src/:
 * the holidays and Amsterdam's offset from test/core/calendar/reference.ts (the law's list with
 * its own Easter, the EU summer-time rule), and stepping one civil day at a time.
 */
import { amsterdamOffset, lawHolidays } from '../calendar/reference.js'

const DAY = 86_400_000
const HOUR = 3_600_000

const dayOf = (date: string): number => Date.parse(`${date}T00:00:00Z`) / DAY
const dateOfDay = (n: number): string => new Date(n * DAY).toISOString().slice(0, 10)

const holidays = new Map<string, string>()
for (let y = 2018; y <= 2045; y++) for (const [d, name] of lawHolidays(y)) holidays.set(d, name)

const weekday = (date: string): number => new Date(dayOf(date) * DAY).getUTCDay() // 0 = Sunday

export const isWerkdag = (date: string): boolean => weekday(date) !== 0 && weekday(date) !== 6 && !holidays.has(date)

/** The instant of an Amsterdam wall-clock time (ms as if UTC): the first occurrence; in the spring gap, the instant an hour-ahead clock shows it. */
export function wallToInstant (wall: number): number {
  const summer = wall - 2 * HOUR
  if (amsterdamOffset(summer) === 2 * HOUR) return summer
  return wall - HOUR
}

/** Local midnight at the start of a date. */
export const midnight = (date: string): number => wallToInstant(dayOf(date) * DAY)

/** The N-th werkdag after `cause`, stepping day by day; the weekdays skipped with their holiday names. */
export function referenceWerkdagen (cause: string, n: number): { datum: string, verwachtOp: number, werkdagen: string[], overgeslagen: Array<{ datum: string, naam: string }> } {
  const werkdagen: string[] = []
  const overgeslagen: Array<{ datum: string, naam: string }> = []
  let day = dayOf(cause)
  while (werkdagen.length < n) {
    day++
    const d = dateOfDay(day)
    if (isWerkdag(d)) werkdagen.push(d)
    else if (weekday(d) !== 0 && weekday(d) !== 6) overgeslagen.push({ datum: d, naam: holidays.get(d) as string })
  }
  const datum = werkdagen[n - 1] as string
  return { datum, verwachtOp: midnight(dateOfDay(day + 1)), werkdagen, overgeslagen }
}

/** The same Amsterdam clock time `n` days later. */
export function referenceSameClock (t: number, n: number): number {
  return wallToInstant(t + amsterdamOffset(t) + n * DAY)
}

/** Civil months later, clamped to the month's last day, by counting days of months one at a time. */
export function referenceAddMonths (date: string, n: number): string {
  let [y, m] = [Number(date.slice(0, 4)), Number(date.slice(5, 7))]
  const d = Number(date.slice(8, 10))
  for (let i = 0; i < Math.abs(n); i++) {
    m += Math.sign(n)
    if (m === 13) { m = 1; y++ }
    if (m === 0) { m = 12; y-- }
  }
  let last = 31
  while (new Date(Date.UTC(y, m - 1, last)).getUTCMonth() !== m - 1) last--
  return `${y}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`
}

export { dateOfDay, dayOf }
