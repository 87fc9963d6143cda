// Issue 16: API documentation in the browser at /api/v1/docs, from the static swagger-ui-dist
// bundle, checked in a real headless browser (Debian's chromium; .ci/run installs it).
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import t from 'tap'
import { build } from '../helpers/app.js'

const DIST = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'))
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => existsSync(p))

t.test('/ and /api/v1 link the docs page; the page and its files are served without a key', async (t) => {
  const { call } = await build(t)
  for (const url of ['/', '/api/v1']) {
    const r = await call(null, { method: 'GET', url })
    t.equal(r.data.docs, '/api/v1/docs', `${url} names the docs page`)
    t.equal(r.data.health, '/health/ready', `${url} names the health check`)
    t.match(String(r.headers.link), /<\/api\/v1\/docs>; rel="service-doc"/, `${url} links the docs as service-doc (RFC 8631)`)
  }
  const page = await call(null, { method: 'GET', url: '/api/v1/docs', headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } })
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-type'], /^text\/html/)
  t.match(page.body, /<script src="\/api\/v1\/docs\/swagger-ui-bundle\.js"><\/script>/)
  t.notMatch(page.body, /<script>/, 'no inline script: the CSP allows only this origin\'s files')
  const csp = String(page.headers['content-security-policy'])
  t.match(csp, /script-src 'self'(;|$)/, 'scripts from this origin only')
  t.match(csp, /frame-ancestors 'none'/)
  t.equal(page.headers['x-frame-options'], 'DENY', 'the other security headers stay')
  t.ok(page.headers['api-version'] !== undefined && page.headers['x-request-id'] !== undefined)

  const init = await call(null, { method: 'GET', url: '/api/v1/docs/init.js' })
  t.match(init.body, /url: "\/api\/v1\/openapi\.json"/, 'the initialiser loads the public OpenAPI document')
  for (const [file, type] of [['swagger-ui.css', /^text\/css/], ['swagger-ui-bundle.js', /^text\/javascript/], ['favicon-32x32.png', /^image\/png/]] as const) {
    const r = await call(null, { method: 'GET', url: `/api/v1/docs/${file}` })
    t.equal(r.statusCode, 200, file)
    t.match(r.headers['content-type'], type, `${file} has its media type`)
    t.ok(r.rawPayload.equals(readFileSync(join(DIST, file))), `${file} is the package's file`)
  }
  t.equal((await call(null, { method: 'GET', url: '/api/v1/docs/package.json' })).statusCode, 404, 'no other file of the package is served')
  t.equal((await call(null, { method: 'GET', url: '/api/v1/docs/..%2Fpackage.json' })).statusCode, 404, 'nor a path out of it')
  t.equal((await call(null, { method: 'GET', url: '/api/v1/docs', headers: { accept: 'application/json' } })).statusCode, 406, 'the page is HTML only')
  const short = await call(null, { method: 'GET', url: '/docs' })
  t.equal(short.statusCode, 302, '/docs, where people type it, leads to the page')
  t.equal(short.headers.location, '/api/v1/docs')
})

t.test('headless chromium renders every operation of the OpenAPI document', async (t) => {
  if (CHROMIUM === undefined) {
    t.fail('chromium is not installed: apt-get install -y chromium (.ci/run does)')
    return
  }
  const { app, call } = await build(t)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  const doc = (await call(null, { method: 'GET', url: '/api/v1/openapi.json' })).data
  const operations: string[] = []
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
    for (const method of Object.keys(item)) operations.push(`${method.toUpperCase()} ${path}`)
  }
  t.ok(operations.length >= 30, `the document has ${operations.length} operations`)

  const profile = mkdtempSync(join(tmpdir(), 'sla-chromium-'))
  t.teardown(() => { rmSync(profile, { recursive: true, force: true }) })
  const dom = await new Promise<string>((resolve, reject) => {
    execFile(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
      `--user-data-dir=${profile}`, '--virtual-time-budget=20000', '--dump-dom', `http://127.0.0.1:${port}/api/v1/docs`],
    { timeout: 120_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err !== null) reject(new Error(`chromium failed: ${err.message}\n${stderr}`)); else resolve(stdout)
    })
  })
  t.match(dom, /SLA-monitor gemeente Midden-Groningen/, 'the page shows the API\'s title')
  t.notMatch(dom, /Failed to load API definition/, 'Swagger UI loaded the document')
  const rendered = new Set<string>()
  const block = /class="opblock opblock-(get|post|put|patch|delete|head)[^"]*"[\s\S]*?data-path="([^"]+)"/g
  for (const m of dom.matchAll(block)) rendered.add(`${(m[1] as string).toUpperCase()} ${(m[2] as string).replace(/&amp;/g, '&')}`)
  t.same([...rendered].sort(), [...operations].sort(), `the browser shows all ${operations.length} operations, each with its method and path`)
  t.match(dom, /Authorize/, 'with the button that takes a key for Try it out')
})
