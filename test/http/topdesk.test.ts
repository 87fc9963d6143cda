import t from 'tap'
import { BOOTSTRAP, build, standardContract, TEST_GEHEIMEN_SLEUTEL, TEST_NOW, withKeys, type TestApp } from '../helpers/app.js'
import { documentedResponses } from '../helpers/openapi.js'
import { deliver, eventsOf, koppeling, meldingenOf, sign } from '../helpers/koppelingen.js'
import { fakeTopdesk, topdeskTime, type FakeTopdesk, type Obj } from '../helpers/fake-topdesk.js'
import { reconcileAll, reconcileKoppeling, runImport, runImporten, type TopdeskLeesOpties } from '../../src/services/topdesk.js'
import { getKoppeling } from '../../src/adapters/db/koppelingen-repository.js'

/**
 * Issue 13: TOPdesk read through its REST API (a fake TOPdesk on a random port): read access on
 * the koppeling, the reconciliation, history imports, thin pushes. "The same as pushed" is checked
 * against a slow obviously-correct reference: every final snapshot with its trail pushed, one by
 * one, into a fresh database.
 */

const MIN = 60_000
const uuid = (n: number): string => `10000000-0000-4000-8000-${String(n).padStart(12, '0')}`
const OPERATOR = { id: 'op-1', name: 'Leverancier, Operator' }

/** n incidents of supplier S1 (and every 5th of S2, outside the filter), called `from` on, `step` apart. */
function incidenten (n: number, from: number, step: number): Array<{ inc: Obj, trail: Obj[] }> {
  const out: Array<{ inc: Obj, trail: Obj[] }> = []
  for (let i = 0; i < n; i++) {
    const call = from + i * step
    const at = (m: number): string => topdeskTime(call + m * MIN)
    const done = i % 3 === 2
    const inc: Obj = {
      id: uuid(i), number: `M26 ${String(i).padStart(4, '0')}`, briefDescription: `Storing ${i}`, callDate: at(0), modificationDate: at(180 + (i % 7)),
      priority: { id: `p${1 + (i % 4)}`, name: `P${1 + (i % 4)} prioriteit` }, callType: { id: 'ct', name: 'Storing' },
      supplier: { id: i % 5 === 4 ? 'S2' : 'S1', name: 'Acme' },
      responded: i % 4 !== 0, responseDate: i % 4 !== 0 ? at(20) : null,
      onHold: !done && i % 5 === 1, onHoldDate: !done && i % 5 === 1 ? at(60) : null,
      completed: done, completedDate: done ? at(120) : null,
      closed: done && i % 6 === 5, closedDate: done && i % 6 === 5 ? at(150) : null
    }
    const trail: Obj[] = [
      { id: `e${i}-a`, entryDate: at(30), operator: OPERATOR, person: null, invisibleForCaller: false, plainText: 'We kijken ernaar', memoText: '<p>We kijken ernaar</p>' },
      { id: `e${i}-b`, entryDate: at(40), operator: OPERATOR, person: null, invisibleForCaller: true, plainText: 'intern' },
      { id: `e${i}-c`, entryDate: at(50), operator: null, person: { id: 'p-1' }, invisibleForCaller: false, plainText: 'vraag van de melder' },
      ...(i % 2 === 0 ? [{ id: `e${i}-d`, entryDate: at(90), operator: OPERATOR, person: null, invisibleForCaller: false, plainText: 'update' }] : [])
    ]
    out.push({ inc, trail })
  }
  return out
}

const FILTER = 'supplier.id==S1'
const inFilter = (x: { inc: Obj }): boolean => x.inc.supplier.id === 'S1'
const FAST: TopdeskLeesOpties = { pageSize: 5, wachtMs: 1, maxWachtMs: 5, pogingen: 3, timeoutMs: 5_000 }

