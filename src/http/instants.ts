import { parseInstant, type Instant } from '../core/index.js'
import { problem, type InvalidParam } from './problem.js'

/**
 * In a URL query an unencoded `+` arrives as a space: `van=2026-03-10T09:30:00+01:00` typed into
 * curl gives `…09:30:00 01:00`. Read a space before the offset as the `+` it was.
 */
export const restorePlus = (text: string): string => text.replace(/ (\d{2}:?\d{2})$/, '+$1')

/**
 * An instant of a request. The schema's `date-time` format (src/http/formats.ts) has already
 * refused every bad one with a 400 naming the field, so this only reads it.
 */
export const readInstant = (text: string): Instant => parseInstant(restorePlus(text))

export const readOptionalInstant = (text: string | undefined): Instant | undefined =>
  text === undefined ? undefined : readInstant(text)

/** Collects every bad value of a request that a schema cannot see, then throws one 400 naming them all. */
export class Problems {
  readonly list: InvalidParam[] = []

  add (name: string, reason: string): void { this.list.push({ name, reason }) }

  throwIfAny (what = 'parameter'): void {
    const n = this.list.length
    if (n > 0) throw problem(400, `${n} invalid ${n === 1 ? what : `${what}s`}: ${this.list.map((i) => i.name).join(', ')}`, this.list)
  }
}
