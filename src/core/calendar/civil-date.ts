/**
 * Civil (wall-calendar) dates as `YYYY-MM-DD` strings and day numbers, computed with UTC
 * arithmetic only: a civil date has no time zone, so none of this may depend on the machine's.
 */

const MS_PER_DAY = 86_400_000

/** Days since 1970-01-01 of a civil date. */
export function dayNumber (year: number, month: number, day: number): number {
  return Math.floor(Date.UTC(year, month - 1, day) / MS_PER_DAY)
}

/** The civil date of a day number. */
export function civilOfDayNumber (n: number): { year: number, month: number, day: number, weekday: number } {
  const d = new Date(n * MS_PER_DAY)
  // ISO weekday: Monday 1 … Sunday 7.
  const js = d.getUTCDay()
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: js === 0 ? 7 : js }
}

export function formatCivil (year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

const CIVIL = /^(\d{4})-(\d{2})-(\d{2})$/

/** Parses `YYYY-MM-DD`, or returns undefined when it is no real date (2026-02-30). */
export function parseCivil (text: string): { year: number, month: number, day: number } | undefined {
  const m = CIVIL.exec(text)
  if (m === null) return undefined
  const year = Number(m[1]); const month = Number(m[2]); const day = Number(m[3])
  const c = civilOfDayNumber(dayNumber(year, month, day))
  if (c.year !== year || c.month !== month || c.day !== day) return undefined
  return { year, month, day }
}

/** ISO weekday (Monday 1 … Sunday 7) of a `YYYY-MM-DD` date. */
export function weekdayOf (date: string): number {
  const c = parseCivil(date)
  if (c === undefined) throw new RangeError(`not a date: ${date}`)
  return civilOfDayNumber(dayNumber(c.year, c.month, c.day)).weekday
}