async function opzet (t: Tap, fake: FakeTopdesk, wachtwoord = fake.wachtwoord): Promise<TestApp & { contract: string, k: { id: string, geheim: string } }> {
  const a = await build(t)
  const { leverancierId } = await withKeys(a.call)
  const contract = await standardContract(a.call, leverancierId)
  const k = await koppeling(a.call, contract, 'topdesk', { topdesk: { url: fake.url, gebruiker: fake.gebruiker, applicatiewachtwoord: wachtwoord, filter: FILTER } })
  return { ...a, contract, k }
}
type Tap = Parameters<typeof build>[0]

/** The reference: every given snapshot, with its trail, pushed one by one into a fresh database. */
async function referentie (t: Tap, items: Array<{ inc: Obj, trail: Obj[] }>): Promise<{ events: string[], meldingen: string[] }> {
  const a = await build(t)
  const { leverancierId } = await withKeys(a.call)
  const contract = await standardContract(a.call, leverancierId)
  const k = await koppeling(a.call, contract, 'topdesk')
  for (const x of items) {
    const r = await deliver(a.call, k.id, JSON.stringify({ incident: x.inc, progresstrail: x.trail }), sign.topdesk(k.geheim))
    if (r.data.resultaat !== 'verwerkt') throw new Error(`reference: ${JSON.stringify(r.data)}`)
  }
  return { events: await eventsOf(a.handle, contract), meldingen: await meldingenOf(a.handle, contract) }
}

const leveringTwice = async (h: TestApp['handle']): Promise<string[]> => {
  const rows = await h.db.selectFrom('bericht').select(['levering']).where('resultaat', '=', 'verwerkt').execute()
  const seen = new Map<string, number>()
  for (const r of rows) seen.set(r.levering, (seen.get(r.levering) ?? 0) + 1)
  return [...seen].filter(([, n]) => n > 1).map(([l]) => l)
}

