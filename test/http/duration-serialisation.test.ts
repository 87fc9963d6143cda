import t from 'tap'
import { BOOTSTRAP, build, standardContract } from '../helpers/app.js'

// With the real clock, instants carry milliseconds and so do the sla block's durations
// (verbruikt PT1H2M3.456S); the serialiser once refused those and answered 500 after storing.
t.test('a melding whose clock reading has milliseconds serialises (R-CLK-5 verbruikt)', async (t) => {
  const { call } = await build(t, { clock: () => Date.UTC(2026, 2, 10, 10, 17, 3, 456) })
  const lev = await call(BOOTSTRAP, { method: 'POST', url: '/api/v1/leveranciers', payload: { naam: 'Acme BV' } })
  const contract = await standardContract(call, lev.data.id)
  const r = await call(BOOTSTRAP, {
    method: 'POST', url: '/api/v1/meldingen',
    payload: { contract, kenmerk: 'Z-1', onderwerp: 'traag', type: 'verstoring', prioriteit: 2, gemeldOp: '2026-03-10T09:00:00+01:00' }
  })
  t.equal(r.statusCode, 201, r.body)
  t.match(r.data.sla.functieherstel.verbruikt, /^PT.*\.456S$/)
})
