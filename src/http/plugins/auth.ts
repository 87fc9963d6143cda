import type { FastifyInstance, RouteOptions } from 'fastify'
import fp from 'fastify-plugin'
import { findActiveKey, type Principal } from '../../adapters/db/sleutels-repository.js'
import type { SleutelRol } from '../../adapters/db/schema.js'
import { problem } from '../problem.js'
import { sendProblem } from './problem-handling.js'

/** Who may call a route: `public` (no key), or the roles whose keys may. */
export type Access = 'public' | readonly SleutelRol[]

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Required on every route: who may call it. A route without it stops the start. */
    access?: Access
  }
  interface FastifyRequest {
    /** The caller's key, set on every route that is not public. */
    principal: Principal | null
  }
  interface FastifyInstance {
    /** Every route with who may call it, as registered: the one place that a test enumerates. */
    readonly accessTable: ReadonlyArray<{ method: string, url: string, access: Access }>
  }
}

export const ALL_ROLES: readonly SleutelRol[] = ['beheerder', 'lezer', 'leverancier', 'monitor']
export const GEMEENTE: readonly SleutelRol[] = ['beheerder', 'lezer']
export const BEHEERDER: readonly SleutelRol[] = ['beheerder']

export class MissingAccessError extends Error {
  override readonly name = 'MissingAccessError'
}

const BEARER = /^Bearer\s+(\S+)\s*$/i

/**
 * API keys and roles (API.md, Conventions). Every route declares `config.access`; a route
 * without one makes registration fail, so no route is ever open by omission. Keys are looked up
 * by hash on every request (no cache), so a revoked key stops working at once on every instance.
 */
export default fp(async function auth (app: FastifyInstance) {
  const table: Array<{ method: string, url: string, access: Access }> = []
  app.decorate('accessTable', table)
  app.decorateRequest('principal', null)

  app.addHook('onRoute', (route: RouteOptions) => {
    const access = route.config?.access
    if (access === undefined) {
      throw new MissingAccessError(`route ${String(route.method)} ${route.url} does not declare config.access`)
    }
    for (const m of [route.method].flat()) table.push({ method: m, url: route.url, access })
  })

  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config?.access
    // Unknown paths (the not-found handler) have no access: they answer 404/405 without a key.
    if (access === undefined || access === 'public') return
    const header = request.headers.authorization
    const match = header === undefined ? null : BEARER.exec(header)
    const unauthorized = { 'www-authenticate': 'Bearer realm="sla-monitor"' }
    if (match === null) {
      return sendProblem(request, reply, problem(401, 'send an API key as Authorization: Bearer <key>', undefined, unauthorized))
    }
    const principal = await findActiveKey(app.db, match[1] as string)
    if (principal === undefined) {
      return sendProblem(request, reply, problem(401, 'the API key is unknown or revoked', undefined, unauthorized))
    }
    request.principal = principal
    if (!access.includes(principal.rol)) {
      return sendProblem(request, reply, problem(403, `a ${principal.rol} key may not ${request.method} this resource; allowed: ${access.join(', ')}`))
    }
  })
}, { name: 'auth', dependencies: ['database', 'problem-handling'] })
