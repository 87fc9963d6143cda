import cors from '@fastify/cors'
import helmet from '@fastify/helmet'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

export const OPENAPI_PATH = '/api/v1/openapi.json'

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
    reply.header('api-version', opts.apiVersion)
    reply.header('x-request-id', request.id)
    reply.header('cache-control', 'no-store')
  })

  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ['\'none\''], frameAncestors: ['\'none\''] } },
    frameguard: { action: 'deny' },
    hsts: { maxAge: 31_536_000, includeSubDomains: true },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginResourcePolicy: false,
    crossOriginOpenerPolicy: false,
    originAgentCluster: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false
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
