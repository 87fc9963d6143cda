import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { sql } from 'kysely'
import { DateTime } from 'luxon'
import t from 'tap'
import { openDatabase } from '../../src/adapters/db/database.js'
import { schoonBerichtenOp, verwerkAchtergebleven } from '../../src/services/koppelingen.js'
import { BOOTSTRAP, build, standardContract, TEST_NOW, withKeys, type TestApp } from '../helpers/app.js'
import { DB_KIND, freshDatabase } from '../helpers/database.js'
import { documentedResponses } from '../helpers/openapi.js'
import { count, deliver, eventsOf, koppeling, meldingenOf, sign } from '../helpers/koppelingen.js'

/**
 * Koppelingen (issue 12): the tool is answered before processing when processing takes longer
 * than KOPPELING_ANTWOORD_MS (202 `ontvangen`), processing goes on per ticket in the tool's order,
 * a job processes what a crash left `ontvangen` (once, also with two instances), shutdown waits
 * for processing under way, and raw bodies are cleared after the retention term keeping their
 * SHA-256. Runs on PGlite and PostgreSQL.
 */

// ---- payloads ----------------------------------------------------------------------------------

const STATUS = [
  [{ field: 'status', from: '1', fromString: 'Open', to: '3', toString: 'In Progress' }],
  [{ field: 'priority', from: '2', fromString: 'High', to: '1', toString: 'Highest' }, { field: 'status', from: '3', fromString: 'In Progress', to: '10010', toString: 'Waiting for customer' }],
  [{ field: 'status', from: '10010', fromString: 'Waiting for customer', to: '3', toString: 'In Progress' }],
  [{ field: 'resolution', from: null, fromString: null, to: '10000', toString: 'Done' }, { field: 'status', from: '3', fromString: 'In Progress', to: '5', toString: 'Resolved' }]
]
const issue = (ticket: string, priority: object = { id: '2', name: 'High' }): object => ({
  id: ticket, key: `ZS-${ticket}`, fields: { summary: 'Zaaksysteem traag', created: '2026-11-30T10:15:00.000+0100', priority, status: { id: '1', name: 'Open' } }
})
/** Delivery n of a Jira ticket's life: 0 made, 1–4 changes, half an hour apart. */
const jira = (ticket: string, n: number, priority?: object): { id: string, body: string } => ({
  id: `d-${ticket}-${n}`,
  body: JSON.stringify(n === 0
    ? { timestamp: Date.parse('2026-11-30T10:15:01+01:00'), webhookEvent: 'jira:issue_created', issue: issue(ticket, priority) }
    : { timestamp: Date.parse('2026-11-30T10:15:00+01:00') + n * 30 * 60_000, webhookEvent: 'jira:issue_updated', issue: issue(ticket, priority), changelog: { id: `${ticket}${n}`, items: STATUS[n - 1] } })
})

const INCIDENT = '6b0e2a8e-6f7a-4c2e-9d1b-2f3a4b5c6d7e'
const incident = (mod: string, fields: object = {}): string => JSON.stringify({
  id: INCIDENT, number: 'M2611 0457', briefDescription: 'Printen faalt', callDate: '2026-11-30T08:00:00.000+0000',
  modificationDate: mod, priority: { id: 'b1c2', name: 'P2 Hoog' }, responded: true, responseDate: '2026-11-30T08:30:00.000+0000',
  onHold: false, onHoldDate: null, completed: false, completedDate: null, closed: false, closedDate: null, ...fields
})
const ON_HOLD = incident('2026-11-30T09:00:00.000+0000', { onHold: true, onHoldDate: '2026-11-30T09:00:00.000+0000' })
const HOLD_LIFTED = incident('2026-11-30T09:30:00.000+0000')

// ---- helpers -------------------------------------------------------------------------------------

/** A gate that holds up processing (the test hook `voorVerwerking`) until opened. */
function gate (): { hook: () => Promise<void>, close: () => void, open: () => void } {
  let wait: Promise<void> = Promise.resolve()
  let release = (): void => {}
  return {
    hook: async () => { await wait },
    close: () => { wait = new Promise((resolve) => { release = resolve }) },
    open: () => { release() }
  }
}

