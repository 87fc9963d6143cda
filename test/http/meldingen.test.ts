// Meldingen through the API: worked examples E1–E10 by number, priority rules, idempotent and
// atomic writes, access per leverancier, never deleted.
import t from 'tap'
import { sql } from 'kysely'
import { build, standardContract, withKeys } from '../helpers/app.js'

t.test('meldingen', async (t) => {
  const { call, handle } = await build(t)
  const { keys, leverancierId, otherLeverancierId } = await withKeys(call)
  const contract = await standardContract(call, leverancierId)
  const otherContract = await standardContract(call, otherLeverancierId)
  let n = 0
  const melding = async (body: Record<string, unknown>, key = keys.leverancier) =>
    await call(key, { method: 'POST', url: '/api/v1/meldingen', payload: { contract, kenmerk: `M-${++n}`, onderwerp: 'Zaaksysteem traag', type: 'verstoring', ...body } })
  const events = async (id: string, body: unknown, key = keys.leverancier) =>
    await call(key, { method: 'POST', url: `/api/v1/meldingen/${id}/gebeurtenissen`, payload: body as object })
  const read = async (id: string, peil: string, extra = '') =>
    (await call(keys.lezer, { method: 'GET', url: `/api/v1/meldingen/${id}?peilmoment=${encodeURIComponent(peil)}${extra}` })).data

  t.test('E1: prio 2 gemeld Tue 2026-03-10 09:30', async (t) => {
    const m = await melding({ prioriteit: 2, gemeldOp: '2026-03-10T09:30:00+01:00' })
    t.equal(m.statusCode, 201)
    const s = (await read(m.data.id, '2026-03-10T09:45:00+01:00')).sla
    t.match(s.reactie, { status: 'lopend', norm: 'PT1H', deadline: '2026-03-10T09:30:00Z', verbruikt: 'PT15M', resterend: 'PT45M', beslistOp: null })
    t.match(s.functieherstel, { status: 'lopend', norm: 'PT20H', deadline: '2026-03-12T08:30:00Z' })
    t.match(s.voortgang, { cadans: 'PT8H', volgendeOp: '2026-03-10T16:30:00Z', gemist: 0 })
  })

  t.test('E2: prio 3 gemeld on Goede Vrijdag', async (t) => {
    const m = await melding({ prioriteit: 3, gemeldOp: '2026-04-03T16:00:00+02:00' })
    const s = (await read(m.data.id, '2026-04-03T16:00:00+02:00')).sla
    t.equal(s.reactie.deadline, '2026-04-07T08:00:00Z')
    t.equal(s.functieherstel.deadline, '2026-04-13T14:00:00Z')
  })

  t.test('E3: prio 4 gemeld Saturday before the DST switch', async (t) => {
    const m = await melding({ prioriteit: 4, gemeldOp: '2026-03-28T10:00:00+01:00' })
    const s = (await read(m.data.id, '2026-03-28T10:00:00+01:00')).sla
    t.equal(s.reactie.deadline, '2026-03-30T14:00:00Z')
    t.equal(s.functieherstel.deadline, '2026-04-13T16:00:00Z')
  })

  t.test('E4: paused while wachten-op-informatie, with the explanation', async (t) => {
    const m = await melding({ prioriteit: 3, gemeldOp: '2026-06-03T11:00:00+02:00' })
    const e = await events(m.data.id, [
      { type: 'status', status: 'wachten-op-informatie', op: '2026-06-03T14:00:00+02:00', kenmerk: 'a' },
      { type: 'status', status: 'in-behandeling', op: '2026-06-04T10:00:00+02:00', kenmerk: 'b' }
    ])
    t.equal(e.statusCode, 201)
    t.equal(e.data.aantal, 2)
    const paused = await read(m.data.id, '2026-06-03T15:00:00+02:00')
    t.match(paused.sla.functieherstel, { status: 'gepauzeerd', deadline: null, resterend: 'PT47H' })
    const d = await read(m.data.id, '2026-06-04T12:00:00+02:00', '&uitleg=true')
    t.equal(d.sla.functieherstel.deadline, '2026-06-10T15:00:00Z')
    t.match(d.uitleg.functieherstel.segmenten, [{ status: 'geregistreerd', loopt: true }, { status: 'wachten-op-informatie', loopt: false }, { status: 'in-behandeling', loopt: true }])
    t.match(d.uitleg.functieherstel.werktijd.dagen[1], { datum: '2026-06-04', nietGeteld: [{ reden: 'buiten-kantooruren' }, { reden: 'gepauzeerd', duur: 'PT2H' }] })
    t.match(d.uitleg.voorwaarden, { contract, versie: 1 })
  })

  t.test('E5: omgeving test, asked prio 1 → prioriteit 4 (R-PRI-4)', async (t) => {
    const m = await melding({ prioriteit: 1, omgeving: 'test', gemeldOp: '2026-03-10T09:30:00+01:00' })
    t.match(m.data, { prioriteit: 4, gevraagdePrioriteit: 1, omgeving: 'test' })
    t.equal(m.data.sla.functieherstel.norm, 'PT100H')
  })

  t.test('E6: prio 1 over Hemelvaartsdag', async (t) => {
    const m = await melding({ prioriteit: 1, gemeldOp: '2026-05-13T16:30:00+02:00' })
    const s = (await read(m.data.id, '2026-05-13T16:30:00+02:00')).sla
    t.equal(s.functieherstel.deadline, '2026-05-15T08:30:00Z')
    t.equal(s.reactie.status, 'nvt')
  })

  t.test('E7: prio 2 over the end of DST', async (t) => {
    const m = await melding({ prioriteit: 2, gemeldOp: '2026-10-23T17:30:00+02:00' })
    const s = (await read(m.data.id, '2026-10-23T17:30:00+02:00')).sla
    t.equal(s.reactie.deadline, '2026-10-26T07:30:00Z')
    t.equal(s.functieherstel.deadline, '2026-10-27T16:30:00Z')
  })

  t.test('E8: reopened, 28 werkuren used: behaald (R-CLK-4)', async (t) => {
    const m = await melding({ prioriteit: 3, gemeldOp: '2026-09-07T09:00:00+02:00' })
    await events(m.data.id, { type: 'status', status: 'opgelost', op: '2026-09-08T09:00:00+02:00', kenmerk: '1' })
    await events(m.data.id, { type: 'status', status: 'in-behandeling', op: '2026-09-09T12:00:00+02:00', kenmerk: '2', toelichting: 'oplossing afgewezen' }, keys.beheerder)
    await events(m.data.id, { type: 'status', status: 'opgelost', op: '2026-09-11T10:00:00+02:00', kenmerk: '3' })
    const s = (await read(m.data.id, '2026-09-14T12:00:00+02:00')).sla
    t.match(s.functieherstel, { status: 'behaald', verbruikt: 'PT28H', beslistOp: '2026-09-11T08:00:00Z' })
  })

  t.test('E9: opgelost Mon 2026-12-21 10:00, no reaction: closes 2027-01-06 10:00 (R-SLU-2)', async (t) => {
    const m = await melding({ prioriteit: 3, gemeldOp: '2026-12-18T09:00:00+01:00' })
    await events(m.data.id, { type: 'status', status: 'opgelost', op: '2026-12-21T10:00:00+01:00' })
    const s = (await read(m.data.id, '2026-12-22T10:00:00+01:00')).sla
    t.equal(s.automatischSluitenOp, '2027-01-06T09:00:00Z')
  })

  t.test('E10: prio 1 with 3 updates and opgelost at 13:00: 1 gemist (R-COM-2)', async (t) => {
    const m = await melding({ prioriteit: 1, gemeldOp: '2026-11-30T09:00:00+01:00' })
    await events(m.data.id, [
      { type: 'voortgang', op: '2026-11-30T09:50:00+01:00' }, { type: 'voortgang', op: '2026-11-30T11:05:00+01:00' },
      { type: 'voortgang', op: '2026-11-30T12:00:00+01:00' }, { type: 'status', status: 'opgelost', op: '2026-11-30T13:00:00+01:00' }
    ])
    const s = (await read(m.data.id, '2026-11-30T17:00:00+01:00')).sla
    t.match(s.voortgang, { gemist: 1, gemistOp: ['2026-11-30T09:50:00Z'], volgendeOp: null })
  })

  t.test('priority: verstoring needs one; vraag defaults to 3; beveiligingsincident is 1 (R-PRI-2, R-PRI-3)', async (t) => {
    const none = await melding({ gemeldOp: '2026-03-10T09:30:00+01:00' })
    t.equal(none.statusCode, 400)
    t.same(none.data.invalidParams.map((p: { name: string }) => p.name), ['prioriteit'])
    t.equal((await melding({ type: 'vraag', gemeldOp: '2026-03-10T09:30:00+01:00' })).data.prioriteit, 3)
    t.equal((await melding({ type: 'beveiligingsincident', prioriteit: 3, gemeldOp: '2026-03-10T09:30:00+01:00' })).data.prioriteit, 1)
  })

  t.test('R-PRI-5/6: a priority change is retroactive and keeps its history; only the gemeente disputes', async (t) => {
    const m = await melding({ prioriteit: 3, gemeldOp: '2026-03-10T09:00:00+01:00' })
    const byLeverancier = await events(m.data.id, { type: 'prioriteit-betwist', op: '2026-03-10T09:30:00+01:00', toelichting: 'dit is prio 2' })
    t.equal(byLeverancier.statusCode, 400)
    t.match(byLeverancier.data.invalidParams, [{ name: 'type', reason: /only the gemeente/ }])
    t.equal((await events(m.data.id, { type: 'prioriteit-betwist', op: '2026-03-10T09:30:00+01:00', toelichting: 'dit is prio 2' }, keys.beheerder)).statusCode, 201)
    const noReason = await events(m.data.id, { type: 'prioriteit', prioriteit: 2, op: '2026-03-10T11:00:00+01:00' })
    t.same(noReason.data.invalidParams.map((p: { name: string }) => p.name), ['toelichting'])
    await events(m.data.id, { type: 'prioriteit', prioriteit: 2, op: '2026-03-10T11:00:00+01:00', toelichting: 'na overleg' })
    const d = await read(m.data.id, '2026-03-10T11:30:00+01:00', '&uitleg=true')
    t.equal(d.prioriteit, 2)
    t.match(d.sla.reactie, { status: 'verlopen', norm: 'PT1H' })
    t.same(d.prioriteitBetwist, ['2026-03-10T08:30:00Z'])
    t.match(d.uitleg.prioriteit.historie, [{ op: '2026-03-10T10:00:00Z', gevraagd: 2, prioriteit: 2 }])
    const before = await read(m.data.id, '2026-03-10T10:30:00+01:00')
    t.equal(before.prioriteit, 3, 'at a peilmoment before the change the old priority holds')
  })

  t.test('events: all errors of a batch named by index; nothing stored when one is invalid', async (t) => {
    const m = await melding({ prioriteit: 2, gemeldOp: '2026-03-10T09:00:00+01:00' })
    const bad = await events(m.data.id, [
      { type: 'reactie', op: '2026-03-10T09:10:00+01:00', kenmerk: 'ok-1' },
      { type: 'status', op: 'gisteren' },
      { type: 'status', status: 'gesloten', op: '2026-03-10T10:00:00+01:00' }
    ])
    t.equal(bad.statusCode, 400)
    t.same(bad.data.invalidParams.map((p: { name: string }) => p.name), ['[1].op', '[1].status', '[2].sluitreden'])
    const list = await call(keys.lezer, { method: 'GET', url: `/api/v1/meldingen/${m.data.id}/gebeurtenissen` })
    t.equal(list.data.aantal, 0, 'the valid event of the batch was not stored either')
    const schema = await events(m.data.id, { type: 'onbekend', op: 5, extra: true })
    t.same(schema.data.invalidParams.map((p: { name: string }) => p.name).sort(), ['extra', 'op', 'type'])
  })

  t.test('idempotent: repeated melding and event answer 200 with the stored one; other values 409', async (t) => {
    const body = { contract, kenmerk: 'IDEM-1', onderwerp: 'x', type: 'verstoring', prioriteit: 2, gemeldOp: '2026-03-10T09:00:00+01:00' }
    const first = await call(keys.leverancier, { method: 'POST', url: '/api/v1/meldingen', payload: body })
    const again = await call(keys.leverancier, { method: 'POST', url: '/api/v1/meldingen', payload: { ...body, gemeldOp: '2026-03-10T08:00:00Z' } })
    t.equal(first.statusCode, 201)
    t.equal(again.statusCode, 200, 'the same instant in another offset is the same value')
    t.equal(again.data.id, first.data.id)
    const other = await call(keys.leverancier, { method: 'POST', url: '/api/v1/meldingen', payload: { ...body, prioriteit: 1 } })
    t.equal(other.statusCode, 409)
    const ev = { type: 'reactie', op: '2026-03-10T09:10:00+01:00', kenmerk: 'R-1' }
    t.equal((await events(first.data.id, ev)).statusCode, 201)
    const repeat = await events(first.data.id, ev)
    t.equal(repeat.statusCode, 200)
    t.equal((await events(first.data.id, { ...ev, op: '2026-03-10T09:20:00+01:00' })).statusCode, 409)
    t.equal((await call(keys.lezer, { method: 'GET', url: `/api/v1/meldingen/${first.data.id}/gebeurtenissen` })).data.aantal, 1)
  })

  t.test('50 concurrent identical creates make one melding; 50 identical events one event', async (t) => {
    const body = { contract, kenmerk: 'RACE-1', onderwerp: 'x', type: 'verstoring', prioriteit: 2, gemeldOp: '2026-03-10T09:00:00+01:00' }
    const rs = await Promise.all(Array.from({ length: 50 }, async () => await call(keys.leverancier, { method: 'POST', url: '/api/v1/meldingen', payload: body })))
    t.same([...new Set(rs.map((r) => r.data.id))].length, 1)
    t.equal(rs.filter((r) => r.statusCode === 201).length, 1)
    t.equal(rs.filter((r) => r.statusCode === 200).length, 49)
    const id = rs[0]?.data.id
    const es = await Promise.all(Array.from({ length: 50 }, async () => await events(id, { type: 'reactie', op: '2026-03-10T09:05:00+01:00', kenmerk: 'R' })))
    t.equal(es.filter((r) => r.statusCode === 201).length, 1)
    t.equal(es.filter((r) => r.statusCode === 200).length, 49)
    const c = await sql<{ n: string }>`select count(*)::text as n from gebeurtenis where melding_id = ${id}`.execute(handle.db)
    t.equal(c.rows[0]?.n, '1')
  })

  t.test('a leverancier key cannot read, list or write another leverancier\'s meldingen', async (t) => {
    const theirs = await call(keys.otherLeverancier, { method: 'POST', url: '/api/v1/meldingen', payload: { contract: otherContract, kenmerk: 'O-1', onderwerp: 'x', type: 'vraag', gemeldOp: '2026-03-10T09:00:00+01:00' } })
    t.equal(theirs.statusCode, 201)
    t.equal((await call(keys.leverancier, { method: 'GET', url: `/api/v1/meldingen/${theirs.data.id}` })).statusCode, 404)
    t.equal((await call(keys.leverancier, { method: 'GET', url: `/api/v1/meldingen/${theirs.data.id}/gebeurtenissen` })).statusCode, 404)
    t.equal((await events(theirs.data.id, { type: 'reactie', op: '2026-03-10T09:05:00+01:00' })).statusCode, 404)
    const list = await call(keys.leverancier, { method: 'GET', url: '/api/v1/meldingen?pageSize=500' })
    t.notOk(list.data.resultaten.some((m: { contract: string }) => m.contract === otherContract))
    t.equal((await call(keys.leverancier, { method: 'GET', url: `/api/v1/meldingen?contract=${otherContract}` })).data.aantal, 0)
    const write = await call(keys.leverancier, { method: 'POST', url: '/api/v1/meldingen', payload: { contract: otherContract, kenmerk: 'O-2', onderwerp: 'x', type: 'vraag', gemeldOp: '2026-03-10T09:00:00+01:00' } })
    t.equal(write.statusCode, 400)
    t.match(write.data.invalidParams, [{ name: 'contract' }])
    t.equal((await call(keys.leverancier, { method: 'GET', url: `/api/v1/contracten/${otherContract}` })).statusCode, 404)
    t.equal((await call(keys.lezer, { method: 'GET', url: `/api/v1/meldingen/${theirs.data.id}` })).statusCode, 200, 'lezer reads all')
    t.equal((await call(keys.lezer, { method: 'POST', url: '/api/v1/meldingen', payload: {} })).statusCode, 403, 'lezer writes nothing')
  })

  t.test('lists filter and page; actieve-verstoringen lists open prio 1 and 2 (R-COM-3)', async (t) => {
    const p1 = await melding({ prioriteit: 1, gemeldOp: '2026-02-02T09:00:00+01:00' })
    const p2 = await melding({ prioriteit: 2, gemeldOp: '2026-02-02T10:00:00+01:00' })
    await events(p2.data.id, { type: 'status', status: 'opgelost', op: '2026-02-02T11:00:00+01:00' })
    const active = await call(keys.lezer, { method: 'GET', url: '/api/v1/actieve-verstoringen?pageSize=500' })
    const ids = active.data.resultaten.map((m: { id: string }) => m.id)
    t.ok(ids.includes(p1.data.id))
    t.notOk(ids.includes(p2.data.id), 'opgelost is no longer active')
    t.ok(active.data.resultaten.every((m: { prioriteit: number, actief: boolean }) => m.prioriteit <= 2 && m.actief))
    const feb = await call(keys.lezer, { method: 'GET', url: '/api/v1/meldingen?gemeldVanaf=2026-02-01T00:00:00Z&gemeldTot=2026-03-01T00:00:00Z&status=opgelost' })
    t.same(feb.data.resultaten.map((m: { id: string }) => m.id), [p2.data.id])
    const bad = await call(keys.lezer, { method: 'GET', url: '/api/v1/meldingen?gemeldVanaf=februari&status=kapot' })
    t.same(bad.data.invalidParams.map((p: { name: string }) => p.name).sort(), ['gemeldVanaf', 'status'])
  })

  t.test('R-CLK-7: events before gemeldOp and after gesloten are stored and flagged', async (t) => {
    const m = await melding({ prioriteit: 3, gemeldOp: '2026-03-10T09:00:00+01:00' })
    await events(m.data.id, [
      { type: 'reactie', op: '2026-03-10T08:59:00+01:00' },
      { type: 'status', status: 'gesloten', sluitreden: 'akkoord-opdrachtgever', op: '2026-03-10T10:00:00+01:00' },
      { type: 'opmerking', toelichting: 'nog een vraag', op: '2026-03-10T11:00:00+01:00' }
    ])
    const d = await read(m.data.id, '2026-03-10T12:00:00+01:00')
    t.same(d.afwijkingen.map((a: { soort: string }) => a.soort), ['voor-gemeld', 'na-gesloten'])
  })

  t.test('never deleted: no DELETE route, and the database refuses DELETE and UPDATE of events', async (t) => {
    const m = await melding({ prioriteit: 3, gemeldOp: '2026-03-10T09:00:00+01:00' })
    const del = await call(keys.beheerder, { method: 'DELETE', url: `/api/v1/meldingen/${m.data.id}` })
    t.equal(del.statusCode, 405)
    await events(m.data.id, { type: 'reactie', op: '2026-03-10T09:10:00+01:00' })
    await t.rejects(sql`delete from gebeurtenis`.execute(handle.db), /never deleted/)
    await t.rejects(sql`delete from melding where id = ${m.data.id}`.execute(handle.db), /never deleted/)
    await t.rejects(sql`delete from contract`.execute(handle.db), /never deleted/)
    await t.rejects(sql`update gebeurtenis set op = now()`.execute(handle.db), /never change/)
    const stored = await sql<{ sleutel_id: string | null, ontvangen_op: Date }>`select sleutel_id, ontvangen_op from gebeurtenis where melding_id = ${m.data.id}`.execute(handle.db)
    t.ok(stored.rows[0]?.sleutel_id, 'every event keeps the key that sent it')
    t.ok(stored.rows[0]?.ontvangen_op instanceof Date, 'and when it arrived')
  })
})
