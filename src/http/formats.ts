import type { Ajv } from 'ajv'
import { FIRST_INSTANT_YEAR, LAST_INSTANT_YEAR, parseDuration } from '../core/index.js'
import { readInstant } from './instants.js'

const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

const ok = (f: () => unknown): boolean => { try { f(); return true } catch { return false } }

/**
 * The string formats the API validates itself, replacing Ajv's: `date-time` is ISO 8601 with an
 * offset (an unencoded `+` that arrived as a space is accepted); `duration` is hours, minutes
 * and seconds only (API.md); `interval` is `van/tot` of two such instants; `uuid` is the
 * canonical lowercase 8-4-4-4-12 form only (Ajv's also takes `urn:uuid:` and uppercase, which
 * the database then reads as another id or refuses). Declaring them in the schemas lets one 400
 * name every bad field, whatever its kind.
 */
export const FORMATS: Readonly<Record<string, { validate: (s: string) => boolean, reason: string }>> = {
  'date-time': {
    validate: (s) => ok(() => readInstant(s)),
    reason: `must be an ISO 8601 date-time with an offset in the years ${FIRST_INSTANT_YEAR}–${LAST_INSTANT_YEAR}, such as 2026-03-10T09:30:00+01:00 or 2026-03-10T08:30:00Z`
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
    reason: `must be an interval van/tot of two ISO 8601 date-times with offsets in the years ${FIRST_INSTANT_YEAR}–${LAST_INSTANT_YEAR}, the second not before the first`
  },
  uuid: {
    validate: (s) => CANONICAL_UUID.test(s),
    reason: 'must be a UUID in canonical form: lowercase hexadecimal 8-4-4-4-12, such as 1d24b54e-8c1f-4b1e-9a6f-2f0c3b7d9e10, without urn:uuid:'
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