async function until (what: string, f: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms
  while (!(await f())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

const resultaatOf = async (h: TestApp['handle'], id: string): Promise<string> =>
  (await h.db.selectFrom('bericht').select('resultaat').where('id', '=', id).executeTakeFirstOrThrow()).resultaat

/** Inserts a message as a crash leaves it: stored, `ontvangen`, never processed. */
async function crashed (h: TestApp['handle'], koppelingId: string, d: { id: string, body: string }, ticket: string): Promise<string> {
  const body = JSON.parse(d.body) as { timestamp: number }
  const row = await h.db.insertInto('bericht').values({
    koppeling_id: koppelingId, ontvangen_op: new Date(TEST_NOW), levering: d.id, ticket, volgorde: new Date(body.timestamp),
    headers: JSON.stringify({ 'x-atlassian-webhook-identifier': d.id }), inhoud: d.body, resultaat: 'ontvangen', reden: null, verwerkt_op: null
  }).returning('id').executeTakeFirstOrThrow()
  return row.id
}

/** The outcome of a delivery: its answer's, or on a 202 (a loaded machine) the one it gets in the background. */
async function outcome (h: TestApp['handle'], r: { statusCode: number, data: any }): Promise<string> {
  if (r.statusCode === 202) await until('processed', async () => await resultaatOf(h, r.data.id) !== 'ontvangen')
  return r.statusCode === 202 ? await resultaatOf(h, r.data.id) : r.data.resultaat
}

const BUDGET = 60
/** What a 202 may take beyond the budget on a loaded shared test machine (the 100 ms target is measured in `npm run bench`). */
const MARGIN = 700

t.test('answering before processing', async (t) => {
  const g = gate()
  const { app, handle, call } = await build(t, { koppelingen: { antwoordMs: BUDGET, voorVerwerking: g.hook } })
  const documented = documentedResponses(app)
  const { leverancierId } = await withKeys(call)

  t.test('processing done within the budget: 200 with the outcome', async (t) => {
    const c = await standardContract(call, leverancierId)
    const k = await koppeling(call, c, 'jira')
    // A budget no loaded test machine exceeds: the same path as the default 50 ms, done in time.
    const roomy = await build(t, { handle, koppelingen: { antwoordMs: 5_000 } })
    for (const [d, resultaat] of [[jira('100', 0), 'verwerkt'], [jira('100', 0), 'dubbel'], [jira('101', 0, { id: '10100', name: 'Blocker' }), 'fout']] as const) {
      const t0 = performance.now()
      const r = await deliver(roomy.call, k.id, d.body, sign.jira(k.geheim, d.body, d.id))
      t.same([r.statusCode, r.data.resultaat], [200, resultaat])
      t.ok(performance.now() - t0 < 5_000, 'answered as soon as it was processed')
    }
  })

  t.test('processing held up: 202 ontvangen within the budget, then processed in the background', async (t) => {
    const c = await standardContract(call, leverancierId)
    const k = await koppeling(call, c, 'jira')
    const d = jira('200', 0)
    g.close()
    const t0 = performance.now()
    const r = await deliver(call, k.id, d.body, sign.jira(k.geheim, d.body, d.id))
    const ms = performance.now() - t0
    t.equal(r.statusCode, 202)
    t.same(r.data, { id: r.data.id, resultaat: 'ontvangen', reden: null })
    t.ok(ms < BUDGET + MARGIN, `answered in ${Math.round(ms)} ms`)
    t.same(documented('POST', `/api/v1/koppelingen/${k.id}/berichten`, 202, r.data), [], 'the 202 is documented')
    const inbox = await call(BOOTSTRAP, { method: 'GET', url: `/api/v1/koppelingen/${k.id}/berichten?resultaat=ontvangen` })
    t.match(inbox.data, { aantal: 1, resultaten: [{ id: r.data.id, resultaat: 'ontvangen', verwerktOp: null, inhoud: d.body }] })
    t.same(documented('GET', `/api/v1/koppelingen/${k.id}/berichten`, 200, inbox.data), [])
    t.same(await meldingenOf(handle, c), [], 'no melding yet')
    g.open()
    await until('processed', async () => await resultaatOf(handle, r.data.id) === 'verwerkt')
    t.equal((await meldingenOf(handle, c)).length, 1, 'the melding exists')
  })

  t.test('a repeat delivery while the first waits: processed once, the other dubbel', async (t) => {
    const c = await standardContract(call, leverancierId)
    const k = await koppeling(call, c, 'jira')
    const d = jira('300', 0)
    g.close()
    const a = await deliver(call, k.id, d.body, sign.jira(k.geheim, d.body, d.id))
    const b = await deliver(call, k.id, d.body, { ...sign.jira(k.geheim, d.body, d.id), 'x-atlassian-webhook-retry': '1' })
    t.same([a.statusCode, b.statusCode], [202, 202])
    g.open()
    await until('both processed', async () => (await resultaatOf(handle, a.data.id)) !== 'ontvangen' && (await resultaatOf(handle, b.data.id)) !== 'ontvangen')
    t.same([await resultaatOf(handle, a.data.id), await resultaatOf(handle, b.data.id)].sort(), ['dubbel', 'verwerkt'])
    t.equal((await meldingenOf(handle, c)).length, 1)
  })

  t.test('snapshots waiting together are processed in the tool\'s order, whatever their arrival', async (t) => {
    // Reference: the older snapshot, then the newer, each processed before the next arrives.
    const ref = await standardContract(call, leverancierId)
    const kr = await koppeling(call, ref, 'topdesk')
    for (const body of [incident('2026-11-30T08:30:00.000+0000'), ON_HOLD, HOLD_LIFTED]) {
      t.equal(await outcome(handle, await deliver(call, kr.id, body, sign.topdesk(kr.geheim))), 'verwerkt')
    }
    const c = await standardContract(call, leverancierId)
    const k = await koppeling(call, c, 'topdesk')
    t.equal(await outcome(handle, await deliver(call, k.id, incident('2026-11-30T08:30:00.000+0000'), sign.topdesk(k.geheim))), 'verwerkt')
    g.close()
    const newer = await deliver(call, k.id, HOLD_LIFTED, sign.topdesk(k.geheim))
    const older = await deliver(call, k.id, ON_HOLD, sign.topdesk(k.geheim))
    t.same([newer.statusCode, older.statusCode], [202, 202])
    g.open()
    await until('both processed', async () => (await resultaatOf(handle, newer.data.id)) !== 'ontvangen' && (await resultaatOf(handle, older.data.id)) !== 'ontvangen')
    const rows = await handle.db.selectFrom('bericht').select(['id', 'resultaat', 'reden', 'verwerkt_op']).where('id', 'in', [older.data.id, newer.data.id]).execute()
    t.same(rows.map((r) => [r.resultaat, r.reden]), [['verwerkt', null], ['verwerkt', null]], 'the older one was not "older than the newest processed"')
    t.same(await eventsOf(handle, c), await eventsOf(handle, ref), 'the same events as in order')
    const m = await handle.db.selectFrom('melding').select('status').where('contract_id', '=', c).executeTakeFirstOrThrow()
    t.equal(m.status, 'in-behandeling', 'not left paused')
  })

  t.test('property: snapshots of a ticket waiting together, in any order of arrival, give the events of the tool\'s order', async (t) => {
    const P1 = { priority: { id: 'a1b2', name: 'P1 Zeer hoog' } }
    const life = [
      incident('2026-11-30T08:30:00.000+0000'),
      ON_HOLD,
      HOLD_LIFTED,
      incident('2026-11-30T10:15:00.000+0000', P1),
      incident('2026-11-30T11:00:00.000+0000', { ...P1, completed: true, completedDate: '2026-11-30T11:00:00.000+0000' })
    ]
    const ref = await standardContract(call, leverancierId)
    const kr = await koppeling(call, ref, 'topdesk')
    for (const body of life) t.equal(await outcome(handle, await deliver(call, kr.id, body, sign.topdesk(kr.geheim))), 'verwerkt')
    const expected = (await eventsOf(handle, ref)).map((e) => e.replace(/^\S+ /, ''))
    t.ok(expected.some((e) => e.includes('wachten-op-klant')) && expected.some((e) => e.includes('prioriteit')), 'the life has a pause and a priority change')
    await fc.assert(fc.asyncProperty(fc.shuffledSubarray(life.map((_, i) => i), { minLength: life.length }), async (order) => {
      const c = await standardContract(call, leverancierId)
      const k = await koppeling(call, c, 'topdesk')
      g.close()
      const ids: string[] = []
      for (const i of order) ids.push((await deliver(call, k.id, life[i] as string, sign.topdesk(k.geheim))).data.id)
      g.open()
      await until('all processed', async () => (await handle.db.selectFrom('bericht').select('id').where('koppeling_id', '=', k.id).where('resultaat', '=', 'ontvangen').execute()).length === 0)
      const rows = await handle.db.selectFrom('bericht').select(['resultaat', 'reden']).where('id', 'in', ids).execute()
      if (rows.some((r) => r.resultaat !== 'verwerkt' || r.reden !== null)) throw new Error(`order ${order.join(',')}: ${JSON.stringify(rows)}`)
      const got = (await eventsOf(handle, c)).map((e) => e.replace(/^\S+ /, ''))
      if (JSON.stringify(got) !== JSON.stringify(expected)) throw new Error(`order ${order.join(',')}: ${JSON.stringify(got)} ≠ ${JSON.stringify(expected)}`)
    }), { numRuns: 12 })
  })

  t.test('herverwerken of a message still ontvangen processes it now', async (t) => {
    const c = await standardContract(call, leverancierId)
    const k = await koppeling(call, c, 'jira')
    const d = jira('400', 0)
    const id = await crashed(handle, k.id, d, '400')
    const r = await call(BOOTSTRAP, { method: 'POST', url: `/api/v1/koppelingen/${k.id}/berichten/${id}/herverwerken` })
    t.equal(r.statusCode, 200)
    t.match(r.data, { id, resultaat: 'verwerkt' })
    t.equal((await meldingenOf(handle, c)).length, 1)
  })
})

t.test('on PostgreSQL: another connection holding the ticket\'s lock makes the answer a 202 in time', { skip: DB_KIND === 'postgres' ? false : 'needs a second connection (PostgreSQL)' }, async (t) => {
  const { handle, call } = await build(t, { koppelingen: { antwoordMs: BUDGET } })
  const { leverancierId } = await withKeys(call)
  const c = await standardContract(call, leverancierId)
  const k = await koppeling(call, c, 'jira')
  const d = jira('500', 0)
  let r: Awaited<ReturnType<typeof deliver>> | undefined
  let ms = 0
  await handle.db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`${k.id}:ticket:500`}))`.execute(trx)
    const t0 = performance.now()
    r = await deliver(call, k.id, d.body, sign.jira(k.geheim, d.body, d.id))
    ms = performance.now() - t0
    t.equal(await resultaatOf(handle, r.data.id), 'ontvangen', 'stored, waiting for the lock')
  })
  t.equal(r?.statusCode, 202)
  t.ok(ms < BUDGET + MARGIN, `answered in ${Math.round(ms)} ms`)
  await until('processed after the lock was released', async () => await resultaatOf(handle, r?.data.id as string) === 'verwerkt')
  t.equal((await meldingenOf(handle, c)).length, 1)
})

t.test('shutdown waits for processing under way; what waits for its turn is left to the job', async (t) => {
  const g = gate()
  const { handle } = await freshDatabase(t)
  const first = await build(t, { handle })
  const { leverancierId } = await withKeys(first.call)
  const c = await standardContract(first.call, leverancierId)
  const k = await koppeling(first.call, c, 'jira')
  const app = await build(t, { handle, koppelingen: { antwoordMs: 10, gelijktijdig: 1, voorVerwerking: g.hook } })
  g.close()
  const [d1, d2] = [jira('600', 0), jira('601', 0)]
  const r1 = await deliver(app.call, k.id, d1.body, sign.jira(k.geheim, d1.body, d1.id))
  const r2 = await deliver(app.call, k.id, d2.body, sign.jira(k.geheim, d2.body, d2.id))
  t.same([r1.statusCode, r2.statusCode], [202, 202])
  const closed = app.app.close()
  setTimeout(g.open, 200)
  await closed
  t.equal(await resultaatOf(handle, r1.data.id), 'verwerkt', 'the one under way was processed before close resolved')
  t.equal(await resultaatOf(handle, r2.data.id), 'ontvangen', 'the one waiting for its turn was not started')
  t.equal(await verwerkAchtergebleven(handle.db, TEST_NOW), 1, 'the job processes it')
  t.equal(await resultaatOf(handle, r2.data.id), 'verwerkt')
})

t.test('the job processes what a crash left ontvangen, once, in the tool\'s order per ticket', async (t) => {
  const { handle, call } = await build(t)
  const { leverancierId } = await withKeys(call)
  const c = await standardContract(call, leverancierId)
  const ref = await standardContract(call, leverancierId)
  const k = await koppeling(call, c, 'jira')
  const kr = await koppeling(call, ref, 'jira')
  const tickets = ['701', '702', '703']
  // Arrived in reverse order of the tool's, never processed.
  for (const ticket of tickets) for (let n = 4; n >= 0; n--) await crashed(handle, k.id, jira(ticket, n), ticket)
  for (const ticket of tickets) {
    for (let n = 0; n <= 4; n++) {
      const d = jira(ticket, n)
      t.equal((await deliver(call, kr.id, d.body, sign.jira(kr.geheim, d.body, d.id))).data.resultaat, 'verwerkt')
    }
  }
  t.equal(await verwerkAchtergebleven(handle.db, TEST_NOW), 15)
  const rows = await handle.db.selectFrom('bericht').select(['resultaat', 'reden']).where('koppeling_id', '=', k.id).execute()
  t.same(rows.map((r) => r.resultaat), Array(15).fill('verwerkt'))
  t.same((await eventsOf(handle, c)).map((e) => e.replace(/^\S+ /, '')), (await eventsOf(handle, ref)).map((e) => e.replace(/^\S+ /, '')), 'the same events as delivered in order')
  t.equal((await meldingenOf(handle, c)).length, 3)
  const events = await count(handle, 'gebeurtenis')
  t.equal(await verwerkAchtergebleven(handle.db, TEST_NOW), 0, 'nothing left')
  t.equal(await count(handle, 'gebeurtenis'), events)

  t.test('the job runs at start', async (t) => {
    const id = await crashed(handle, k.id, jira('704', 0), '704')
    await build(t, { handle, jobsIntervalMs: 3_600_000 })
    await until('processed by the job', async () => await resultaatOf(handle, id) === 'verwerkt')
    t.equal((await meldingenOf(handle, c)).length, 4)
  })
})

t.test('two instances running the job at once process each message once', { skip: DB_KIND === 'postgres' ? false : 'two instances need a server (PostgreSQL)' }, async (t) => {
  const { handle, url } = await freshDatabase(t)
  const { call } = await build(t, { handle })
  const { leverancierId } = await withKeys(call)
  const c = await standardContract(call, leverancierId)
  const ref = await standardContract(call, leverancierId)
  const k = await koppeling(call, c, 'jira')
  const kr = await koppeling(call, ref, 'jira')
  const other = await openDatabase({ databaseUrl: url, dataDir: '' })
  t.teardown(async () => { await other.close() })
  const tickets = Array.from({ length: 8 }, (_, i) => String(800 + i))
  let total = 0
  for (const ticket of tickets) {
    for (const n of [2, 0, 4, 1, 3]) { await crashed(handle, k.id, jira(ticket, n), ticket); total++ }
    for (let n = 0; n <= 4; n++) { const d = jira(ticket, n); await deliver(call, kr.id, d.body, sign.jira(kr.geheim, d.body, d.id)) }
  }
  const [a, b] = await Promise.all([verwerkAchtergebleven(handle.db, TEST_NOW), verwerkAchtergebleven(other.db, TEST_NOW)])
  t.equal(a + b, total, `each processed once (${a} + ${b})`)
  const rows = await handle.db.selectFrom('bericht').select('resultaat').where('koppeling_id', '=', k.id).execute()
  t.same(rows.map((r) => r.resultaat), Array(total).fill('verwerkt'))
  t.same((await eventsOf(handle, c)).map((e) => e.replace(/^\S+ /, '')), (await eventsOf(handle, ref)).map((e) => e.replace(/^\S+ /, '')))
})

t.test('retention: bodies cleared after the term, their SHA-256 and outcome kept', async (t) => {
  const { handle, call } = await build(t)
  const { leverancierId } = await withKeys(call)
  const c = await standardContract(call, leverancierId)
  const k = await koppeling(call, c, 'jira')
  const ok = jira('900', 0)
  const bad = jira('901', 0, { id: '10100', name: 'Blocker' })
  const r1 = await deliver(call, k.id, ok.body, sign.jira(k.geheim, ok.body, ok.id))
  const r2 = await deliver(call, k.id, bad.body, sign.jira(k.geheim, bad.body, bad.id))
  t.same([r1.data.resultaat, r2.data.resultaat], ['verwerkt', 'fout'])
  const months = (n: number): number => DateTime.fromMillis(TEST_NOW, { zone: 'utc' }).plus({ months: n }).toMillis()
  // A message received 2 months later is still within its term at 14 months.
  const mid = await build(t, { handle, clock: () => months(2) })
  const recent = jira('902', 0)
  const r3 = await deliver(mid.call, k.id, recent.body, sign.jira(k.geheim, recent.body, recent.id))
  t.equal(r3.data.resultaat, 'verwerkt')

  t.equal(await schoonBerichtenOp(handle.db, months(12), 13), 0, 'nothing before 13 months')
  const later = months(14)
  t.equal(await schoonBerichtenOp(handle.db, later, 13), 2)
  t.equal(await schoonBerichtenOp(handle.db, later, 13), 0, 'once')

  const app = await build(t, { handle, clock: () => later })
  const documented = documentedResponses(app.app)
  const inbox = await app.call(BOOTSTRAP, { method: 'GET', url: `/api/v1/koppelingen/${k.id}/berichten` })
  t.same(documented('GET', `/api/v1/koppelingen/${k.id}/berichten`, 200, inbox.data), [])
  const byId = new Map((inbox.data.resultaten as any[]).map((b) => [b.id, b]))
  const sha = (s: string): string => createHash('sha256').update(s).digest('hex')
  t.match(byId.get(r1.data.id), {
    inhoud: null, inhoudSha256: sha(ok.body), resultaat: 'verwerkt', opgeschoondOp: new Date(later).toISOString(),
    bewaardTot: new Date(months(13)).toISOString(), levering: ok.id, headers: { 'x-atlassian-webhook-identifier': ok.id }
  })
  t.match(byId.get(r2.data.id), { inhoud: null, inhoudSha256: sha(bad.body), resultaat: 'fout', reden: /unknown priority/ })
  t.match(byId.get(r3.data.id), { inhoud: recent.body, inhoudSha256: sha(recent.body), opgeschoondOp: null })
  t.equal(await count(handle, 'melding'), 2, 'the meldingen stay')

  const again = await app.call(BOOTSTRAP, { method: 'POST', url: `/api/v1/koppelingen/${k.id}/berichten/${r2.data.id}/herverwerken` })
  t.equal(again.statusCode, 409)
  t.match(again.data.detail, /body was cleared/)
  t.same(documented('POST', `/api/v1/koppelingen/${k.id}/berichten/${r2.data.id}/herverwerken`, 409, again.data, 'application/problem+json'), [])
  const bulk = await app.call(BOOTSTRAP, { method: 'POST', url: `/api/v1/koppelingen/${k.id}/berichten/herverwerken` })
  t.match(bulk.data, { aantal: 0, resterend: 0 }, 'a cleared message is not tried')
  const done = await app.call(BOOTSTRAP, { method: 'POST', url: `/api/v1/koppelingen/${k.id}/berichten/${r1.data.id}/herverwerken` })
  t.match(done.data, { resultaat: 'verwerkt', inhoud: null }, 'a processed one is answered as it is')

  t.test('the database refuses anything else', async (t) => {
    await t.rejects(sql`delete from bericht where id = ${r1.data.id}`.execute(handle.db), /never deleted/)
    await t.rejects(sql`update bericht set inhoud = 'x' where id = ${r3.data.id}`.execute(handle.db), /never changed/)
    await t.rejects(sql`update bericht set inhoud = 'x', opgeschoond_op = null where id = ${r1.data.id}`.execute(handle.db), /never changed/)
    await t.rejects(sql`update bericht set levering = 'x' where id = ${r3.data.id}`.execute(handle.db), /kept as received/)
    await t.rejects(sql`update bericht set resultaat = 'verwerkt', verwerkt_op = now() where id = ${r2.data.id}`.execute(handle.db), /not processed again/)
    await t.rejects(sql`update bericht set resultaat = 'ontvangen', verwerkt_op = null where id = ${r3.data.id}`.execute(handle.db), /never ontvangen again/)
  })
})
