/**
 * Problem details (RFC 9457) as the service answers every 4xx and 5xx. Routes throw an
 * HttpProblem; the error handler in `plugins/problem-handling.ts` turns everything into one.
 */
export interface InvalidParam {
  readonly name: string
  readonly reason: string
}

export class HttpProblem extends Error {
  override readonly name = 'HttpProblem'
  constructor (
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly invalidParams?: readonly InvalidParam[],
    readonly headers?: Readonly<Record<string, string>>
  ) {
    super(detail)
  }
}

/** Titles per status, the `title` of RFC 9457: the same for every occurrence of a status. */
export const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable'
}

export const problem = (status: number, detail: string, invalidParams?: readonly InvalidParam[], headers?: Record<string, string>): HttpProblem =>
  new HttpProblem(status, TITLES[status] ?? 'Error', detail, invalidParams, headers)

export const notFound = (what: string): HttpProblem => problem(404, `${what} does not exist, or this key may not see it`)

export const badRequest = (name: string, reason: string): HttpProblem =>
  problem(400, `invalid parameter: ${name}`, [{ name, reason }])
