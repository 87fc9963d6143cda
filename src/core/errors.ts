/**
 * Errors of the pure core. Each carries a stable `code`; the HTTP layer maps codes to statuses
 * in exactly one place (`src/http/plugins/problem.ts`). Messages are written for the API's users.
 */
export type CoreErrorCode =
  | 'invalid-interval'
  | 'invalid-duration'
  | 'invalid-instant'
  | 'out-of-range'
  | 'explanation-too-long'

export class CoreError extends Error {
  override readonly name = 'CoreError'
  readonly code: CoreErrorCode
  /** The input that is wrong, when there is one (a parameter or field name). */
  readonly field: string | undefined

  constructor (code: CoreErrorCode, message: string, field?: string) {
    super(message)
    this.code = code
    this.field = field
  }
}
