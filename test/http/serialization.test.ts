// Responses serialize whatever the clock reads: a running clock at an instant with milliseconds
// gives durations with fractions of seconds (PT1H0.123S), valid ISO 8601 that the serializer
// once refused (a 500 during office hours, whenever `now` had milliseconds).
import t from 'tap'
import { build, standardContract, withKeys } from '../helpers/app.js'

t.test('a melding read at an instant with milliseconds (R-CLK-1)', async (t) => {
  const now = Date.parse('2026-03-10T10:15:30.123Z')
  const { call } = await build(t, { clock: () => now })
  const { keys, leverancierId } = await withKeys(call)
  const contract = await standardContract(call, leverancierId)
  const m = await call(keys.leverancier, { method: 'POST', url: '/api/v1/meldingen', payload: { contract, kenmerk: 'MS-1', onderwerp: 'x', type: 'verstoring', prioriteit: 3, gemeldOp: '2026-03-10T09:00:00+01:00' } })
  t.equal(m.statusCode, 201, m.body)
  t.equal(m.data.sla.functieherstel.verbruikt, 'PT2H15M30.123S', 'gemeld 08:00Z, now 10:15:30.123Z')
  const e = await call(keys.leverancier, { method: 'POST', url: `/api/v1/meldingen/${m.data.id as string}/gebeurtenissen`, payload: { type: 'voortgang', op: '2026-03-10T10:00:00Z' } })
  t.equal(e.statusCode, 201, e.body)
  t.equal(e.data.sla.functieherstel.verbruikt, 'PT2H15M30.123S')
  const r = await call(keys.lezer, { method: 'GET', url: `/api/v1/meldingen/${m.data.id as string}` })
  t.equal(r.statusCode, 200, r.body)
  t.match(r.data.sla.functieherstel, { status: 'lopend', verbruikt: 'PT2H15M30.123S' })
})
