import type { IncomingMessage, ServerResponse } from 'node:http'
import cors from '@fastify/cors'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import helmet from 'helmet'

export const OPENAPI_PATH = '/api/v1/openapi.json'

/**
 * The transport-security headers (ADR /core/transport/security-headers), as helmet makes them
 * from these options. They depend on nothing in the request, so helmet runs once, here, and the
 * same headers go on every answer: also on one the router gives before any hook runs (a path
 * that is not UTF-8, see `frameworkErrors` in src/app.ts), which a per-request plugin misses.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = (() => {
  const headers: Record<string, string> = {}
  const res = {
    setHeader (name: string, value: unknown) { headers[name.toLowerCase()] = String(value) },
    removeHeader (name: string) { delete headers[name.toLowerCase()] }
  }
  helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ['\'none\''], frameAncestors: ['\'none\''] } },
    frameguard: { action: 'deny' },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginResourcePolicy: false,
    crossOriginOpenerPolicy: false,
    originAgentCluster: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false
  })({} as IncomingMessage, res as unknown as ServerResponse, () => {})
  return Object.freeze(headers)
})()

/** Every header every answer carries (ADR /core/version-header and the ones above). */
export const standardHeaders = (apiVersion: string, requestId: string): Record<string, string> => ({
  ...SECURITY_HEADERS,
  'api-version': apiVersion,
  'x-request-id': requestId,
  'cache-control': 'no-store'
})

/**
 * Headers on every response, errors included (ADR /core/version-header,
 * /core/transport/security-headers, /core/transport/cors): `API-Version`, `X-Request-Id`,
 * the security headers (helmet), `Cache-Control: no-store`, and CORS with an allowlist, except
 * `openapi.json`, which every origin may read.
 */
export default fp(async function httpHeaders (app: FastifyInstance, opts: { apiVersion: string, corsOrigins: readonly string[] }) {
  // The first onRequest hooks of the app (app.ts registers this plugin first), so every answer
  // has these headers, also one that a later hook gives (a CORS preflight, 401, 404, 405, 406).
  app.addHook('onRequest', async (request, reply) => {
    reply.headers(standardHeaders(opts.apiVersion, request.id))
  })

  const allowed = new Set(opts.corsOrigins)
  await app.register(cors, {
    delegator: (req, cb) => {
      const path = (req.url ?? '').split('?')[0]
      if (path === OPENAPI_PATH) { cb(null, { origin: '*', methods: ['GET', 'HEAD'] }); return }
      const origin = req.headers.origin
      cb(null, {
        origin: origin !== undefined && allowed.has(origin) ? origin : false,
        methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'],
        allowedHeaders: ['Authorization', 'Content-Type', 'Accept', 'X-Request-Id'],
        exposedHeaders: ['API-Version', 'Link', 'Location', 'X-Request-Id'],
        maxAge: 600
      })
    }
  })
}, { name: 'http-headers' })
