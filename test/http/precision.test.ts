// Issue 10, "one reading of every schema": answers keep instants and durations to the
// millisecond, and the response serializer reads the formats exactly as the request validator.
import t from 'tap'
import { formatDuration, parseDuration } from '../../src/core/index.js'
import { FORMATS } from '../../src/http/formats.js'
import { buildSerializerFactory } from '../../src/http/serializer.js'
import { build, standardContract, withKeys } from '../helpers/app.js'
import { documentedResponses } from '../helpers/openapi.js'

t.test('the serializer accepts exactly what the validator accepts', async (t) => {
  const serialize = buildSerializerFactory({}, {})({
    schema: { type: 'object', properties: { d: { anyOf: [{ type: 'string', format: 'duration' }, { type: 'null' }] }, i: { anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }] } } }
  })
  const durations = ['PT7H29M59.877S', 'PT0.001S', 'PT20H', 'PT0S', 'P1D', 'PT', 'PT1.5H', 'PT1.2345S', '-PT1S', 'nonsense']
  for (const d of durations) {
    const valid = FORMATS.duration?.validate(d) === true
    let serialized: boolean
    try { serialized = serialize({ d, i: null }) === JSON.stringify({ d, i: null }) } catch { serialized = false }
    t.equal(serialized, valid, `duration ${d}: serialized only if valid (${valid})`)
  }
  const instants = ['2026-03-10T09:45:12.345Z', '2026-03-10T09:45:12Z', '2026-03-10T10:45:12.345+01:00', '2026-03-10T09:45:12', '2026-02-30T10:00:00Z']
  for (const i of instants) {
    const valid = FORMATS['date-time']?.validate(i) === true
    let serialized: boolean
    try { serialized = serialize({ d: null, i }) === JSON.stringify({ d: null, i }) } catch { serialized = false }
    t.equal(serialized, valid, `instant ${i}: serialized only if valid (${valid})`)
  }
})

t.test('a clock read at a peilmoment with milliseconds answers to the millisecond (R-CLK-1, issue 10)', async (t) => {
  const { app, call } = await build(t)
  const check = documentedResponses(app)
  const { keys, leverancierId } = await withKeys(call)
  const contract = await standardContract(call, leverancierId)
  const m = await call(keys.leverancier, { method: 'POST', url: '/api/v1/meldingen', payload: { contract, kenmerk: 'MS-1', onderwerp: 'ms', type: 'verstoring', prioriteit: 2, gemeldOp: '2026-03-10T09:30:00+01:00' } })
  t.equal(m.statusCode, 201)
  const url = `/api/v1/meldingen/${m.data.id as string}?peilmoment=2026-03-10T09:45:12.345Z&uitleg=true`
  const r = await call(keys.lezer, { method: 'GET', url })
  t.equal(r.statusCode, 200, 'the reproduction of issue 10 answers 200')
  t.same(check('GET', url, r.statusCode, r.data), [], 'and matches its documented schema')
  const f = r.data.sla.functieherstel
  t.equal(r.data.sla.peilmoment, '2026-03-10T09:45:12.345Z', 'the peilmoment keeps its milliseconds')
  t.equal(f.verbruikt, 'PT1H15M12.345S', 'usage from 09:30 to 10:45:12.345 local, not rounded')
  t.equal(f.resterend, 'PT18H44M47.655S', 'what is left of PT20H, not rounded')
  t.equal(parseDuration(f.verbruikt) + parseDuration(f.resterend), parseDuration(f.norm), 'usage and rest add up to the norm exactly')
  t.equal(r.data.sla.reactie.status, 'verlopen', 'PT1H past: breached')
  t.equal(r.data.sla.reactie.verbruikt, formatDuration(parseDuration('PT1H15M12.345S')), 'a breached clock shows its whole usage')
})
