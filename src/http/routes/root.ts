import type { FastifyPluginAsync } from 'fastify'
import { OPENAPI_PATH } from '../plugins/http-headers.js'
import { DOCS_PATH } from './docs.js'

/**
 * `GET /` and `GET /api/v1`: where a newcomer (or a browser, or Postman) lands first. They name
 * the service and point to the OpenAPI document, also as `Link: …; rel="service-desc"` (RFC 8631),
 * to the API documentation in the browser, and to readiness. No key needed; outside the OpenAPI document like the health routes.
 */
const root: FastifyPluginAsync<{ apiVersion: string }> = async (app, opts) => {
  const body = {
    naam: 'SLA-monitor gemeente Midden-Groningen',
    apiVersie: opts.apiVersion,
    api: '/api/v1',
    openapi: OPENAPI_PATH,
    docs: DOCS_PATH,
    health: '/health/ready',
    gereed: '/health/ready',
    toelichting: 'Every operation under /api/v1 needs Authorization: Bearer <key>; the OpenAPI document (no key) describes them all, docs shows them in a browser, and postman/ in the repository holds a collection to import.'
  }
  for (const url of ['/', '/api/v1']) {
    app.get(url, { schema: { hide: true }, config: { access: 'public' } }, async (_request, reply) => {
      reply.header('link', `<${OPENAPI_PATH}>; rel="service-desc"; type="application/vnd.oai.openapi+json", <${DOCS_PATH}>; rel="service-doc"; type="text/html"`)
      return body
    })
  }
}

export default root
