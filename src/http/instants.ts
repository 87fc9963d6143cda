import { CoreError, parseInstant, type Instant } from '../core/index.js'
import { problem, type InvalidParam } from './problem.js'

/**
 * In a URL query an unencoded `+` arrives as a space: `van=2026-03-10T09:30:00+01:00` typed into
 * curl gives `…09:30:00 01:00`. Read a space before the offset as the `+` it was.
 */
export const restorePlus = (text: string): string => text.replace(/ (\d{2}:?\d{2})$/, '+$1')

/** Collects every bad value of a request, then throws one 400 that names them all. */
export class Problems {
  readonly list: InvalidParam[] = []

  add (name: string, reason: string): void { this.list.push({ name, reason }) }

  /** Runs a parse; a CoreError becomes an invalid parameter of that name. */
  attempt<T> (name: string, f: () => T): T | undefined {
    try { return f() } catch (err) {
      if (err instanceof CoreError) { this.add(name, err.message); return undefined }
      throw err
    }
  }

  instant (name: string, text: string): Instant | undefined {
    return this.attempt(name, () => parseInstant(restorePlus(text), name))
  }

  optionalInstant (name: string, text: string | undefined): Instant | undefined {
    return text === undefined ? undefined : this.instant(name, text)
  }

  throwIfAny (what = 'parameter'): void {
    const n = this.list.length
    if (n > 0) throw problem(400, `${n} invalid ${n === 1 ? what : `${what}s`}: ${this.list.map((i) => i.name).join(', ')}`, this.list)
  }
}
