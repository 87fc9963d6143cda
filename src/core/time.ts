import { CoreError } from './errors.js'

/** An instant as milliseconds since the Unix epoch (UTC). */
export type Instant = number
/** A length of (business) time in milliseconds. */
export type Duration = number

const MS_PER_SECOND = 1000
const MS_PER_MINUTE = 60 * MS_PER_SECOND
const MS_PER_HOUR = 60 * MS_PER_MINUTE

// ISO 8601 date-time that states its offset: `Z` or `±HH:MM` (or `±HHMM`). Fractions of a second
// are allowed (kept to the millisecond); a value without an offset is refused, because its
// instant would be a guess.
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2}):?(\d{2}))$/i

/**
 * The years an instant may lie in: those the business calendar computes (FIRST_YEAR and
 * LAST_YEAR of src/core/calendar, checked equal in test/core/time.test.ts). An instant outside
 * them is a typo in a year, and `Date.UTC` would silently read years 0–99 as 1900–1999.
 */
export const FIRST_INSTANT_YEAR = 1970
export const LAST_INSTANT_YEAR = 2199
const FIRST_INSTANT = Date.UTC(FIRST_INSTANT_YEAR, 0, 1)
const END_OF_INSTANTS = Date.UTC(LAST_INSTANT_YEAR + 1, 0, 1)

/** Days in month `m` (1–12) of year `y`; `setUTCFullYear` keeps years 0–99 as they are. */
const daysInMonth = (y: number, m: number): number => {
  const d = new Date(0)
  d.setUTCFullYear(y, m, 0)
  return d.getUTCDate()
}

/**
 * Parses an ISO 8601 instant with an explicit offset (`2026-03-10T09:30:00+01:00`, `…Z`).
 * An instant inside a daylight-saving gap or overlap is unambiguous when its offset is given,
 * so `2026-03-29T02:30:00+01:00` is simply 01:30 UTC. Dates that do not exist (30 February,
 * 24:00) are refused, not rolled over. The instant must lie in the years 1970–2199 (UTC):
 * `0050-02-20T14:00:00Z` is refused, never read as 1950.
 *
 * @throws CoreError `invalid-instant` naming `field` when the text is not such an instant.
 */
export function parseInstant (text: string, field = 'op'): Instant {
  const m = ISO_INSTANT.exec(text)
  const bad = (why: string): CoreError => new CoreError('invalid-instant', `'${text.slice(0, 40)}' ${why}`, field)
  if (m === null) throw bad('is not an ISO 8601 date-time with an offset, such as 2026-03-10T09:30:00+01:00 or 2026-03-10T08:30:00Z')
  const [y, mo, d, h, mi] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number]
  const sec = Number(m[6] ?? 0)
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'))
  const offH = Number(m[10] ?? 0)
  const offM = Number(m[11] ?? 0)
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || sec > 59 || offH > 18 || offM > 59) {
    throw bad('is not a valid date-time: a part is out of range')
  }
  const offset = m[8] !== undefined ? 0 : (m[9] === '-' ? -1 : 1) * (offH * 60 + offM) * MS_PER_MINUTE
  // Only years the range can reach go to Date.UTC, which maps years 0–99 to 1900–1999.
  if (y < FIRST_INSTANT_YEAR - 1 || y > LAST_INSTANT_YEAR + 1) throw bad(yearsReason)
  const instant = Date.UTC(y, mo - 1, d, h, mi, sec, ms) - offset
  if (instant < FIRST_INSTANT || instant >= END_OF_INSTANTS) throw bad(yearsReason)
  return instant
}

const yearsReason = `lies outside the years ${FIRST_INSTANT_YEAR}–${LAST_INSTANT_YEAR} (UTC) that this service computes`

/** Formats an instant as ISO 8601 in UTC with `Z`, to the millisecond only when it has one. */
export function formatInstant (instant: Instant): string {
  const iso = new Date(instant).toISOString()
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso
}

const ISO_DURATION = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:\.(\d{1,3}))?S)?$/

/**
 * Parses an ISO 8601 duration in hours, minutes and seconds only (`PT20H`, `PT1H30M`, `PT0S`).
 * Days, weeks, months and years are refused: a werkdag of business time is 10 hours, so `P1D`
 * would mislead (API.md conventions).
 *
 * @throws CoreError `invalid-duration` naming `field`.
 */
export function parseDuration (text: string, field = 'duur'): Duration {
  const m = ISO_DURATION.exec(text)
  if (m === null || text === 'PT') {
    const hint = /^P\d+[DWMY]/i.test(text)
      ? ' Days, weeks, months and years are not allowed: a werkdag of business time is 10 hours, so write PT10H for one werkdag.'
      : ''
    throw new CoreError('invalid-duration',
      `'${text.slice(0, 40)}' is not an ISO 8601 duration in hours, minutes and seconds, such as PT20H or PT1H30M.${hint}`, field)
  }
  const [, h, min, s, frac] = m
  const ms = Number(h ?? 0) * MS_PER_HOUR + Number(min ?? 0) * MS_PER_MINUTE +
    Number(s ?? 0) * MS_PER_SECOND + (frac === undefined ? 0 : Number(frac.padEnd(3, '0')))
  if (!Number.isSafeInteger(ms)) throw new CoreError('invalid-duration', `'${text.slice(0, 40)}' is too long`, field)
  return ms
}

/**
 * Formats a duration as ISO 8601 in hours, minutes and seconds, never days: `PT100H`, `PT1H30M`,
 * `PT0S`; milliseconds appear only when present (`PT1.5S`). Negative durations get a leading `-`.
 */
export function formatDuration (duration: Duration): string {
  if (duration < 0) return `-${formatDuration(-duration)}`
  const ms = Math.round(duration)
  const h = Math.floor(ms / MS_PER_HOUR)
  const min = Math.floor((ms % MS_PER_HOUR) / MS_PER_MINUTE)
  const sMs = ms % MS_PER_MINUTE
  let out = 'PT'
  if (h > 0) out += `${h}H`
  if (min > 0) out += `${min}M`
  if (sMs > 0 || out === 'PT') {
    const s = Math.floor(sMs / MS_PER_SECOND)
    const frac = sMs % MS_PER_SECOND
    out += frac === 0 ? `${s}S` : `${s}.${String(frac).padStart(3, '0').replace(/0+$/, '')}S`
  }
  return out
}

export const HOUR = MS_PER_HOUR
export const MINUTE = MS_PER_MINUTE
export const SECOND = MS_PER_SECOND
