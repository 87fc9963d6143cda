import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { FastifyPluginAsync } from 'fastify'
import { OPENAPI_PATH, SECURITY_HEADERS } from '../plugins/http-headers.js'

export const DOCS_PATH = '/api/v1/docs'

/** The files of the static `swagger-ui-dist` bundle the page loads, and their media types. */
const ASSETS: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png'
}

/**
 * The page's content security policy: only this origin's scripts (no inline script, so the
 * initialiser is a file of its own), Swagger UI's inline styles, images as data: URLs, and calls
 * to this origin (the OpenAPI document and "Try it out"). Everything else keeps the API's policy.
 */
const DOCS_CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; font-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

const PAGE = `<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SLA-monitor API – documentatie</title>
<link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css">
<link rel="icon" type="image/png" href="${DOCS_PATH}/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
<script src="${DOCS_PATH}/init.js"></script>
</body>
</html>
`

const INIT = `window.ui = SwaggerUIBundle({
  url: ${JSON.stringify(OPENAPI_PATH)},
  dom_id: '#swagger-ui',
  deepLinking: true,
  persistAuthorization: false,
  tryItOutEnabled: false,
  validatorUrl: null
})
`

/**
 * API documentation in the browser (issue 16): Swagger UI from the static `swagger-ui-dist`
 * bundle, served by these few routes instead of @fastify/swagger-ui or Scalar's plugin (both
 * declare Node ≥ 22). No key: it shows only the public OpenAPI document; "Authorize" takes a key
 * for "Try it out", kept in the page's memory only. Outside the OpenAPI document itself.
 */
const docs: FastifyPluginAsync = async (app) => {
  const dist = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'))
  const cache = new Map<string, Buffer>()
  const asset = (file: string): Buffer => {
    let body = cache.get(file)
    if (body === undefined) { body = readFileSync(join(dist, file)); cache.set(file, body) }
    return body
  }
  const headers = { ...SECURITY_HEADERS, 'content-security-policy': DOCS_CSP, 'cache-control': 'no-cache' }

  app.get(DOCS_PATH, { schema: { hide: true }, config: { access: 'public', produces: ['text/html'] } }, async (_request, reply) => {
    return reply.headers(headers).type('text/html; charset=utf-8').send(PAGE)
  })
  // Where people type it: /docs leads to the page.
  app.get('/docs', { schema: { hide: true }, config: { access: 'public', produces: ['text/html'] } }, async (_request, reply) => {
    return reply.redirect(DOCS_PATH, 302)
  })
  app.get(`${DOCS_PATH}/init.js`, { schema: { hide: true }, config: { access: 'public', produces: ['text/javascript'] } }, async (_request, reply) => {
    return reply.headers(headers).type('text/javascript; charset=utf-8').send(INIT)
  })
  for (const [file, type] of Object.entries(ASSETS)) {
    app.get(`${DOCS_PATH}/${file}`, { schema: { hide: true }, config: { access: 'public', produces: [type.split(';')[0] as string] } }, async (_request, reply) => {
      return reply.headers(headers).type(type).send(asset(file))
    })
  }
}

export default docs