t.test('read access on a koppeling: write-only password, stored encrypted, validated', async (t) => {
  const fake = await fakeTopdesk()
  t.teardown(fake.close)
  const { app, handle, call, k, contract } = await opzet(t, fake)
  const documented = documentedResponses(app)
  const r = await call(BOOTSTRAP, { method: 'GET', url: `/api/v1/koppelingen/${k.id}` })
  t.same(documented('GET', '/api/v1/koppelingen/{id}', 200, r.data), [])
  t.match(r.data.topdesk, { url: fake.url, gebruiker: fake.gebruiker, filter: FILTER, wachtwoordIngesteld: true, status: null, laatsteSucces: null, laatsteFout: null })
  t.notOk(r.body.includes(fake.wachtwoord), 'the application password is never answered')
  const row = await getKoppeling(handle.db, k.id, { leverancierId: null })
  t.notOk(Buffer.from(row?.topdesk_wachtwoord_versleuteld ?? []).toString('latin1').includes(fake.wachtwoord), 'stored encrypted')

  const bad = async (payload: object, field: string, url = '/api/v1/koppelingen', method: 'POST' | 'PATCH' = 'POST'): Promise<void> => {
    const x = await call(BOOTSTRAP, { method, url, payload })
    t.equal(x.statusCode, 400, `${field}: ${x.body}`)
    t.ok(x.data?.invalidParams?.some((p: { name: string }) => p.name === field), `names ${field}`)
  }
  await bad({ contract, bron: 'topdesk', naam: 'x', topdesk: { url: 'http://topdesk.gemeente.nl/tas/api', gebruiker: 'u', applicatiewachtwoord: 'p' } }, 'topdesk.url')
  await bad({ contract, bron: 'topdesk', naam: 'x', topdesk: { url: 'https://u:p@topdesk.gemeente.nl/tas/api', gebruiker: 'u', applicatiewachtwoord: 'p' } }, 'topdesk.url')
  await bad({ contract, bron: 'jira', naam: 'x', topdesk: { url: 'https://topdesk.gemeente.nl/tas/api', gebruiker: 'u', applicatiewachtwoord: 'p' } }, 'topdesk')
  await bad({ contract, bron: 'topdesk', naam: 'x', topdesk: { url: 'https://topdesk.gemeente.nl/tas/api', gebruiker: 'u' } }, 'topdesk.applicatiewachtwoord')
  // A PATCH without the password keeps the stored one.
  const p = await call(BOOTSTRAP, { method: 'PATCH', url: `/api/v1/koppelingen/${k.id}`, payload: { topdesk: { url: fake.url, gebruiker: fake.gebruiker, filter: null } } })
  t.equal(p.statusCode, 200, p.body)
  t.same(documented('PATCH', '/api/v1/koppelingen/{id}', 200, p.data), [])
  t.match(p.data.topdesk, { filter: null, wachtwoordIngesteld: true })
  const after = await getKoppeling(handle.db, k.id, { leverancierId: null })
  t.same(after?.topdesk_wachtwoord_versleuteld, row?.topdesk_wachtwoord_versleuteld, 'password kept')
  // Only a beheerder gives read access (the service calls that URL with that login).
  const { keys } = await withKeys(call)
  const lev = await call(keys.leverancier, { method: 'PATCH', url: `/api/v1/koppelingen/${k.id}`, payload: { topdesk: { url: 'https://elders.example/tas/api', gebruiker: 'u' } } })
  t.equal(lev.statusCode, 403, lev.body)
  t.same(documented('PATCH', '/api/v1/koppelingen/{id}', 403, lev.data, 'application/problem+json'), [])
  const levPost = await call(keys.leverancier, { method: 'POST', url: '/api/v1/koppelingen', payload: { contract, bron: 'topdesk', naam: 'x', topdesk: { url: 'https://elders.example/tas/api', gebruiker: 'u', applicatiewachtwoord: 'p' } } })
  t.equal(levPost.statusCode, 403, levPost.body)
  t.match((await call(BOOTSTRAP, { method: 'GET', url: `/api/v1/koppelingen/${k.id}` })).data.topdesk, { url: fake.url })
  // Jira and Zendesk koppelingen answer no topdesk.
  const j = await koppeling(call, contract, 'jira')
  const jr = await call(BOOTSTRAP, { method: 'GET', url: `/api/v1/koppelingen/${j.id}` })
  t.equal(jr.data.topdesk, undefined)
})

t.test('a quarter imported equals the same quarter pushed', async (t) => {
  const fake = await fakeTopdesk()
  t.teardown(fake.close)
  const items = incidenten(40, Date.parse('2026-07-01T07:00:00Z'), 2 * 24 * 60 * MIN)
  for (const x of items) fake.put(x.inc, x.trail)
  // Before the quarter: not imported.
  const early = incidenten(1, Date.parse('2026-06-01T07:00:00Z'), 0)[0] as { inc: Obj, trail: Obj[] }
  early.inc.id = uuid(999)
  fake.put(early.inc, early.trail)
  const { app, handle, call, contract, k } = await opzet(t, fake)
  const documented = documentedResponses(app)
  const r = await call(BOOTSTRAP, { method: 'POST', url: `/api/v1/koppelingen/${k.id}/importen`, payload: { vanaf: '2026-07-01' } })
  t.equal(r.statusCode, 202, r.body)
  t.same(documented('POST', '/api/v1/koppelingen/{id}/importen', 202, r.data), [])
  t.equal(r.headers.location, `/api/v1/koppelingen/${k.id}/importen/${r.data.id as string}`)
  t.equal(r.data.status, 'bezig')
  t.equal(await runImporten(handle.db, TEST_GEHEIMEN_SLEUTEL, () => TEST_NOW, FAST), 1)
  const g = await call(BOOTSTRAP, { method: 'GET', url: `/api/v1/koppelingen/${k.id}/importen/${r.data.id as string}` })
  t.same(documented('GET', '/api/v1/koppelingen/{id}/importen/{importId}', 200, g.data), [])
  const wanted = items.filter(inFilter)
  t.match(g.data, { status: 'klaar', vertaald: wanted.length, fouten: 0, totaal: wanted.length, verwachtEinde: null })
  const ref = await referentie(t, wanted)
  t.same(await meldingenOf(handle, contract), ref.meldingen, 'the same meldingen')
  t.same(await eventsOf(handle, contract), ref.events, 'the same events')
  t.ok(ref.events.some((e) => e.includes(':voortgang:e0-a ')), 'an operator\'s visible entry is a voortgang')
  t.notOk(ref.events.some((e) => /:voortgang:e\d+-[bc] /.test(e)), 'internal notes and the caller\'s entries are not')
  // Importing again reads everything as known and adds nothing.
  const again = await call(BOOTSTRAP, { method: 'POST', url: `/api/v1/koppelingen/${k.id}/importen`, payload: { vanaf: '2026-07-01' } })
  await runImporten(handle.db, TEST_GEHEIMEN_SLEUTEL, () => TEST_NOW, FAST)
  const g2 = await call(BOOTSTRAP, { method: 'GET', url: `/api/v1/koppelingen/${k.id}/importen/${again.data.id as string}` })
  t.match(g2.data, { status: 'klaar', vertaald: 0, fouten: 0 })
  t.ok(g2.data.bekend >= wanted.length, 'every snapshot known (those at a page\'s end are read twice)')
  t.same(await eventsOf(handle, contract), ref.events)
  t.same(await leveringTwice(handle), [])
})

