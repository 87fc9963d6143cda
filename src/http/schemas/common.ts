import { Type, type Static, type TSchema } from 'typebox'

export const ProblemSchema = Type.Object({
  type: Type.String({ description: 'A URI that identifies the kind of problem; `about:blank` when its status says it all' }),
  title: Type.String(),
  status: Type.Integer({ minimum: 400, maximum: 599 }),
  detail: Type.String(),
  instance: Type.String({ description: 'The request path, and the request id as a fragment' }),
  invalidParams: Type.Optional(Type.Array(Type.Object({
    name: Type.String({ description: 'The field or parameter, as a path: `naam`, `resultaten[2].op`' }),
    reason: Type.String()
  })))
}, { $id: 'Problem', description: 'Problem details (RFC 9457)' })
export type Problem = Static<typeof ProblemSchema>

export const Uuid = Type.String({ format: 'uuid', description: 'a UUID' })
export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false })

/**
 * An instant: ISO 8601 with an offset in requests; UTC with `Z` in responses. Precision is the
 * millisecond, in and out: an answer carries a fraction exactly when the instant has one
 * (README, "Precision"), so nothing is rounded and no rounding can make a breach look met.
 */
export const Instant = Type.String({
  format: 'date-time',
  description: 'ISO 8601 date-time; in requests with an offset (`Z` or `+01:00`), in answers in UTC with `Z`. Kept to the millisecond: an answer has a fraction of a second (`.5`, `.345`) only when the instant has one.',
  examples: ['2026-03-10T08:30:00Z']
})

export const MAX_PAGE_SIZE = 500
export const PaginationQuery = {
  page: Type.Integer({ minimum: 1, default: 1, description: 'page number, from 1' }),
  pageSize: Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 100, description: `items per page, at most ${MAX_PAGE_SIZE}` })
}

/** The collection envelope of API.md: `{ resultaten, aantal }` (aantal: the total over all pages). */
export const Collection = <T extends TSchema>(item: T) => Type.Object({
  resultaten: Type.Array(item),
  aantal: Type.Integer({ minimum: 0, description: 'the number of items over all pages' })
})

const problemResponse = (description: string) => Type.Unsafe<Problem>({ ...Type.Ref('Problem'), description })

const ERROR_DESCRIPTIONS: Readonly<Record<number, string>> = {
  400: 'Invalid input: `invalidParams` names every invalid field and why',
  401: 'No key, or an unknown or revoked key',
  403: 'The key is valid but its role may not do this',
  404: 'Not found, or not visible to this key',
  406: 'None of the media types in `Accept` can be produced',
  409: 'Conflicts with the current state',
  413: 'The body is too large',
  415: 'The body\'s `Content-Type` is not supported'
}

/** The problem responses a route documents, besides the ones every route has (401, 406, 500). */
export function problemResponses (...statuses: number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = {}
  for (const s of [...statuses, 406]) out[s] = problemResponse(ERROR_DESCRIPTIONS[s] ?? 'Error')
  return out
}
