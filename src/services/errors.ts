/** An outcome a use case reports; the HTTP layer maps `kind` to a status in one place. */
export class ServiceError extends Error {
  override readonly name = 'ServiceError'
  constructor (
    readonly kind: 'not-found' | 'conflict' | 'invalid',
    message: string,
    readonly invalidParams?: ReadonlyArray<{ name: string, reason: string }>
  ) {
    super(message)
  }
}

export const invalid = (params: ReadonlyArray<{ name: string, reason: string }>): ServiceError =>
  new ServiceError('invalid', `${params.length} invalid ${params.length === 1 ? 'field' : 'fields'}: ${params.map((p) => p.name).join(', ')}`, params)
