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

/**
 * An id: a UUID in its canonical form only, 36 characters of lowercase hexadecimal digits and
 * hyphens (8-4-4-4-12), as the service gives them out. `urn:uuid:…` and uppercase are refused
 * with a 400 on every resource alike, so one id has one spelling (src/http/formats.ts `uuid`).
 */
export const Uuid = Type.String({
  format: 'uuid',
  description: 'a UUID in canonical form: lowercase hexadecimal 8-4-4-4-12, no `urn:uuid:` prefix',
  examples: ['1d24b54e-8c1f-4b1e-9a6f-2f0c3b7d9e10']
})
export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false })

/**
 * An instant: ISO 8601 with an offset in requests; UTC with `Z` in responses. Precision is the
 * millisecond, in and out: an answer carries a fraction exactly when the instant has one
 * (README, "Precision"), so nothing is rounded and no rounding can make a breach look met.
 * Years 1970–2199 only (the years the business calendar computes, src/core/time.ts).
 */
export const Instant = Type.String({
  format: 'date-time',
  description: 'ISO 8601 date-time; in requests with an offset (`Z` or `+01:00`), in answers in UTC with `Z`; years 1970–2199. Kept to the millisecond: an answer has a fraction of a second (`.5`, `.345`) only when the instant has one.',
  examples: ['2026-03-10T08:30:00Z']
})

export const MAX_PAGE_SIZE = 500
/** Far beyond any list here, and small enough that (page − 1) × pageSize is an exact integer offset. */
export const MAX_PAGE = 1_000_000
/** `page` and `pageSize`: optional, with their defaults (Ajv fills them in before the handler). */
export const PaginationQuery = {
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE, default: 1, description: 'page number, from 1, at most 1,000,000; past the last page the list is empty' })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 100, description: `items per page, at most ${MAX_PAGE_SIZE}` }))
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
  413: 'The body is larger than the endpoint accepts (1 MiB; 4 MiB for metingen)',
  415: 'The body\'s `Content-Type` is not supported',
  503: 'The database is down, frozen or overloaded, or the service sheds load: nothing was done; retry after `Retry-After` seconds (README, "Operating it")'
}

/**
 * The problem responses a route documents: the ones it names, and 406 and 503, which every route
 * can answer (401 and 403 are added for every route with a key). A route that takes a body (it
 * lists 415) can also be answered 413.
 */
export function problemResponses (...statuses: number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = {}
  const all = new Set([...statuses, 406, 503, ...(statuses.includes(415) ? [413] : [])])
  for (const s of [...all].sort((a, b) => a - b)) out[s] = problemResponse(ERROR_DESCRIPTIONS[s] ?? 'Error')
  return out
}
