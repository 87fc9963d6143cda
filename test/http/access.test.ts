import t from 'tap'
import { Writable } from 'node:stream'
import { pino } from 'pino'
import { buildApp } from '../../src/app.js'
import { migrationCount } from '../../src/bootstrap.js'
import { ensureBootstrapKey } from '../../src/adapters/db/sleutels-repository.js'
import { BOOTSTRAP, TEST_NOW } from '../helpers/app.js'
import { freshDatabase } from '../helpers/database.js'

const config = { corsOrigins: [], publicUrl: 'https://localhost/api/v1' }
const clock = (): number => TEST_NOW

t.test('access and logging', async (t) => {
  const { handle } = await freshDatabase(t)
  await ensureBootstrapKey(handle.db, BOOTSTRAP)
  const lines: string[] = []
  const sink = new Writable({ write (chunk, _enc, cb) { lines.push(String(chunk)); cb() } })
  const app = await buildApp({ config, database: handle, migrationCount: migrationCount(), clock, logger: pino({ level: 'info' }, sink) })
  t.teardown(() => app.close())
  await app.ready()

  t.test('every route declares who may call it, and only these are public', async (t) => {
    t.ok(app.accessTable.length >= 10)
    for (const r of app.accessTable) t.ok(r.access === 'public' || (Array.isArray(r.access) && r.access.length > 0), `${r.method} ${r.url}`)
    const publicRoutes = app.accessTable.filter((r) => r.access === 'public').map((r) => `${r.method} ${r.url}`).sort()
    t.same(publicRoutes, [
      'GET /', 'GET /api/v1', 'GET /api/v1/openapi.json', 'GET /health/live', 'GET /health/ready',
      'HEAD /', 'HEAD /api/v1', 'HEAD /api/v1/openapi.json', 'HEAD /health/live', 'HEAD /health/ready',
      // API documentation in the browser: the page, its initialiser and the swagger-ui-dist files
      ...['', '/init.js', '/swagger-ui.css', '/swagger-ui-bundle.js', '/favicon-32x32.png'].flatMap((f) => [`GET /api/v1/docs${f}`, `HEAD /api/v1/docs${f}`]),
      'GET /docs', 'HEAD /docs',
      // authenticated by the koppeling's own secret (signature or Bearer secret), not by an API key
      'POST /api/v1/koppelingen/:id/berichten'
    ].sort())
    const sleutelRoutes = app.accessTable.filter((r) => r.url.startsWith('/api/v1/sleutels'))
    t.ok(sleutelRoutes.length >= 4)
    for (const r of sleutelRoutes) t.same(r.access, ['beheerder'], `${r.method} ${r.url} is beheerder only`)
  })

  t.test('a route without an access declaration stops the start', async (t) => {
    const bad = await buildApp({ config, database: handle, migrationCount: migrationCount(), clock })
    t.teardown(() => bad.close())
    t.throws(() => bad.get('/api/v1/vergeten', async () => 'open'), { name: 'MissingAccessError' })
  })

  t.test('one log line per request with its id, never the key', async (t) => {
    lines.length = 0
    const r = await app.inject({ method: 'GET', url: '/api/v1/leveranciers', headers: { authorization: `Bearer ${BOOTSTRAP}`, 'x-request-id': 'log-test-1' } })
    t.equal(r.statusCode, 200)
    await app.inject({ method: 'GET', url: '/api/v1/leveranciers', headers: { authorization: 'Bearer slam_not-a-real-key-value' } })
    const mine = lines.filter((l) => l.includes('log-test-1'))
    t.equal(mine.length, 1)
    const entry = JSON.parse(mine[0] as string)
    t.match(entry, { reqId: 'log-test-1', method: 'GET', url: '/api/v1/leveranciers', status: 200, keyId: String })
    t.notOk(lines.join('').includes(BOOTSTRAP), 'no key in the logs')
    t.notOk(lines.join('').includes('slam_not-a-real-key-value'), 'no unknown key in the logs')
    t.notOk(lines.join('').toLowerCase().includes('authorization'))
  })

  t.test('readiness is 503 when the database is gone', async (t) => {
    const gone = await freshDatabase(t)
    const app2 = await buildApp({ config, database: gone.handle, migrationCount: migrationCount(), clock })
    t.teardown(() => app2.close())
    t.equal((await app2.inject({ method: 'GET', url: '/health/ready' })).statusCode, 200)
    await gone.handle.close()
    const r = await app2.inject({ method: 'GET', url: '/health/ready' })
    t.equal(r.statusCode, 503)
    t.match(r.headers['content-type'], /problem\+json/)
    t.equal((await app2.inject({ method: 'GET', url: '/health/live' })).statusCode, 200)
  })

  t.test('readiness is 503 when a migration is missing', async (t) => {
    const app3 = await buildApp({ config, database: handle, migrationCount: migrationCount() + 1, clock })
    t.teardown(() => app3.close())
    t.equal((await app3.inject({ method: 'GET', url: '/health/ready' })).statusCode, 503)
  })
})
