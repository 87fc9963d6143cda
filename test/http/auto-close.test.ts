// R-SLU-2: the closing job closes at exactly automatischSluitenOp, catches up after downtime and
// never closes twice, also with two instances on one database.
import t from 'tap'
import { sql } from 'kysely'
import { closeDue } from '../../src/services/meldingen.js'
import { openDatabase } from '../../src/adapters/db/database.js'
import { build, standardContract, withKeys } from '../helpers/app.js'
import { DB_KIND, freshDatabase } from '../helpers/database.js'

t.test('automatic closing', async (t) => {
  const { handle, url } = await freshDatabase(t)
  const { call } = await build(t, { handle })
  const { keys, leverancierId } = await withKeys(call)
  const contract = await standardContract(call, leverancierId)

  const opgelost = async (kenmerk: string, when: string): Promise<string> => {
    const m = await call(keys.leverancier, { method: 'POST', url: '/api/v1/meldingen', payload: { contract, kenmerk, onderwerp: 'x', type: 'verstoring', prioriteit: 3, gemeldOp: '2026-12-18T09:00:00+01:00' } })
    await call(keys.leverancier, { method: 'POST', url: `/api/v1/meldingen/${m.data.id}/gebeurtenissen`, payload: { type: 'status', status: 'opgelost', op: when } })
    return m.data.id
  }

  t.test('E9: closed gesloten/geen-reactie at exactly 2027-01-06 10:00, even when the job runs days later', async (t) => {
    const id = await opgelost('E9', '2026-12-21T10:00:00+01:00')
    t.same(await closeDue(handle.db, Date.parse('2027-01-06T08:59:59Z')), [], 'not a second early')
    t.same(await closeDue(handle.db, Date.parse('2027-01-20T12:00:00Z')), [id], 'catches up after downtime')
    const list = await call(keys.lezer, { method: 'GET', url: `/api/v1/meldingen/${id}/gebeurtenissen` })
    const closing = list.data.resultaten.find((e: { status: string }) => e.status === 'gesloten')
    t.match(closing, { type: 'status', sluitreden: 'geen-reactie', op: '2027-01-06T09:00:00Z', sleutel: null })
    const m = await call(keys.lezer, { method: 'GET', url: `/api/v1/meldingen/${id}?peilmoment=2027-01-20T12:00:00Z` })
    t.match(m.data, { status: 'gesloten', actief: false, sla: { automatischSluitenOp: null } })
    t.same(await closeDue(handle.db, Date.parse('2027-02-01T12:00:00Z')), [], 'never twice')
  })

  t.test('a reaction of the gemeente ends the wait', async (t) => {
    const id = await opgelost('REOPEN', '2026-12-21T10:00:00+01:00')
    await call(keys.beheerder, { method: 'POST', url: `/api/v1/meldingen/${id}/gebeurtenissen`, payload: { type: 'status', status: 'in-behandeling', op: '2026-12-22T10:00:00+01:00' } })
    t.same(await closeDue(handle.db, Date.parse('2027-02-01T12:00:00Z')), [])
  })

  t.test(`two instances running the job together close each melding once (${DB_KIND})`, async (t) => {
    const ids: string[] = []
    for (let i = 0; i < 30; i++) ids.push(await opgelost(`PAR-${i}`, '2026-12-21T10:00:00+01:00'))
    // On Postgres a second pool is a second instance; embedded PGlite is one process, so there the
    // two jobs share it and race on its single connection.
    const second = DB_KIND === 'postgres' ? await openDatabase({ databaseUrl: url, dataDir: '' }) : handle
    if (second !== handle) t.teardown(() => second.close())
    const now = Date.parse('2027-01-07T12:00:00Z')
    const [a, b] = await Promise.all([closeDue(handle.db, now, 5), closeDue(second.db, now, 5)])
    t.equal(a.length + b.length, ids.length, 'together they closed all')
    t.same([...a, ...b].sort(), [...ids].sort())
    t.equal(a.filter((id) => b.includes(id)).length, 0, 'none by both')
    const r = await sql<{ n: string }>`select count(*)::text as n from gebeurtenis where sluitreden = 'geen-reactie'`.execute(handle.db)
    t.equal(Number(r.rows[0]?.n), ids.length + 1, 'one closing event each (plus E9)')
  })
})
