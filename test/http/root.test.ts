// Issue 10 (README as a newcomer meets it): GET / and GET /api/v1 point to the OpenAPI document.
import t from 'tap'
import { build } from '../helpers/app.js'

t.test('GET / and GET /api/v1 point to the OpenAPI document, without a key', async (t) => {
  const { call } = await build(t)
  for (const url of ['/', '/api/v1']) {
    const r = await call(null, { method: 'GET', url })
    t.equal(r.statusCode, 200, `${url} answers without a key`)
    t.equal(r.data.openapi, '/api/v1/openapi.json', `${url} names the OpenAPI document`)
    t.match(String(r.headers.link), /^<\/api\/v1\/openapi\.json>; rel="service-desc"/, `${url} links it as service-desc (RFC 8631)`)
    t.equal(r.headers['cache-control'], 'no-store')
    const doc = await call(null, { method: 'GET', url: r.data.openapi })
    t.equal(doc.statusCode, 200, 'and the document it names is there')
    t.equal(doc.data.info.version, r.data.apiVersie, 'with the same API version')
  }
  t.equal((await call(null, { method: 'GET', url: '/api/v1/' })).statusCode, 404, 'with a trailing slash it is not found (ADR /core/no-trailing-slash)')
})
