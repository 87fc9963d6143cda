import type { Ajv } from 'ajv'
import { parseDuration } from '../core/index.js'
import { readInstant } from './instants.js'

const ok = (f: () => unknown): boolean => { try { f(); return true } catch { return false } }

/**
 * The string formats the API validates itself, replacing Ajv's: `date-time` is ISO 8601 with an
 * offset (an unencoded `+` that arrived as a space is accepted); `duration` is hours, minutes
 * and seconds only (API.md); `interval` is `van/tot` of two such instants. Declaring them in the
 * schemas lets one 400 name every bad field, whatever its kind.
 */
export const FORMATS: Readonly<Record<string, { validate: (s: string) => boolean, reason: string }>> = {
  'date-time': {
    validate: (s) => ok(() => readInstant(s)),
    reason: 'must be an ISO 8601 date-time with an offset, such as 2026-03-10T09:30:00+01:00 or 2026-03-10T08:30:00Z'
  },
  duration: {
    validate: (s) => ok(() => parseDuration(s)),
    reason: 'must be an ISO 8601 duration in hours, minutes and seconds, such as PT20H or PT1H30M (no days: a werkdag is 10 werkuren, so PT10H)'
  },
  interval: {
    validate: (s) => {
      const parts = s.split('/')
      if (parts.length !== 2) return false
      const [a, b] = parts.map((p) => { try { return readInstant(p) } catch { return NaN } }) as [number, number]
      return Number.isFinite(a) && Number.isFinite(b) && a <= b
    },
    reason: 'must be an interval van/tot of two ISO 8601 date-times with offsets, the second not before the first'
  }
}

/**
 * Gives an Ajv instance the API's own formats, replacing ajv-formats' `date-time` and `duration`
 * (which refuse `PT7H29M59.877S`). Every Ajv of the app goes through here: the body and parameter
 * validators and the response serializer's (src/http/serializer.ts), so a value the API answers
 * is one it would accept, and the other way round.
 */
export function addApiFormats (ajv: Ajv): Ajv {
  for (const [name, f] of Object.entries(FORMATS)) ajv.addFormat(name, { type: 'string', validate: f.validate })
  return ajv
}
