/**
 * A slow, obviously correct reference for the calendar engine, written from the texts
 * themselves and sharing no code with src/: the Algemene termijnenwet (art. 3) for the holidays,
 * with its own Easter computation; the EU summer-time directive (2000/84/EC: from the last
 * Sunday of March to the last Sunday of October, at 01:00 UTC) for Amsterdam's offset; and
 * minute-by-minute stepping for business time.
 */

const MIN = 60_000
const DAY = 86_400_000

/** Easter Sunday (Gregorian), by the anonymous algorithm (Meeus/Jones/Butcher). */
export function easter (year: number): { month: number, day: number } {
  const a = year % 19
  const b = Math.floor(year / 100)
  const c = year % 100
  const d = Math.floor(b / 4)
  const e = b % 4
  const f = Math.floor((b + 8) / 25)
  const g = Math.floor((b - f + 1) / 3)
  const h = (19 * a + b - d - g + 15) % 30
  const i = Math.floor(c / 4)
  const k = c % 4
  const l = (32 + 2 * e + 2 * i - h - k) % 7
  const m = Math.floor((a + 11 * h + 22 * l) / 451)
  const month = Math.floor((h + l - 7 * m + 114) / 31)
  const day = ((h + l - 7 * m + 114) % 31) + 1
  return { month, day }
}

const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 10)

/** The law's holidays of a year as `[date, name]`, sorted. */
export function lawHolidays (year: number): Array<[string, string]> {
  const e = easter(year)
  const easterMs = Date.UTC(year, e.month - 1, e.day)
  const april27 = Date.UTC(year, 3, 27)
  const koningsdag = new Date(april27).getUTCDay() === 0 ? april27 - DAY : april27
  const list: Array<[string, string]> = [
    [iso(Date.UTC(year, 0, 1)), 'Nieuwjaarsdag'],
    [iso(easterMs + 1 * DAY), 'Tweede Paasdag'],
    [iso(easterMs + 39 * DAY), 'Hemelvaartsdag'],
    [iso(easterMs + 50 * DAY), 'Tweede Pinksterdag'],
    [iso(koningsdag), 'Koningsdag'],
    [iso(Date.UTC(year, 4, 5)), 'Bevrijdingsdag'],
    [iso(Date.UTC(year, 11, 25)), 'Eerste Kerstdag'],
    [iso(Date.UTC(year, 11, 26)), 'Tweede Kerstdag']
  ]
  return list.sort((x, y) => x[0].localeCompare(y[0]))
}

/** The last Sunday of a month, 01:00 UTC: when EU summer time starts (March) or ends (October). */
export function euSwitch (year: number, month: number): number {
  const lastDay = Date.UTC(year, month, 0) // day 0 of the next month
  const back = new Date(lastDay).getUTCDay()
  return lastDay - back * DAY + 60 * MIN
}

const switches = new Map<number, [number, number]>()
/** Amsterdam's offset from UTC in ms at a UTC instant: +2 h in summer time, +1 h otherwise. */
export function amsterdamOffset (t: number): number {
  const year = new Date(t).getUTCFullYear()
  let s = switches.get(year)
  if (s === undefined) { s = [euSwitch(year, 3), euSwitch(year, 10)]; switches.set(year, s) }
  return t >= s[0] && t < s[1] ? 2 * 60 * MIN : 60 * MIN
}

const holidayDays = new Set<number>()
for (let y = 2018; y <= 2045; y++) for (const [d] of lawHolidays(y)) holidayDays.add(Date.parse(`${d}T00:00:00Z`) / DAY)

/** Whether the minute starting at UTC instant t is office time: Mon–Fri, no holiday, 08:00–18:00 local. */
export function isOfficeMinute (t: number): boolean {
  const local = t + amsterdamOffset(t)
  const day = Math.floor(local / DAY)
  const weekday = (day + 4) % 7 // 1970-01-01 was a Thursday (4); 0 = Sunday
  if (weekday === 0 || weekday === 6 || holidayDays.has(day)) return false
  const minuteOfDay = (local - day * DAY) / MIN
  return minuteOfDay >= 8 * 60 && minuteOfDay < 18 * 60
}

export interface Pause { start: number, end: number }
const paused = (t: number, pauses: readonly Pause[]): boolean => pauses.some((p) => t >= p.start && t < p.end)

/** Business minutes in [from, to), stepping a minute at a time (instants on whole minutes). */
export function referenceBusinessTime (from: number, to: number, pauses: readonly Pause[], altijd = false): number {
  let n = 0
  for (let t = from; t < to; t += MIN) if ((altijd || isOfficeMinute(t)) && !paused(t, pauses)) n++
  return n * MIN
}

/** The earliest instant at which `duration` business time has passed, stepping minute by minute. */
export function referenceDeadline (from: number, duration: number, pauses: readonly Pause[], altijd = false): number {
  let left = duration / MIN
  let t = from
  while (left > 0) {
    if ((altijd || isOfficeMinute(t)) && !paused(t, pauses)) left--
    t += MIN
  }
  return t
}
