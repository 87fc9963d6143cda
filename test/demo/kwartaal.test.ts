// The demo's synthetic quarter (npm run demo, and the report benchmark): every type and priority,
// lifecycles that the API accepts, nothing after "now", the same quarter for the same seed.
import t from 'tap'
import { demoKwartaal, samplesOf } from '../../src/demo/kwartaal.js'

const NOW = Date.parse('2026-11-29T12:00:00Z')

t.test('a realistic quarter, the same for the same seed', async (t) => {
  const q = demoKwartaal('2026-Q3', NOW)
  t.same(demoKwartaal('2026-Q3', NOW), q, 'seeded')
  t.equal(q.meldingen.length, 320)
  t.same(new Set(q.meldingen.map((m) => m.type)), new Set(['verstoring', 'beveiligingsincident', 'vraag', 'wens', 'opdracht']))
  t.same(new Set(q.meldingen.filter((m) => m.type === 'verstoring').map((m) => m.prioriteit)), new Set([1, 2, 3, 4]))
  t.ok(q.meldingen.some((m) => m.omgeving === 'test'))
  const start = Date.parse('2026-07-01T00:00:00+02:00')
  const end = Date.parse('2026-10-01T00:00:00+02:00')
  for (const m of q.meldingen) {
    const gemeld = Date.parse(m.gemeldOp)
    if (gemeld < start || gemeld >= end) t.fail(`${m.kenmerk} gemeld outside the quarter`)
    if (m.events.some((e) => Date.parse(e.op) > NOW || Date.parse(e.op) < gemeld)) t.fail(`${m.kenmerk} has an event before gemeld or after now`)
    if (new Set(m.events.map((e) => e.kenmerk)).size !== m.events.length) t.fail(`${m.kenmerk} repeats an event kenmerk`)
  }
  t.ok(q.meldingen.filter((m) => m.events.some((e) => e.status === 'gesloten')).length > 200, 'most are accepted')
  t.ok(q.meldingen.some((m) => m.events.filter((e) => e.status === 'opgelost').length === 2), 'some are reopened')
  t.ok(q.meldingen.some((m) => m.events.some((e) => e.status === 'wachten-op-informatie')), 'some wait on the gemeente')
  const early = demoKwartaal('2026-Q3', Date.parse('2026-08-15T00:00:00Z'))
  t.ok(early.meldingen.every((m) => m.events.every((e) => Date.parse(e.op) <= Date.parse('2026-08-15T00:00:00Z'))), 'no event from the future')
})

t.test('minute samples: down in outages, missing in gaps', async (t) => {
  const d = { naam: 'x', omgeving: 'productie' as const, storingen: [[Date.parse('2026-07-01T10:00:00Z'), 30]] as Array<[number, number]>, gaten: [[Date.parse('2026-07-01T12:00:00Z'), 60]] as Array<[number, number]>, respons: 200 }
  const samples = [...samplesOf(d, Date.parse('2026-07-01T00:00:00Z'), Date.parse('2026-07-02T00:00:00Z'), 1)]
  t.equal(samples.length, 24 * 60 - 60)
  t.equal(samples.filter((s) => !s.beschikbaar).length, 30)
  t.ok(samples.every((s) => s.responstijdMs > 0))
})
