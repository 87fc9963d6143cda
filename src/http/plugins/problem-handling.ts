import accepts from 'accepts'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { databaseUnavailable } from '../../adapters/db/unavailable.js'
import { CoreError } from '../../core/index.js'
import { ServiceError } from '../../services/errors.js'
import { FORMATS } from '../formats.js'
import { HttpProblem, problem, TITLES, type InvalidParam } from '../problem.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Media types the route can produce, for `Accept` (406). Default: `application/json`. */
    produces?: readonly string[]
  }
}

const DEFAULT_PRODUCES: readonly string[] = ['application/json']
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const

export interface AjvError {
  instancePath: string
  keyword: string
  message?: string
  params: Record<string, unknown>
}

/** `/resultaten/2/op` → `resultaten[2].op`; the root of a part → the part's name. */
function fieldName (pointer: string, extra?: unknown): string {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
  if (typeof extra === 'string') parts.push(extra)
  let out = ''
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : (out === '' ? p : `.${p}`)
  return out
}

export function invalidParamsOf (errors: readonly AjvError[], context: string | undefined): InvalidParam[] {
  const seen = new Set<string>()
  const out: InvalidParam[] = []
  // A union (`anyOf`, e.g. a duration or null) fails in every branch: report the branch that
  // says most (a format, a range), or else the types it allows, once per field.
  const unions = new Map<string, string[]>()
  for (const e of errors) if (e.keyword === 'anyOf') unions.set(e.instancePath, [])
  const reported = new Set<string>()
  // A branch whose type matched and that failed deeper (a field of the object) says more than
  // the other branches' types: the union is reported by those deeper errors.
  for (const path of unions.keys()) {
    if (errors.some((e) => e.instancePath.startsWith(`${path}/`))) reported.add(path)
  }
  for (const e of errors) {
    if (e.keyword === 'anyOf') continue
    const union = unions.get(e.instancePath)
    if (union !== undefined && e.keyword === 'type') { union.push(String(e.params.type)); continue }
    if (union !== undefined) reported.add(e.instancePath)
    let name: string
    let reason: string
    switch (e.keyword) {
      case 'required':
        name = fieldName(e.instancePath, e.params.missingProperty)
        reason = 'is required'
        break
      case 'additionalProperties':
        name = fieldName(e.instancePath, e.params.additionalProperty)
        reason = context === 'querystring' ? 'is not a known parameter' : 'is not a known field'
        break
      case 'format':
        name = fieldName(e.instancePath)
        reason = FORMATS[String(e.params.format)]?.reason ?? e.message ?? 'is invalid'
        break
      case 'enum':
        name = fieldName(e.instancePath)
        reason = `must be one of: ${(e.params.allowedValues as unknown[]).map(String).join(', ')}`
        break
      default:
        name = fieldName(e.instancePath)
        reason = e.message ?? 'is invalid'
    }
    if (name === '') name = context ?? 'body'
    const key = `${name}\u0000${reason}`
    if (!seen.has(key)) { seen.add(key); out.push({ name, reason }) }
  }
  for (const [path, types] of unions) {
    if (!reported.has(path)) out.push({ name: fieldName(path) === '' ? context ?? 'body' : fieldName(path), reason: `must be ${[...new Set(types)].join(' or ')}` })
  }
  return out
}

/** Maps any error to a problem; 5xx details never leave the service. */
function toProblem (err: FastifyError | Error): HttpProblem {
  if (err instanceof HttpProblem) return err
  if (err instanceof ServiceError) {
    return problem(err.kind === 'not-found' ? 404 : err.kind === 'conflict' ? 409 : 400, err.message, err.invalidParams)
  }
  if (err instanceof CoreError) {
    return problem(400, err.message, err.field === undefined ? undefined : [{ name: err.field, reason: err.message }])
  }
  const unavailable = databaseUnavailable(err)
  if (unavailable !== undefined) {
    return problem(503, unavailable.reason === 'busy'
      ? 'the service is busy; try again after Retry-After seconds'
      : 'the database is unavailable for now; try again after Retry-After seconds', undefined, { 'retry-after': String(unavailable.retryAfterS) })
  }
  const fe = err as FastifyError & { validation?: AjvError[], validationContext?: string }
  if (Array.isArray(fe.validation)) {
    const params = invalidParamsOf(fe.validation, fe.validationContext)
    return problem(400, `${params.length} invalid ${params.length === 1 ? 'field' : 'fields'}: ${params.map((p) => p.name).join(', ')}`, params)
  }
  const status = fe.statusCode ?? 500
  if (status >= 400 && status < 500) {
    switch (fe.code) {
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return problem(415, 'the body must be JSON, sent with Content-Type: application/json')
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return problem(413, 'the body is larger than this endpoint accepts')
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return problem(400, 'the body is empty but Content-Type says JSON', [{ name: 'body', reason: 'is empty' }])
      default:
        if (fe instanceof SyntaxError || fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
          return problem(400, 'the body is not valid JSON', [{ name: 'body', reason: 'is not valid JSON' }])
        }
        return problem(status, fe.message)
    }
  }
  return problem(500, 'the service could not handle this request; it has been logged with the request id')
}

