import t from 'tap'
import { sql } from 'kysely'
import { BOOTSTRAP, build, withKeys } from '../helpers/app.js'
import { API_VERSION } from '../../src/version.js'

const SECURITY_HEADERS: Array<[string, RegExp]> = [
  ['cache-control', /no-store/],
  ['content-security-policy', /frame-ancestors 'none'/],
  ['strict-transport-security', /max-age=[1-9]/],
  ['x-content-type-options', /^nosniff$/],
  ['x-frame-options', /^deny$/i],
  ['api-version', new RegExp(`^${API_VERSION.replace(/\./g, '\\.')}$`)]
]

t.test('foundation over HTTP', async (t) => {
  const { app, call, handle } = await build(t)
  const { keys, leverancierId, otherLeverancierId } = await withKeys(call)

  t.test('health: live always, ready when migrated', async (t) => {
    t.equal((await call(null, { method: 'GET', url: '/health/live' })).statusCode, 200)
    const ready = await call(null, { method: 'GET', url: '/health/ready' })
    t.equal(ready.statusCode, 200)
    t.same(ready.data, { status: 'ok' })
  })

  t.test('every response, errors included, has API-Version and the security headers', async (t) => {
    const responses = [
      await call(null, { method: 'GET', url: '/api/v1/openapi.json' }),
      await call(keys.lezer, { method: 'GET', url: '/api/v1/leveranciers' }),
      await call(null, { method: 'GET', url: '/api/v1/leveranciers' }),
      await call(null, { method: 'GET', url: '/api/v1/bestaat-niet' }),
      await call(BOOTSTRAP, { method: 'POST', url: '/api/v1/leveranciers', payload: '{', headers: { 'content-type': 'application/json' } })
    ]
    for (const r of responses) {
      for (const [name, re] of SECURITY_HEADERS) t.match(String(r.headers[name]), re, `${r.statusCode} ${name}`)
      t.notOk(r.headers['set-cookie'], 'no session cookie')
    }
  })

  t.test('openapi.json: public, CORS *, OpenAPI 3.1 with the same version', async (t) => {
    const r = await call(null, { method: 'GET', url: '/api/v1/openapi.json', headers: { origin: 'https://elders.example' } })
    t.equal(r.statusCode, 200)
    t.equal(r.headers['access-control-allow-origin'], '*')
    t.equal(r.data.openapi, '3.1.0')
    t.equal(r.data.info.version, API_VERSION)
    t.ok(r.data.paths['/kalender/deadline'], 'paths are relative to the server url')
  })

  t.test('CORS for the API only echoes allowed origins', async (t) => {
    const { call: c2 } = await build(t, { corsOrigins: ['https://mijn.gemeente.example'], handle })
    const ok = await c2(keys.lezer, { method: 'GET', url: '/api/v1/leveranciers', headers: { origin: 'https://mijn.gemeente.example' } })
    t.equal(ok.headers['access-control-allow-origin'], 'https://mijn.gemeente.example')
    const evil = await c2(keys.lezer, { method: 'GET', url: '/api/v1/leveranciers', headers: { origin: 'https://evil.example' } })
    t.notOk(evil.headers['access-control-allow-origin'])
    const pre = await c2(null, { method: 'OPTIONS', url: '/api/v1/leveranciers', headers: { origin: 'https://mijn.gemeente.example', 'access-control-request-method': 'POST' } })
    t.equal(pre.statusCode, 204)
    t.match(String(pre.headers['access-control-allow-methods']), /POST/)
  })

  t.test('401 without a key, with an unknown key, and for a key in the query string', async (t) => {
    for (const r of [
      await call(null, { method: 'GET', url: '/api/v1/leveranciers' }),
      await call('slam_unknown', { method: 'GET', url: '/api/v1/leveranciers' }),
      await call(null, { method: 'GET', url: `/api/v1/leveranciers?access_token=${BOOTSTRAP}` }),
      await call(null, { method: 'GET', url: '/api/v1/leveranciers', headers: { authorization: `Basic ${BOOTSTRAP}` } })
    ]) {
      t.equal(r.statusCode, 401)
      t.match(r.headers['content-type'], /^application\/problem\+json/)
      t.match(r.data, { status: 401, title: 'Unauthorized', detail: String })
      t.equal(r.headers['www-authenticate'], 'Bearer realm="sla-monitor"')
    }
  })

  t.test('403 for a known key without the right', async (t) => {
    const r = await call(keys.leverancier, { method: 'GET', url: '/api/v1/sleutels' })
    t.equal(r.statusCode, 403)
    t.match(r.headers['content-type'], /^application\/problem\+json/)
    t.match(r.data, { status: 403, detail: /leverancier key may not GET/ })
    t.equal((await call(keys.lezer, { method: 'POST', url: '/api/v1/leveranciers', payload: { naam: 'X' } })).statusCode, 403)
    t.equal((await call(keys.monitor, { method: 'GET', url: '/api/v1/leveranciers' })).statusCode, 403)
  })

  t.test('404 for unknown paths and for trailing slashes, never a redirect', async (t) => {
    for (const url of ['/api/v1/meldingen/', '/api/v1/leveranciers/', '/api/v1/nergens', '/api/v1/leveranciers.json']) {
      const r = await call(keys.beheerder, { method: 'GET', url })
      t.equal(r.statusCode, 404, url)
      t.notOk(r.headers.location)
      t.match(r.data, { status: 404, title: 'Not Found', detail: String, instance: String })
    }
  })

  t.test('405 with Allow for a wrong method', async (t) => {
    const r = await call(keys.beheerder, { method: 'PUT', url: '/api/v1/leveranciers' })
    t.equal(r.statusCode, 405)
    t.equal(r.headers.allow, 'GET, HEAD, POST')
    t.match(r.data, { status: 405, detail: /PUT is not allowed/ })
    const one = await call(keys.beheerder, { method: 'DELETE', url: `/api/v1/leveranciers/${leverancierId}` })
    t.equal(one.statusCode, 405)
    t.equal(one.headers.allow, 'GET, HEAD')
  })

  t.test('406 when Accept asks for nothing the route produces', async (t) => {
    const r = await call(keys.lezer, { method: 'GET', url: '/api/v1/leveranciers', headers: { accept: 'application/xml' } })
    t.equal(r.statusCode, 406)
    t.match(r.headers['content-type'], /^application\/problem\+json/)
    for (const accept of ['*/*', 'application/json', 'application/*', 'text/html, application/json;q=0.5']) {
      t.equal((await call(keys.lezer, { method: 'GET', url: '/api/v1/leveranciers', headers: { accept } })).statusCode, 200, accept)
    }
  })

  t.test('415 for a body that is not JSON or has no Content-Type', async (t) => {
    const plain = await call(keys.beheerder, { method: 'POST', url: '/api/v1/leveranciers', payload: 'naam=x', headers: { 'content-type': 'text/plain' } })
    t.equal(plain.statusCode, 415)
    t.match(plain.headers['content-type'], /^application\/problem\+json/)
    const none = await app.inject({ method: 'POST', url: '/api/v1/leveranciers', payload: '{"naam":"x"}', headers: { authorization: `Bearer ${BOOTSTRAP}`, 'content-type': '' } })
    t.equal(none.statusCode, 415)
  })

  t.test('400 for a body that is not JSON, 413 for one too large', async (t) => {
    const bad = await call(keys.beheerder, { method: 'POST', url: '/api/v1/leveranciers', payload: '{"naam":', headers: { 'content-type': 'application/json' } })
    t.equal(bad.statusCode, 400)
    t.match(bad.data, { invalidParams: [{ name: 'body' }] })
    t.notMatch(bad.body, /at .*\.(js|ts):\d+|node_modules|stack/)
    const big = await call(keys.beheerder, { method: 'POST', url: '/api/v1/leveranciers', payload: JSON.stringify({ naam: 'x'.repeat(2_000_000) }), headers: { 'content-type': 'application/json' } })
    t.equal(big.statusCode, 413)
    t.match(big.data, { status: 413, title: 'Content Too Large' })
  })

  t.test('400 names every invalid field, body and query alike, without coercing types', async (t) => {
    const r = await call(keys.beheerder, { method: 'POST', url: '/api/v1/sleutels', payload: { rol: 'koning', leverancier: 5, diensten: 'x', extra: true } })
    t.equal(r.statusCode, 400)
    t.same(r.data.invalidParams.map((p: { name: string }) => p.name).sort(), ['diensten', 'extra', 'leverancier', 'rol'])
    const l = await call(keys.beheerder, { method: 'POST', url: '/api/v1/leveranciers', payload: { naam: 1, kvkNummer: 2 } })
    t.same(l.data.invalidParams.map((p: { name: string }) => p.name).sort(), ['kvkNummer', 'naam'])
    const missing = await call(keys.beheerder, { method: 'POST', url: '/api/v1/leveranciers', payload: {} })
    t.same(missing.data.invalidParams, [{ name: 'naam', reason: 'is required' }])
    const q = await call(keys.lezer, { method: 'GET', url: '/api/v1/leveranciers?pageSize=abc&page_size=5&page=0' })
    t.equal(q.statusCode, 400)
    t.same(q.data.invalidParams.map((p: { name: string }) => p.name).sort(), ['page', 'pageSize', 'page_size'])
    const id = await call(keys.lezer, { method: 'GET', url: '/api/v1/leveranciers/niet-een-uuid' })
    t.equal(id.statusCode, 400)
    t.same(id.data.invalidParams.map((p: { name: string }) => p.name), ['id'])
  })

  t.test('X-Request-Id: echoed when given, made when not', async (t) => {
    const given = await call(keys.lezer, { method: 'GET', url: '/api/v1/leveranciers', headers: { 'x-request-id': 'abc-123' } })
    t.equal(given.headers['x-request-id'], 'abc-123')
    const made = await call(keys.lezer, { method: 'GET', url: '/api/v1/leveranciers', headers: { 'x-request-id': 'bad id with spaces' } })
    t.match(String(made.headers['x-request-id']), /^[0-9a-f-]{36}$/)
  })

  t.test('keys: secret shown once, stored only hashed, revoked at once', async (t) => {
    const made = await call(keys.beheerder, { method: 'POST', url: '/api/v1/sleutels', payload: { rol: 'lezer', omschrijving: 'contractmanager' } })
    t.equal(made.statusCode, 201)
    t.equal(made.headers.location, `/api/v1/sleutels/${made.data.id}`)
    const secret: string = made.data.sleutel
    t.match(secret, /^slam_[A-Za-z0-9_-]{43}$/)
    const one = await call(keys.beheerder, { method: 'GET', url: `/api/v1/sleutels/${made.data.id}` })
    t.notOk('sleutel' in one.data, 'the secret is never answered again')
    const list = await call(keys.beheerder, { method: 'GET', url: '/api/v1/sleutels?pageSize=500' })
    t.notOk(JSON.stringify(list.data).includes(secret))
    const rows = await sql<Record<string, unknown>>`select * from sleutel`.execute(handle.db)
    t.notOk(JSON.stringify(rows.rows).includes(secret.slice(12)), 'the secret is not in the database')
    t.equal((await call(secret, { method: 'GET', url: '/api/v1/leveranciers' })).statusCode, 200)
    t.equal((await call(keys.beheerder, { method: 'DELETE', url: `/api/v1/sleutels/${made.data.id}` })).statusCode, 204)
    t.equal((await call(secret, { method: 'GET', url: '/api/v1/leveranciers' })).statusCode, 401, 'revoked keys stop at once')
    const after = await call(keys.beheerder, { method: 'GET', url: `/api/v1/sleutels/${made.data.id}` })
    t.match(after.data.ingetrokkenOp, /Z$/, 'a revoked key stays listed')
    t.equal((await call(keys.beheerder, { method: 'DELETE', url: '/api/v1/sleutels/00000000-0000-4000-8000-000000000000' })).statusCode, 404)
  })

  t.test('key rules: leverancier keys need an existing leverancier, monitor keys diensten', async (t) => {
    const r = await call(keys.beheerder, { method: 'POST', url: '/api/v1/sleutels', payload: { rol: 'leverancier' } })
    t.same(r.data.invalidParams, [{ name: 'leverancier', reason: 'is required for a leverancier key' }])
    const ghost = await call(keys.beheerder, { method: 'POST', url: '/api/v1/sleutels', payload: { rol: 'leverancier', leverancier: '00000000-0000-4000-8000-000000000000' } })
    t.equal(ghost.statusCode, 400)
    const mon = await call(keys.beheerder, { method: 'POST', url: '/api/v1/sleutels', payload: { rol: 'monitor' } })
    t.same(mon.data.invalidParams.map((p: { name: string }) => p.name), ['diensten'])
    const self = await call(keys.beheerder, { method: 'GET', url: '/api/v1/sleutels?pageSize=1' })
    const own = await call(keys.beheerder, { method: 'DELETE', url: `/api/v1/sleutels/${self.data.resultaten[0].id}` })
    t.equal(own.statusCode, 409, 'the bootstrap key cannot revoke itself')
  })

  t.test('a leverancier key sees only its own leverancier', async (t) => {
    const list = await call(keys.leverancier, { method: 'GET', url: '/api/v1/leveranciers' })
    t.same(list.data.resultaten.map((l: { id: string }) => l.id), [leverancierId])
    t.equal(list.data.aantal, 1)
    t.equal((await call(keys.leverancier, { method: 'GET', url: `/api/v1/leveranciers/${otherLeverancierId}` })).statusCode, 404)
    t.equal((await call(keys.leverancier, { method: 'GET', url: `/api/v1/leveranciers/${leverancierId}` })).statusCode, 200)
    const all = await call(keys.lezer, { method: 'GET', url: '/api/v1/leveranciers' })
    t.equal(all.data.aantal, 2)
  })

  t.test('pagination: stable order, Link header, aantal over all pages', async (t) => {
    for (let i = 0; i < 5; i++) await call(keys.beheerder, { method: 'POST', url: '/api/v1/leveranciers', payload: { naam: `Pagina ${i}` } })
    const p1 = await call(keys.lezer, { method: 'GET', url: '/api/v1/leveranciers?page=1&pageSize=3' })
    const p2 = await call(keys.lezer, { method: 'GET', url: '/api/v1/leveranciers?page=2&pageSize=3' })
    t.equal(p1.data.aantal, 7)
    t.equal(p1.data.resultaten.length, 3)
    const ids1 = p1.data.resultaten.map((l: { id: string }) => l.id)
    const ids2 = p2.data.resultaten.map((l: { id: string }) => l.id)
    t.same(ids1.filter((id: string) => ids2.includes(id)), [], 'pages do not overlap')
    t.match(p1.headers.link, /page=2&pageSize=3>; rel="next"/)
    t.match(p1.headers.link, /page=3&pageSize=3>; rel="last"/)
    t.notMatch(p1.headers.link, /rel="prev"/)
    t.match(p2.headers.link, /page=1&pageSize=3>; rel="prev"/)
  })

  t.test('meldingen and sleutels rows are kept: DELETE on sleutel is refused by the database', async (t) => {
    await t.rejects(sql`delete from sleutel`.execute(handle.db), /never deleted/)
  })
})