t.test('lost and repeated pushes are repaired by the next reconciliation; changes while paging are not missed', async (t) => {
  const fake = await fakeTopdesk()
  t.teardown(fake.close)
  const items = incidenten(23, TEST_NOW - 20 * 60 * MIN, 30 * MIN).filter((x) => Date.parse(x.inc.modificationDate.replace('+0000', 'Z')) < TEST_NOW)
  for (const x of items) fake.put(x.inc, x.trail)
  const { handle, call, contract, k } = await opzet(t, fake)
  // Pushes as a TOPdesk action sequence sends them (no trail): a third lost, some sent twice.
  for (const [i, x] of items.entries()) {
    if (!inFilter(x) || i % 3 === 0) continue
    for (let n = 0; n < (i % 4 === 1 ? 2 : 1); n++) await deliver(call, k.id, JSON.stringify({ source: 'topdesk', incident: x.inc }), sign.topdesk(k.geheim))
  }
  // While paging, an incident not read yet and one already read change.
  let pages = 0
  fake.onPage = () => {
    if (++pages !== 2) return
    // One whose first snapshot was pushed (a snapshot never seen cannot be known), on a later page.
    const late = items.filter((x, i) => inFilter(x) && i % 3 !== 0).at(-1) as { inc: Obj }
    const first = items[1] as { inc: Obj }
    for (const x of [late, first]) fake.put({ ...x.inc, modificationDate: topdeskTime(TEST_NOW - 30 * MIN), completed: true, completedDate: topdeskTime(TEST_NOW - 31 * MIN), onHold: false, onHoldDate: null })
  }
  const out = await reconcileAll(handle.db, TEST_GEHEIMEN_SLEUTEL, TEST_NOW, FAST)
  t.ok((out.get(k.id)?.gelezen ?? 0) > 0, 'read')
  fake.onPage = undefined
  const final = items.filter(inFilter).map((x) => ({ inc: fake.incidents.get(x.inc.id) as Obj, trail: x.trail }))
  // The reference has both the first and the changed snapshot of the changed incidents.
  const ref = await referentie(t, [...items.filter(inFilter), ...final.filter((x) => x.inc.completed === true && x.inc.modificationDate === topdeskTime(TEST_NOW - 30 * MIN))])
  t.same(await meldingenOf(handle, contract), ref.meldingen)
  t.same(await eventsOf(handle, contract), ref.events, 'every event, none twice')
  const kk = await call(BOOTSTRAP, { method: 'GET', url: `/api/v1/koppelingen/${k.id}` })
  t.match(kk.data.topdesk, { status: 'ok', laatsteSucces: new Date(TEST_NOW).toISOString().replace('Z', '') })
  t.equal(kk.data.topdesk.cursor, new Date(TEST_NOW - 30 * MIN).toISOString().replace('Z', '').slice(0, 19) + kk.data.topdesk.cursor.slice(19))
  // The next run reads nothing new.
  const next = await reconcileAll(handle.db, TEST_GEHEIMEN_SLEUTEL, TEST_NOW, FAST)
  t.equal(next.get(k.id)?.gelezen, 0)
  const ready = await call(null, { method: 'GET', url: '/health/ready' })
  t.match(ready.data, { status: 'ok', details: { topdesk: [{ koppeling: k.id, status: 'ok' }] } })
})

