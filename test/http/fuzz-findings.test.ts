// Regression tests for the defects that fuzzing the API found (issue 10, item 4), each first
// reproduced by hand. The fuzz test itself is test/http/fuzz.test.ts.
import t, { type Test } from 'tap'
import { BOOTSTRAP, build, standardContract, withKeys } from '../helpers/app.js'

const NOW = Date.parse('2026-03-07T20:00:00Z') // a Saturday evening: a whole second, outside office hours

t.test('defects found by fuzzing', async (t) => {
  const { call, handle } = await build(t, { clock: () => NOW })
  const { keys, leverancierId } = await withKeys(call)
  const contract = await standardContract(call, leverancierId)
  const dienst = (await call(BOOTSTRAP, { method: 'POST', url: '/api/v1/diensten', payload: { contract, naam: 'Portaal' } })).data.id as string
  const melding = (await call(keys.leverancier, { method: 'POST', url: '/api/v1/meldingen', payload: { contract, kenmerk: 'F-1', onderwerp: 'x', type: 'verstoring', prioriteit: 3, gemeldOp: '2026-03-06T10:00:00+01:00' } })).data.id as string
  const rapportage = (await call(BOOTSTRAP, { method: 'POST', url: '/api/v1/rapportages', payload: { contract, periode: '2026-Q1' } })).data.id as string
  const sleutel = (await call(BOOTSTRAP, { method: 'POST', url: '/api/v1/sleutels', payload: { rol: 'lezer' } })).data.id as string
  const koppeling = (await call(BOOTSTRAP, { method: 'POST', url: '/api/v1/koppelingen', payload: { contract, bron: 'jira', naam: 'Jira' } })).data.id as string
  const abonnement = (await call(BOOTSTRAP, { method: 'POST', url: '/api/v1/abonnementen', payload: { soort: 'email', adressen: ['a@example.nl'] } })).data.id as string
  const doc = (await call(null, { method: 'GET', url: '/api/v1/openapi.json' })).data

  const counts = async (): Promise<string> => {
    const tables = ['leverancier', 'contract', 'melding', 'gebeurtenis', 'dienst', 'rapportage', 'sleutel']
    const rows = await Promise.all(tables.map(async (x) => (await handle.db.selectFrom(x as 'melding').select(({ fn }) => fn.countAll().as('n')).executeTakeFirstOrThrow()).n))
    return rows.join(',')
  }
  const badRequest = (t: Test, r: { statusCode: number, headers: Record<string, unknown>, data: any }, field: string, why: string): void => {
    t.equal(r.statusCode, 400, `${why}: 400`)
    t.match(String(r.headers['content-type']), /^application\/problem\+json/, `${why}: problem+json`)
    t.ok((r.data?.invalidParams ?? []).some((p: { name: string }) => p.name === field), `${why}: names ${field}`)
  }

  const byResource: Array<[string, string]> = [
    ['leveranciers', leverancierId], ['sleutels', sleutel], ['contracten', contract], ['meldingen', melding],
    ['diensten', dienst], ['rapportages', rapportage]
  ]

  t.test('an id as urn:uuid: or in uppercase is a 400 naming it on every resource, never a 500', async (t) => {
    for (const [resource, id] of byResource) {
      for (const spelling of [`urn:uuid:${id}`, id.toUpperCase()]) {
        badRequest(t, await call(BOOTSTRAP, { method: 'GET', url: `/api/v1/${resource}/${spelling}` }), 'id', `GET /${resource}/${spelling}`)
      }
      t.equal((await call(BOOTSTRAP, { method: 'GET', url: `/api/v1/${resource}/${id}` })).statusCode, 200, `${resource}: the canonical id still answers`)
    }
    const before = await counts()
    badRequest(t, await call(BOOTSTRAP, { method: 'PATCH', url: `/api/v1/contracten/${contract.toUpperCase()}`, payload: { naam: 'Y' } }), 'id', 'PATCH uppercase')
    badRequest(t, await call(BOOTSTRAP, { method: 'GET', url: `/api/v1/meldingen?contract=urn:uuid:${contract}` }), 'contract', 'filter urn')
    badRequest(t, await call(BOOTSTRAP, { method: 'GET', url: `/api/v1/diensten?contract=${contract.toUpperCase()}` }), 'contract', 'filter uppercase')
    badRequest(t, await call(BOOTSTRAP, { method: 'POST', url: '/api/v1/rapportages', payload: { contract: contract.toUpperCase(), periode: '2026-Q1' } }), 'contract', 'POST /rapportages uppercase')
    badRequest(t, await call(BOOTSTRAP, { method: 'POST', url: '/api/v1/rapportages', payload: { contract: `urn:uuid:${contract}`, periode: '2026-Q1' } }), 'contract', 'POST /rapportages urn')
    badRequest(t, await call(BOOTSTRAP, { method: 'POST', url: '/api/v1/sleutels', payload: { rol: 'monitor', diensten: [dienst.toUpperCase()] } }), 'diensten[0]', 'POST /sleutels')
    t.equal(await counts(), before, 'nothing was written')
    t.match(doc.components.schemas.Contract.properties.id.description, /lowercase/, 'the schema says so')
  })

  t.test('a huge page is a 400 on every list, with a documented maximum', async (t) => {
    const lists = Object.entries(doc.paths as Record<string, Record<string, any>>)
      .filter(([, item]) => (item.get?.parameters ?? []).some((p: { name: string }) => p.name === 'page'))
      // Each list's own documented maximum page size (500, or less where items are large: the koppelingen inbox).
      .map(([path, item]) => ({
        path: path.replace('{id}', path.startsWith('/diensten') ? dienst : path.startsWith('/koppelingen') ? koppeling : path.startsWith('/abonnementen') ? abonnement : path.startsWith('/contracten') ? contract : melding),
        maxSize: item.get.parameters.find((p: { name: string }) => p.name === 'pageSize').schema.maximum as number
      }))
    t.ok(lists.length >= 10, `${lists.length} lists`)
    for (const { path, maxSize } of lists) {
      for (const page of ['288230376151711744', '1000001', '1e30']) {
        badRequest(t, await call(BOOTSTRAP, { method: 'GET', url: `/api/v1${path}?page=${page}` }), 'page', `${path}?page=${page}`)
      }
      badRequest(t, await call(BOOTSTRAP, { method: 'GET', url: `/api/v1${path}?pageSize=${maxSize + 1}` }), 'pageSize', `${path}?pageSize=${maxSize + 1}`)
      const last = await call(BOOTSTRAP, { method: 'GET', url: `/api/v1${path}?page=1000000&pageSize=${maxSize}` })
      t.equal(last.statusCode, 200, `${path}: the largest page answers, empty`)
      t.same(last.data.resultaten, [])
    }
    const page = doc.paths['/contracten'].get.parameters.find((p: { name: string }) => p.name === 'page')
    t.equal(page.schema.maximum, 1_000_000)
    t.match(page.description, /at most 1,000,000/)
  })

  t.test('page and pageSize are optional in the document: they have defaults', async (t) => {
    let n = 0
    for (const item of Object.values(doc.paths as Record<string, Record<string, any>>)) {
      for (const op of Object.values(item)) {
        for (const p of op.parameters ?? []) {
          if (p.name !== 'page' && p.name !== 'pageSize') continue
          n++
          t.notOk(p.required, `${op.summary}: ${p.name} not required`)
          t.type(p.schema.default, 'number')
        }
      }
    }
    t.ok(n >= 20)
    const r = await call(BOOTSTRAP, { method: 'GET', url: '/api/v1/contracten' })
    t.match(String(r.headers.link), /page=1&pageSize=100/, 'the defaults apply')
  })

  t.test('years 0000–0099 and outside 1970–2199: 400 naming the field, never stored as 19xx', async (t) => {
    badRequest(t, await call(BOOTSTRAP, { method: 'GET', url: `/api/v1/diensten/${dienst}/beschikbaarheid?maand=0000-01` }), 'maand', 'maand 0000-01')
    badRequest(t, await call(BOOTSTRAP, { method: 'GET', url: `/api/v1/diensten/${dienst}/beschikbaarheid?maand=2200-01` }), 'maand', 'maand 2200-01')
    badRequest(t, await call(BOOTSTRAP, { method: 'POST', url: '/api/v1/rapportages', payload: { contract, periode: '0000-Q1' } }), 'periode', 'periode 0000-Q1')
    badRequest(t, await call(BOOTSTRAP, { method: 'GET', url: '/api/v1/rapportages?periode=0099-Q4' }), 'periode', 'periode filter')
    const before = await counts()
    const r = await call(keys.leverancier, { method: 'POST', url: '/api/v1/meldingen', payload: { contract, kenmerk: 'Y-50', onderwerp: 'x', type: 'verstoring', prioriteit: 3, gemeldOp: '0050-02-20T14:00:00Z' } })
    badRequest(t, r, 'gemeldOp', 'gemeldOp in year 50')
    t.match(r.data.invalidParams[0].reason, /1970–2199/, 'the reason names the range')
    t.notMatch(r.body, /1950/, 'and never the year it used to be read as')
    badRequest(t, await call(keys.leverancier, { method: 'POST', url: `/api/v1/meldingen/${melding}/gebeurtenissen`, payload: { type: 'reactie', op: '0026-03-06T10:00:00Z' } }), 'op', 'event op')
    badRequest(t, await call(BOOTSTRAP, { method: 'POST', url: `/api/v1/diensten/${dienst}/metingen`, payload: [{ op: '0099-12-31T23:00:00Z', beschikbaar: true }] }), '[0].op', 'meting op')
    badRequest(t, await call(keys.lezer, { method: 'GET', url: '/api/v1/kalender/deadline?van=0050-02-20T14:00:00Z&duur=PT1H' }), 'van', 'kalender van')
    t.equal(await counts(), before, 'nothing was written')
  })

  t.test('an unknown method on a known path is a 405 with Allow, before any key or body', async (t) => {
    for (const method of ['QUERY', 'PROPFIND', 'PUT']) {
      const r = await call(null, { method: method as 'GET', url: `/api/v1/contracten/${contract}` })
      t.equal(r.statusCode, 405, method)
      t.equal(r.headers.allow, 'GET, HEAD, PATCH', `${method}: Allow`)
      t.match(String(r.headers['content-type']), /^application\/problem\+json/)
    }
    const withBody = await call(null, { method: 'QUERY' as 'GET', url: '/api/v1/meldingen', payload: '{"x":1}', headers: { 'content-type': 'application/json' } })
    t.equal(withBody.statusCode, 405)
    t.equal(withBody.headers.allow, 'GET, HEAD, POST')
    t.equal((await call(null, { method: 'QUERY' as 'GET', url: '/api/v1/bestaat-niet' })).statusCode, 404, 'an unknown path stays 404')
  })

  t.test('DELETE /sleutels/{id} answers 204 whatever Accept says: it produces no content', async (t) => {
    const r = await call(BOOTSTRAP, { method: 'DELETE', url: `/api/v1/sleutels/${sleutel}`, headers: { accept: 'application/problem+json' } })
    t.equal(r.statusCode, 204)
    t.equal(r.body, '')
    const again = await call(BOOTSTRAP, { method: 'DELETE', url: `/api/v1/sleutels/${sleutel}`, headers: { accept: 'text/html' } })
    t.equal(again.statusCode, 204, 'also when already revoked')
    t.equal((await call(BOOTSTRAP, { method: 'GET', url: '/api/v1/contracten', headers: { accept: 'text/html' } })).statusCode, 406, 'a route with content still says 406')
  })

  t.test('the document shows both forms of the events body and 413 on every operation with a body', async (t) => {
    const body = doc.paths['/meldingen/{id}/gebeurtenissen'].post.requestBody.content['application/json'].schema
    t.same(body.anyOf.map((s: { type: string }) => s.type), ['object', 'array'])
    t.equal(body.anyOf[1].maxItems, 1000)
    let n = 0
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
      for (const [method, op] of Object.entries(item)) {
        if (op.requestBody === undefined) continue
        n++
        t.ok(op.responses['413'], `${method} ${path} documents 413`)
        t.ok(op.responses['413'].content['application/problem+json'], `${method} ${path}: 413 is problem+json`)
      }
    }
    t.ok(n >= 12, `${n} operations with a body`)
    const big = await call(BOOTSTRAP, { method: 'POST', url: '/api/v1/leveranciers', payload: { naam: 'x'.repeat(1_100_000) } })
    t.equal(big.statusCode, 413)
  })

  t.test('a single event keeps naming its fields without an index, and an array with one', async (t) => {
    const single = await call(keys.leverancier, { method: 'POST', url: `/api/v1/meldingen/${melding}/gebeurtenissen`, payload: { type: 'reactie', op: 'gisteren' } })
    t.same(single.data.invalidParams.map((p: { name: string }) => p.name), ['op'], 'no spurious "body must be object"')
    const many = await call(keys.leverancier, { method: 'POST', url: `/api/v1/meldingen/${melding}/gebeurtenissen`, payload: [{ type: 'reactie', op: 'gisteren' }] })
    t.same(many.data.invalidParams.map((p: { name: string }) => p.name), ['[0].op'])
    const neither = await call(keys.leverancier, { method: 'POST', url: `/api/v1/meldingen/${melding}/gebeurtenissen`, payload: '"x"', headers: { 'content-type': 'application/json' } })
    t.same(neither.data.invalidParams, [{ name: 'body', reason: 'must be object or array' }])
    const empty = await call(keys.leverancier, { method: 'POST', url: `/api/v1/meldingen/${melding}/gebeurtenissen`, payload: [] })
    t.same(empty.data.invalidParams.map((p: { name: string }) => p.name), ['body'])
    const beveiliging = await call(keys.leverancier, { method: 'POST', url: '/api/v1/meldingen', payload: { contract, kenmerk: 'B-1', onderwerp: 'x', type: 'beveiligingsincident', gemeldOp: '2026-03-06T10:00:00Z', beveiliging: { biv: 'x', major: true } } })
    t.same(beveiliging.data.invalidParams.map((p: { name: string }) => p.name), ['beveiliging.biv'], 'a nullable object names its bad field, not "must be null"')
  })

  t.test('a retry is safe with a kenmerk; without one the event is stored again, as documented', async (t) => {
    const maatregel = { type: 'maatregel', op: '2026-03-06T12:00:00+01:00', toelichting: 'wachtwoorden gereset' }
    const first = await call(keys.leverancier, { method: 'POST', url: `/api/v1/meldingen/${melding}/gebeurtenissen`, payload: { ...maatregel, kenmerk: 'M-1' } })
    const retry = await call(keys.leverancier, { method: 'POST', url: `/api/v1/meldingen/${melding}/gebeurtenissen`, payload: { ...maatregel, kenmerk: 'M-1' } })
    t.equal(first.statusCode, 201)
    t.equal(retry.statusCode, 200, 'the retry is answered as stored')
    t.equal(retry.data.resultaten[0].id, first.data.resultaten[0].id)
    const list = async (): Promise<number> => (await call(keys.lezer, { method: 'GET', url: `/api/v1/meldingen/${melding}/gebeurtenissen` })).data.aantal
    const n = await list()
    await call(keys.leverancier, { method: 'POST', url: `/api/v1/meldingen/${melding}/gebeurtenissen`, payload: maatregel })
    await call(keys.leverancier, { method: 'POST', url: `/api/v1/meldingen/${melding}/gebeurtenissen`, payload: maatregel })
    t.equal(await list(), n + 2, 'without a kenmerk two sends are two events')
    const kenmerk = doc.paths['/meldingen/{id}/gebeurtenissen'].post.requestBody.content['application/json'].schema.anyOf[0].properties.kenmerk
    t.match(kenmerk.description, /retry safely/, 'and the document tells how to retry')
  })

  t.test('unknown query parameters are refused on routes without any, as on the others', async (t) => {
    for (const [resource, id] of byResource) {
      badRequest(t, await call(BOOTSTRAP, { method: 'GET', url: `/api/v1/${resource}/${id}?onbekend=1` }), 'onbekend', `GET /${resource}/{id}?onbekend=1`)
    }
    badRequest(t, await call(BOOTSTRAP, { method: 'GET', url: '/api/v1/contracten?onbekend=1' }), 'onbekend', 'a list, as before')
    const params = doc.paths['/contracten/{id}'].get.parameters.map((p: { name: string }) => p.name)
    t.same(params, ['id'], 'the document gains no parameters from it')
  })

  t.test('a 400 from the calendar names a field: an explanation too long, a deadline past 2199', async (t) => {
    const long = await call(keys.lezer, { method: 'GET', url: '/api/v1/kalender/werktijd?van=2026-01-01T00:00:00Z&tot=2028-01-01T00:00:00Z&uitleg=true' })
    badRequest(t, long, 'uitleg', 'explanation over 400 days')
    const far = await call(keys.lezer, { method: 'GET', url: '/api/v1/kalender/deadline?van=2199-12-31T16:00:00Z&duur=PT10H' })
    badRequest(t, far, 'query', 'deadline in 2200')
    t.match(far.data.detail, /1970–2199/)
    for (const [duur, kalender] of [['PT158H3M57S', 'altijd'], ['PT2500000000H', 'altijd'], ['PT2500000000H', 'kantooruren']]) {
      const past = await call(keys.lezer, { method: 'GET', url: `/api/v1/kalender/deadline?van=2199-12-31T11:00:00-05:00&duur=${duur}&kalender=${kalender}` })
      badRequest(t, past, 'query', `a deadline past 2199 (${duur}, ${kalender}), never an instant the API does not accept`)
    }
    const huge = await call(keys.lezer, { method: 'GET', url: '/api/v1/kalender/deadline?van=2026-03-10T09:00:00Z&duur=PT2500000000H&kalender=altijd' })
    badRequest(t, huge, 'query', 'a deadline past the end of JavaScript time')
    const before = await counts()
    const late = await call(keys.leverancier, { method: 'POST', url: '/api/v1/meldingen', payload: { contract, kenmerk: 'LAAT', onderwerp: 'x', type: 'verstoring', prioriteit: 3, gemeldOp: '2199-12-31T16:00:00Z' } })
    badRequest(t, late, 'body', 'a melding whose deadline would fall past 2199')
    t.equal(await counts(), before, 'nothing was written')
  })

  t.test('months and quarters lie wholly in 1970–2199 UTC: 1970-01 and 1970-Q1 start in 1969', async (t) => {
    badRequest(t, await call(BOOTSTRAP, { method: 'GET', url: `/api/v1/diensten/${dienst}/beschikbaarheid?maand=1970-01` }), 'maand', 'maand 1970-01')
    t.equal((await call(BOOTSTRAP, { method: 'GET', url: `/api/v1/diensten/${dienst}/beschikbaarheid?maand=1970-02` })).statusCode, 200, 'maand 1970-02')
    t.equal((await call(BOOTSTRAP, { method: 'GET', url: `/api/v1/diensten/${dienst}/beschikbaarheid?maand=2199-12` })).statusCode, 200, 'maand 2199-12')
    badRequest(t, await call(BOOTSTRAP, { method: 'POST', url: '/api/v1/rapportages', payload: { contract, periode: '1970-Q1' } }), 'periode', 'periode 1970-Q1')
    const q2 = await call(BOOTSTRAP, { method: 'POST', url: '/api/v1/rapportages', payload: { contract, periode: '1970-Q2' } })
    t.equal(q2.statusCode, 201, 'periode 1970-Q2')
    t.equal(q2.data.van, '1970-03-31T23:00:00Z')
  })

})
