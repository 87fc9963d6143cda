// Availability through the API (R-BES): E11, batches validated as a whole, samples counted once
// whatever the order, exclusions by the gemeente only, monitor keys on their own diensten.
import t from 'tap'
import fc from 'fast-check'
import { sql } from 'kysely'
import { BOOTSTRAP, build, standardContract, withKeys } from '../helpers/app.js'
import { referenceMonth } from '../core/beschikbaarheid/reference.js'
import { streamArb, streamOf } from '../core/beschikbaarheid/streams.js'

const MIN = 60_000

t.test('diensten and beschikbaarheid', async (t) => {
  const { call, handle } = await build(t)
  const { keys, leverancierId } = await withKeys(call)
  const contract = await standardContract(call, leverancierId)
  const dienst = async (naam: string): Promise<string> => (await call(BOOTSTRAP, { method: 'POST', url: '/api/v1/diensten', payload: { contract, naam } })).data.id
  const push = async (id: string, samples: Array<{ op: number, beschikbaar: boolean, responstijdMs?: number }>, key = BOOTSTRAP) =>
    await call(key, { method: 'POST', url: `/api/v1/diensten/${id}/metingen`, payload: samples.map((s) => ({ ...s, op: new Date(s.op).toISOString() })) })
  const month = async (id: string, maand: string, extra = '') => (await call(keys.lezer, { method: 'GET', url: `/api/v1/diensten/${id}/beschikbaarheid?maand=${maand}${extra}` })).data

  t.test('E11: February 2026 with 500 and with 600 minutes down', async (t) => {
    for (const [down, pct, oordeel] of [[500, 98.14, 'behaald'], [600, 97.77, 'niet-behaald']] as const) {
      const id = await dienst(`E11-${down}`)
      const from = Date.parse('2026-01-31T23:00:00Z')
      const outage = Date.parse('2026-02-10T08:00:00Z')
      const samples = []
      for (let x = from; x < Date.parse('2026-02-28T23:00:00Z'); x += MIN) samples.push({ op: x, beschikbaar: !(x >= outage && x < outage + down * MIN), responstijdMs: 200 })
      for (let i = 0; i < samples.length; i += 10_000) t.equal((await push(id, samples.slice(i, i + 10_000))).statusCode, 200)
      const m = await month(id, '2026-02')
      t.match(m, { maand: '2026-02', dekking: 1, onbekend: 'PT0S', uitgesloten: 'PT0S', venster: 'PT448H', norm: 0.98, oordeel })
      t.equal(Math.round(m.beschikbaarheid * 10000) / 100, pct)
      t.equal(m.onbeschikbaar, down === 500 ? 'PT8H20M' : 'PT10H')
      t.match(m.responstijd, { aantal: 28 * 16 * 60, gemiddeldMs: 200 })
    }
  })

  t.test('a batch with one bad sample names it and stores nothing', async (t) => {
    const id = await dienst('Validatie')
    const r = await call(BOOTSTRAP, { method: 'POST', url: `/api/v1/diensten/${id}/metingen`, payload: [
      { op: '2026-06-01T10:00:00Z', beschikbaar: true },
      { op: '2026-06-01T10:01:00', beschikbaar: 'ja' },
      { op: '2026-06-01T10:02:00Z', beschikbaar: true, responstijdMs: -1 }
    ] })
    t.equal(r.statusCode, 400)
    t.same(r.data.invalidParams.map((p: { name: string }) => p.name), ['[1].op', '[1].beschikbaar', '[2].responstijdMs'])
    const rows = await sql<{ n: string }>`select count(*)::text as n from meetreeks where dienst_id = ${id}`.execute(handle.db)
    t.equal(rows.rows[0]?.n, '0')
  })

  t.test('late, out-of-order, overlapping and repeated batches count each sample once (property)', async (t) => {
    const cases = fc.sample(fc.tuple(streamArb, fc.func(fc.integer()), fc.integer({ min: 20, max: 500 })), { numRuns: 8, seed: 11 })
    let n = 0
    for (const [stream, rank, chunk] of cases) {
      const id = await dienst(`Property-${++n}`)
      const samples = streamOf(stream)
      const shuffled = [...samples, ...samples.slice(0, Math.floor(samples.length / 2))].sort((a, b) => rank(a.op) - rank(b.op))
      let nieuw = 0
      for (let i = 0; i < shuffled.length; i += chunk) nieuw += (await push(id, shuffled.slice(i, i + chunk))).data.nieuw
      t.equal(nieuw, samples.length, 'each sample counted once')
      const m = await month(id, '2026-06')
      const ref = referenceMonth(samples, MIN, '2026-06')
      t.same([m.beschikbaar, m.onbeschikbaar, m.onbekend], [ref.beschikbaar, ref.onbeschikbaar, ref.onbekend].map((ms) => {
        const h = Math.floor(ms / 3_600_000); const mi = Math.floor((ms % 3_600_000) / MIN)
        return ms === 0 ? 'PT0S' : `PT${h > 0 ? `${h}H` : ''}${mi > 0 ? `${mi}M` : ''}`
      }), `case ${n}`)
    }
  })

  t.test('exclusions: only the gemeente writes them; they come out of the window (R-BES-3)', async (t) => {
    const id = await dienst('Uitsluiting')
    const samples = []
    for (let x = Date.parse('2026-05-31T22:00:00Z'); x < Date.parse('2026-06-30T22:00:00Z'); x += MIN) samples.push({ op: x, beschikbaar: true })
    for (let i = 0; i < samples.length; i += 10_000) await push(id, samples.slice(i, i + 10_000))
    const body = { van: '2026-06-10T09:00:00+02:00', tot: '2026-06-10T11:00:00+02:00', reden: 'verzoek-gemeente', toelichting: 'herstel-test' }
    t.equal((await call(keys.leverancier, { method: 'POST', url: `/api/v1/diensten/${id}/uitsluitingen`, payload: body })).statusCode, 403)
    t.equal((await call(BOOTSTRAP, { method: 'POST', url: `/api/v1/diensten/${id}/uitsluitingen`, payload: body })).statusCode, 201)
    const bad = await call(BOOTSTRAP, { method: 'POST', url: `/api/v1/diensten/${id}/uitsluitingen`, payload: { ...body, reden: 'storing', tot: 'morgen' } })
    t.same(bad.data.invalidParams.map((p: { name: string }) => p.name).sort(), ['reden', 'tot'])
    const m = await month(id, '2026-06', '&uitleg=true')
    t.match(m, { uitgesloten: 'PT2H', onbekend: 'PT0S', dekking: 1, beschikbaarheid: 1 })
    t.same(m.uitleg[9].uitgesloten, [{ van: '2026-06-10T07:00:00Z', tot: '2026-06-10T09:00:00Z' }])
    const list = await call(keys.leverancier, { method: 'GET', url: `/api/v1/diensten/${id}/uitsluitingen` })
    t.equal(list.data.aantal, 1)
  })

  t.test('maintenance inside the window and upgrade breaches are reported (R-BES-6)', async (t) => {
    const id = await dienst('Onderhoud')
    const r = await call(keys.leverancier, { method: 'POST', url: `/api/v1/diensten/${id}/onderhoud`, payload: { van: '2026-06-15T17:00:00+02:00', tot: '2026-06-15T19:00:00+02:00', soort: 'upgrade' } })
    t.equal(r.statusCode, 201)
    const m = await month(id, '2026-06')
    t.match(m.onderhoudInVenster, [{ soort: 'upgrade', omgeving: 'productie', inVenster: 'PT2H', overtredingen: ['binnen-kantooruren'] }])
  })

  t.test('monitor keys write only their own diensten; leverancier keys see only their own', async (t) => {
    const id = await dienst('Monitor')
    const mon = (await call(BOOTSTRAP, { method: 'POST', url: '/api/v1/sleutels', payload: { rol: 'monitor', diensten: [id] } })).data.sleutel
    t.equal((await push(id, [{ op: Date.parse('2026-06-01T10:00:00Z'), beschikbaar: true }], mon)).statusCode, 200)
    const other = await dienst('Niet van deze monitor')
    t.equal((await push(other, [{ op: Date.parse('2026-06-01T10:00:00Z'), beschikbaar: true }], mon)).statusCode, 403)
    t.equal((await call(mon, { method: 'GET', url: `/api/v1/diensten/${id}/beschikbaarheid?maand=2026-06` })).statusCode, 403)
    t.equal((await call(keys.otherLeverancier, { method: 'GET', url: `/api/v1/diensten/${id}` })).statusCode, 404)
    t.equal((await call(keys.leverancier, { method: 'GET', url: `/api/v1/diensten/${id}` })).statusCode, 200)
    t.equal((await push(id, [{ op: 1, beschikbaar: true }], keys.leverancier)).statusCode, 403)
  })

  t.test('bad month and never deleted', async (t) => {
    const id = await dienst('Maand')
    const r = await call(keys.lezer, { method: 'GET', url: `/api/v1/diensten/${id}/beschikbaarheid?maand=2026-13` })
    t.same(r.data.invalidParams.map((p: { name: string }) => p.name), ['maand'])
    await t.rejects(sql`delete from dienst`.execute(handle.db), /never deleted/)
    await t.rejects(sql`delete from uitsluiting`.execute(handle.db), /never deleted/)
  })
})