t.test('TOPdesk failing mid-import: resumed without doubles; cancelling; a wrong password is a status', async (t) => {
  const fake = await fakeTopdesk()
  t.teardown(fake.close)
  const items = incidenten(30, Date.parse('2026-07-01T07:00:00Z'), 24 * 60 * MIN)
  for (const x of items) fake.put(x.inc, x.trail)
  const { handle, call, contract, k } = await opzet(t, fake)
  const r = await call(BOOTSTRAP, { method: 'POST', url: `/api/v1/koppelingen/${k.id}/importen`, payload: { vanaf: '2026-07-01' } })
  fake.failListAfter(2)
  await runImporten(handle.db, TEST_GEHEIMEN_SLEUTEL, () => TEST_NOW, FAST)
  const mid = await call(BOOTSTRAP, { method: 'GET', url: `/api/v1/koppelingen/${k.id}/importen/${r.data.id as string}` })
  t.match(mid.data, { status: 'bezig', pogingen: 1, laatsteFout: /500/ })
  t.ok(mid.data.vertaald > 0 && mid.data.vertaald < items.filter(inFilter).length, `partly read (${mid.data.vertaald as number})`)
  t.not(mid.data.verwachtEinde, null, 'an estimated end')
  fake.failListAfter(Infinity)
  await runImporten(handle.db, TEST_GEHEIMEN_SLEUTEL, () => TEST_NOW, FAST)
  const done = await call(BOOTSTRAP, { method: 'GET', url: `/api/v1/koppelingen/${k.id}/importen/${r.data.id as string}` })
  t.match(done.data, { status: 'klaar', vertaald: items.filter(inFilter).length })
  const ref = await referentie(t, items.filter(inFilter))
  t.same(await eventsOf(handle, contract), ref.events, 'no doubles, nothing missing')
  t.same(await leveringTwice(handle), [])

  // Cancelled: the job does not touch it; DELETE and POST …/annuleren alike.
  const c = await call(BOOTSTRAP, { method: 'POST', url: `/api/v1/koppelingen/${k.id}/importen`, payload: { vanaf: '2026-07-01' } })
  const del = await call(BOOTSTRAP, { method: 'DELETE', url: `/api/v1/koppelingen/${k.id}/importen/${c.data.id as string}` })
  t.equal(del.data.status, 'geannuleerd')
  const twice = await call(BOOTSTRAP, { method: 'POST', url: `/api/v1/koppelingen/${k.id}/importen/${c.data.id as string}/annuleren` })
  t.equal(twice.data.status, 'geannuleerd')
  t.equal(await runImporten(handle.db, TEST_GEHEIMEN_SLEUTEL, () => TEST_NOW, FAST), 0)

  // A wrong password: the import fails at once, the reconciliation records it; nothing crashes.
  await call(BOOTSTRAP, { method: 'PATCH', url: `/api/v1/koppelingen/${k.id}`, payload: { topdesk: { url: fake.url, gebruiker: fake.gebruiker, applicatiewachtwoord: 'wrong', filter: FILTER } } })
  const w = await call(BOOTSTRAP, { method: 'POST', url: `/api/v1/koppelingen/${k.id}/importen`, payload: { vanaf: '2026-07-01' } })
  await runImporten(handle.db, TEST_GEHEIMEN_SLEUTEL, () => TEST_NOW, FAST)
  const wg = await call(BOOTSTRAP, { method: 'GET', url: `/api/v1/koppelingen/${k.id}/importen/${w.data.id as string}` })
  t.match(wg.data, { status: 'mislukt', laatsteFout: /401/ })
  await reconcileAll(handle.db, TEST_GEHEIMEN_SLEUTEL, TEST_NOW, FAST)
  const kk = await call(BOOTSTRAP, { method: 'GET', url: `/api/v1/koppelingen/${k.id}` })
  t.match(kk.data.topdesk, { status: 'fout', laatsteFout: { reden: /401/ } })
  const ready = await call(null, { method: 'GET', url: '/health/ready' })
  t.equal(ready.statusCode, 200, 'a failing TOPdesk does not make the service unready')
  t.match(ready.data.details.topdesk, [{ koppeling: k.id, status: 'fout', laatsteFout: /401/ }])
})

