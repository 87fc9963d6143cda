import { CoreError } from './errors.js'

/**
 * A reader of one of a fixed set of values (an enum column read back from the database, a
 * value the API schema already checked): the value itself, typed as the union, or an error
 * naming what was expected. Used instead of a type assertion, so a value outside the union can
 * never pass as one of it.
 */
export function enumReader<T extends string | number> (values: readonly T[], what: string): (x: unknown) => T {
  const known = new Map<unknown, T>(values.map((v) => [v, v]))
  return (x) => {
    const v = known.get(x)
    if (v === undefined) throw new CoreError('out-of-range', `${String(x)} is not a ${what} (${values.join(', ')})`)
    return v
  }
}