export function sendProblem (request: FastifyRequest, reply: FastifyReply, p: HttpProblem): FastifyReply {
  if (p.headers !== undefined) reply.headers(p.headers)
  return reply.code(p.status).type('application/problem+json').send({
    type: 'about:blank',
    title: p.title ?? TITLES[p.status],
    status: p.status,
    detail: p.detail,
    instance: `${request.url.split('?')[0] ?? ''}#${request.id}`,
    ...(p.invalidParams === undefined ? {} : { invalidParams: p.invalidParams })
  })
}

/**
 * A route that answers only 204 produces no content, so any `Accept` will do: it is never a 406
 * (and the OpenAPI document does not list one for it).
 */
export function producesNoContent (response: unknown): boolean {
  const success = Object.keys(response ?? {}).filter((s) => s.startsWith('2'))
  return success.length > 0 && success.every((s) => s === '204')
}

/** Turns a route pattern (`/api/v1/sleutels/:id`) into a matcher of concrete paths. */
function patternToRegExp (url: string): RegExp {
  const escaped = url.split('/').map((seg) => seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('/')
  return new RegExp(`^${escaped}$`)
}

/**
 * Problem details for every error (RFC 9457, ADR /core/error-handling/*): validation (400 with
 * every invalid field), unknown paths (404), wrong methods (405 with `Allow`), `Accept` (406),
 * `Content-Type` (415), bodies that are not JSON (400) or too large (413). Registered with fp so
 * that its handlers are the root's.
 */
export default fp(async function problemHandling (app: FastifyInstance) {
  const routes: Array<{ method: string, match: RegExp }> = []
  app.addHook('onRoute', (route) => {
    if (route.url.includes('*')) return
    // A route without query parameters refuses unknown ones too, as every route with them does
    // (found by fuzzing: `GET /contracten/{id}?x=1` was a 200, `GET /contracten?x=1` a 400).
    if (route.config?.access !== 'public' && route.schema !== undefined && route.schema.querystring === undefined) {
      route.schema = { ...route.schema, querystring: { type: 'object', properties: {}, additionalProperties: false } }
    }
    for (const m of [route.method].flat()) routes.push({ method: m.toUpperCase(), match: patternToRegExp(route.url) })
  })

  /** 405 with `Allow` when the path exists with other methods, else 404. */
  const noRoute = (request: FastifyRequest): HttpProblem => {
    const path = request.url.split('?')[0] ?? ''
    const allowed = new Set(routes.filter((r) => r.match.test(path)).map((r) => r.method))
    if (allowed.size > 0) {
      const allow = METHODS.filter((m) => allowed.has(m)).join(', ')
      return problem(405, `${request.method} is not allowed here; allowed: ${allow}`, undefined, { allow })
    }
    const hint = path.length > 1 && path.endsWith('/') ? ' (paths never end in a slash)' : ''
    return problem(404, `no resource at ${path}${hint}`)
  }

  app.addHook('onRequest', async (request, reply) => {
    // ADR /core/no-trailing-slash: 404, never a redirect. Checked here because the router would
    // match `/leveranciers/` to `/leveranciers/:id` with an empty id.
    const path = request.url.split('?')[0] ?? ''
    if (path.length > 1 && path.endsWith('/')) {
      return sendProblem(request, reply, problem(404, `no resource at ${path} (paths never end in a slash)`))
    }
    // No route: answer 404/405 now, before Fastify reads a body it would only refuse (an
    // unknown method such as QUERY would otherwise be a 400 about its Content-Type).
    if (request.routeOptions.url === undefined) return sendProblem(request, reply, noRoute(request))
    if (request.headers.accept === undefined) return
    if (producesNoContent(request.routeOptions.schema?.response)) return
    const produces = request.routeOptions.config?.produces ?? DEFAULT_PRODUCES
    if (accepts(request.raw).type([...produces]) === false) {
      return sendProblem(request, reply, problem(406, `this endpoint produces ${produces.join(', ')}; the Accept header asks for none of them`))
    }
  })

  app.setErrorHandler((err: FastifyError, request, reply) => {
    // Every 400 names a field (found by fuzzing: a deadline past 2199 was a 400 without one).
    // A core error that knows no field of its own is about the inputs together: it names the
    // part of the request they came in, the body or the query.
    if (err instanceof CoreError && err.field === undefined) {
      const part = request.body !== undefined && request.body !== null ? 'body' : 'query'
      return sendProblem(request, reply, problem(400, err.message, [{ name: part, reason: err.message }]))
    }
    const p = toProblem(err)
    // A 503 (database down, frozen or overloaded; load shed) is a state of the platform that
    // clients retry through, logged at warn; any other 5xx is a defect, logged at error.
    if (p.status === 503) request.log.warn({ err: { message: err.message, code: (err as { code?: unknown }).code } }, 'service unavailable')
    else if (p.status >= 500) request.log.error({ err }, 'request failed')
    return sendProblem(request, reply, p)
  })

  // Reached only when the onRequest hook above did not answer (it answers every unknown route).
  app.setNotFoundHandler((request, reply) => sendProblem(request, reply, noRoute(request)))
}, { name: 'problem-handling' })