t.test('429 with Retry-After and 5xx are retried; two instances at once read once', async (t) => {
  const fake = await fakeTopdesk()
  t.teardown(fake.close)
  const items = incidenten(12, TEST_NOW - 20 * 60 * MIN, 60 * MIN).filter((x) => Date.parse(x.inc.modificationDate.replace('+0000', 'Z')) < TEST_NOW)
  for (const x of items) fake.put(x.inc, x.trail)
  const { handle, contract, k } = await opzet(t, fake)
  fake.failNext(2, 429, 0)
  const before = fake.requests.length
  const row = await getKoppeling(handle.db, k.id, { leverancierId: null })
  if (row === undefined) throw new Error('no koppeling')
  const [a, b] = await Promise.all([reconcileKoppeling(handle.db, TEST_GEHEIMEN_SLEUTEL, row, TEST_NOW, FAST), reconcileKoppeling(handle.db, TEST_GEHEIMEN_SLEUTEL, row, TEST_NOW, FAST)])
  t.ok((a === undefined) !== (b === undefined), 'exactly one instance read')
  t.ok(fake.requests.length > before + 2, 'retried after the 429s')
  const ref = await referentie(t, items.filter(inFilter))
  t.same(await eventsOf(handle, contract), ref.events)
  // Two instances on one import.
  fake.failNext(1, 503)
  const [x, y] = await Promise.all([
    runImport(handle.db, TEST_GEHEIMEN_SLEUTEL, await imp(handle, k.id), () => TEST_NOW, FAST),
    runImport(handle.db, TEST_GEHEIMEN_SLEUTEL, await imp(handle, k.id), () => TEST_NOW, FAST)
  ])
  t.same([x, y], [undefined, undefined])
  t.same(await eventsOf(handle, contract), ref.events)
  t.same(await leveringTwice(handle), [])
})

let importen = 0
async function imp (h: TestApp['handle'], koppelingId: string): Promise<any> {
  if (importen++ % 2 === 0) {
    await h.db.insertInto('topdesk_import').values({ koppeling_id: koppelingId, vanaf: new Date(TEST_NOW - 86_400_000), tot: new Date(TEST_NOW), cursor: new Date(TEST_NOW - 86_400_000), status: 'bezig', laatste_fout: null, aangemaakt_op: new Date(TEST_NOW), bijgewerkt_op: new Date(TEST_NOW) }).execute()
  }
  return await h.db.selectFrom('topdesk_import').selectAll().where('status', '=', 'bezig').executeTakeFirstOrThrow()
}

