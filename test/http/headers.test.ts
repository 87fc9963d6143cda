// NL API Design Rules at runtime (issue 10, item 5): API-Version, X-Request-Id, the security
// headers and Cache-Control on every answer, the errors that hooks give included; and the URI's
// major version is the API-Version's.
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { API_VERSION, VERSION } from '../../src/version.js'
import { BOOTSTRAP, build, withKeys } from '../helpers/app.js'

const NOW = Date.parse('2026-03-07T20:00:00Z')

const HEADERS: Array<[string, RegExp]> = [
  ['api-version', new RegExp(`^${API_VERSION.replace(/\./g, '\\.')}$`)],
  ['cache-control', /^no-store$/],
  ['content-security-policy', /default-src 'none'.*frame-ancestors 'none'/],
  ['strict-transport-security', /max-age=[1-9]/],
  ['x-content-type-options', /^nosniff$/],
  ['x-frame-options', /^deny$/i],
  ['referrer-policy', /^no-referrer$/]
]

t.test('the API version: 1.x.y, as the URI says v1, apart from the package version', async (t) => {
  t.match(API_VERSION, /^1\.\d+\.\d+$/)
  t.not(API_VERSION, VERSION, 'kept apart from the package version (0.x)')
})

t.test('headers on every answer, errors from hooks included', async (t) => {
  const { app, call, handle } = await build(t, { clock: () => NOW, corsOrigins: ['https://mijn.gemeente.example'] })
  const { keys } = await withKeys(call)
  const sleutel = (await call(BOOTSTRAP, { method: 'POST', url: '/api/v1/sleutels', payload: { rol: 'lezer' } })).data.id as string
  const json = { 'content-type': 'application/json' }

  const cases: Array<[string, number, Promise<Awaited<ReturnType<typeof call>>>]> = [
    ['200', 200, call(keys.lezer, { method: 'GET', url: '/api/v1/leveranciers' })],
    ['201', 201, call(BOOTSTRAP, { method: 'POST', url: '/api/v1/leveranciers', payload: { naam: 'Kop BV' } })],
    ['204', 204, call(BOOTSTRAP, { method: 'DELETE', url: `/api/v1/sleutels/${sleutel}` })],
    ['openapi.json', 200, call(null, { method: 'GET', url: '/api/v1/openapi.json' })],
    ['400 schema', 400, call(keys.lezer, { method: 'GET', url: '/api/v1/leveranciers?page=0' })],
    ['400 JSON', 400, call(BOOTSTRAP, { method: 'POST', url: '/api/v1/leveranciers', payload: '{', headers: json })],
    ['401', 401, call(null, { method: 'GET', url: '/api/v1/leveranciers' })],
    ['403', 403, call(keys.leverancier, { method: 'GET', url: '/api/v1/sleutels' })],
    ['400 path not UTF-8 (answered by the router, before any hook)', 400, call(keys.lezer, { method: 'GET', url: '/api/v1/leveranciers/%ED%A0%80' })],
    ['404 unknown path', 404, call(null, { method: 'GET', url: '/api/v1/bestaat-niet' })],
    ['404 trailing slash', 404, call(keys.lezer, { method: 'GET', url: '/api/v1/leveranciers/' })],
    ['404 not visible', 404, call(keys.lezer, { method: 'GET', url: '/api/v1/leveranciers/1d24b54e-8c1f-4b1e-9a6f-2f0c3b7d9e10' })],
    ['405', 405, call(null, { method: 'PUT', url: '/api/v1/leveranciers' })],
    ['405 unknown method', 405, call(null, { method: 'QUERY' as 'GET', url: '/api/v1/leveranciers' })],
    ['406', 406, call(keys.lezer, { method: 'GET', url: '/api/v1/leveranciers', headers: { accept: 'text/html' } })],
    ['413', 413, call(BOOTSTRAP, { method: 'POST', url: '/api/v1/leveranciers', payload: JSON.stringify({ naam: 'x'.repeat(1_100_000) }), headers: json })],
    ['415', 415, call(BOOTSTRAP, { method: 'POST', url: '/api/v1/leveranciers', payload: 'naam=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } })],
    ['CORS preflight', 204, call(null, { method: 'OPTIONS', url: '/api/v1/leveranciers', headers: { origin: 'https://mijn.gemeente.example', 'access-control-request-method': 'GET' } })],
    ['CORS preflight from another origin', 405, call(null, { method: 'OPTIONS', url: '/api/v1/leveranciers', headers: { origin: 'https://elders.example', 'access-control-request-method': 'GET' } })]
  ]
  for (const [name, status, pending] of cases) {
    const r = await pending
    t.equal(r.statusCode, status, `${name}: status`)
    for (const [header, re] of HEADERS) t.match(String(r.headers[header]), re, `${name}: ${header}`)
    t.match(String(r.headers['x-request-id']), /^[0-9a-f-]{36}$/, `${name}: x-request-id`)
    if (status >= 400) t.match(String(r.headers['content-type']), /^application\/problem\+json/, `${name}: problem+json`)
  }

  t.test('X-Request-Id echoes a well-formed id the client sent, also on a 404', async (t) => {
    const r = await call(null, { method: 'GET', url: '/api/v1/leveranciers/', headers: { 'x-request-id': 'client-42' } })
    t.equal(r.headers['x-request-id'], 'client-42')
    t.match(r.data.instance, /#client-42$/)
  })

  t.test('503 when not ready has them too', async (t) => {
    const notReady = await buildApp({ config: { corsOrigins: [], publicUrl: 'https://localhost/api/v1' }, database: handle, migrationCount: 10_000, clock: () => NOW })
    t.teardown(async () => { await notReady.close() })
    const r = await notReady.inject({ method: 'GET', url: '/health/ready' })
    t.equal(r.statusCode, 503)
    for (const [header, re] of HEADERS) t.match(String(r.headers[header]), re, `503: ${header}`)
  })

  t.test('the document says the same version', async (t) => {
    const doc = app.swagger() as { info: { version: string }, servers: Array<{ url: string }>, components: { headers: Record<string, { schema: { example: string } }> } }
    t.equal(doc.info.version, API_VERSION)
    t.equal(doc.components.headers['API-Version']?.schema.example, API_VERSION)
    t.match(doc.servers[0]?.url, new RegExp(`/api/v${API_VERSION.split('.')[0]}$`), 'the URI carries the major version')
  })
})