t.test('a thin push is completed through the API', async (t) => {
  const fake = await fakeTopdesk()
  t.teardown(fake.close)
  const [one, two] = incidenten(2, TEST_NOW - 10 * 60 * MIN, 60 * MIN) as [{ inc: Obj, trail: Obj[] }, { inc: Obj, trail: Obj[] }]
  fake.put(one.inc, one.trail)
  fake.put(two.inc, two.trail)
  const { handle, call, contract, k } = await opzet(t, fake)
  const r = await deliver(call, k.id, JSON.stringify({ incident: { id: one.inc.id } }), sign.topdesk(k.geheim))
  t.equal(r.data.resultaat, 'verwerkt', JSON.stringify(r.data))
  t.match(r.data.reden, /thin push, completed through the TOPdesk API/)
  const byNumber = await deliver(call, k.id, JSON.stringify({ incident: { number: two.inc.number } }), sign.topdesk(k.geheim))
  t.equal(byNumber.data.resultaat, 'verwerkt', JSON.stringify(byNumber.data))
  const ref = await referentie(t, [one, two])
  t.same(await eventsOf(handle, contract), ref.events, 'as if the full snapshots with their trails were pushed')
  // Again: the snapshot was read before, nothing more.
  const again = await deliver(call, k.id, JSON.stringify({ incident: { id: one.inc.id } }), sign.topdesk(k.geheim))
  t.match(again.data, { resultaat: 'dubbel' })
  const other = await deliver(call, k.id, JSON.stringify({ source: 'topdesk', incident: { id: one.inc.id } }), sign.topdesk(k.geheim))
  t.match(other.data, { resultaat: 'verwerkt', reden: /read through the TOPdesk API before/ })
  t.same(await eventsOf(handle, contract), ref.events)
  // Unknown incident, and TOPdesk refusing the login: a fout with the reason, never a crash.
  const unknown = await deliver(call, k.id, JSON.stringify({ incident: { id: uuid(777) } }), sign.topdesk(k.geheim))
  t.match(unknown.data, { resultaat: 'fout', reden: /does not know incident/ })
  await call(BOOTSTRAP, { method: 'PATCH', url: `/api/v1/koppelingen/${k.id}`, payload: { topdesk: { url: fake.url, gebruiker: fake.gebruiker, applicatiewachtwoord: 'wrong' } } })
  const refused = await deliver(call, k.id, JSON.stringify({ eventType: 'changed', incident: { id: one.inc.id } }), sign.topdesk(k.geheim))
  t.match(refused.data, { resultaat: 'fout', reden: /401/ })
})

t.test('the jobs: an import is picked up by the job and finished', async (t) => {
  const fake = await fakeTopdesk()
  t.teardown(fake.close)
  const items = incidenten(8, TEST_NOW - 20 * 60 * MIN, 60 * MIN).filter((x) => Date.parse(x.inc.modificationDate.replace('+0000', 'Z')) < TEST_NOW)
  for (const x of items) fake.put(x.inc, x.trail)
  const { call } = await build(t, { topdesk: { intervalMs: 3_600_000, importIntervalMs: 50, lees: FAST } })
  const { leverancierId } = await withKeys(call)
  const contract = await standardContract(call, leverancierId)
  const k = await koppeling(call, contract, 'topdesk', { topdesk: { url: fake.url, gebruiker: fake.gebruiker, applicatiewachtwoord: fake.wachtwoord, filter: FILTER } })
  const r = await call(BOOTSTRAP, { method: 'POST', url: `/api/v1/koppelingen/${k.id}/importen`, payload: { vanaf: '2026-11-01' } })
  let status = 'bezig'
  for (let i = 0; i < 400 && status === 'bezig'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50))
    status = (await call(BOOTSTRAP, { method: 'GET', url: `/api/v1/koppelingen/${k.id}/importen/${r.data.id as string}` })).data.status
  }
  t.equal(status, 'klaar', 'the job took the import and finished it')
  const melding = await call(BOOTSTRAP, { method: 'GET', url: `/api/v1/meldingen?contract=${contract}&pageSize=100` })
  t.equal(melding.data.aantal, items.filter(inFilter).length)
})
