// KPI per period (R-KPI-1…4): decision instants, quarter boundaries in Amsterdam time,
// reopenings, priority changes and test-omgeving meldingen.
import t from 'tap'
import { beslissingen, computeKpi, HOUR, periodInterval, type Gebeurtenis, type MeldingFeiten } from '../../../src/core/index.js'
import { at, ev, sla } from '../sla/helpers.js'

const Z = 'Europe/Amsterdam'
const Q1 = periodInterval('2026-Q1', Z)
const Q2 = periodInterval('2026-Q2', Z)

t.test('R-KPI-4: periods are Amsterdam months and quarters, half-open', async (t) => {
  t.same(Q1, { start: at('2026-01-01T00:00:00+01:00'), end: at('2026-04-01T00:00:00+02:00') })
  t.same(periodInterval('2026-03', Z), { start: at('2026-03-01T00:00:00+01:00'), end: at('2026-04-01T00:00:00+02:00') })
  t.throws(() => periodInterval('2026-Q5', Z), { code: 'invalid-instant', field: 'periode' })
})

const decided = (f: Partial<MeldingFeiten> & { gemeldOp: number }, report: string, id = 'm') => beslissingen(id, sla(f, report))

t.test('R-KPI-1: a clock decided at 31 March 23:59:59 counts in Q1, at 1 April 00:00 in Q2', async (t) => {
  // prio 2, functieherstel stopped within norm exactly at the quarter's edge (opgelost is the decision)
  const late = decided({ gemeldOp: at('2026-03-31T09:00:00+02:00'), gebeurtenissen: [ev('reactie', '2026-03-31T09:10:00+02:00'), ev('status', '2026-03-31T23:59:59+02:00', { status: 'opgelost' })] }, '2026-04-10T12:00:00+02:00', 'laat-q1')
  const edge = decided({ gemeldOp: at('2026-03-31T09:00:00+02:00'), gebeurtenissen: [ev('reactie', '2026-03-31T09:10:00+02:00'), ev('status', '2026-04-01T00:00:00+02:00', { status: 'opgelost' })] }, '2026-04-10T12:00:00+02:00', 'vroeg-q2')
  const q1 = computeKpi([...late, ...edge], Q1, 0.85)
  const q2 = computeKpi([...late, ...edge], Q2, 0.85)
  t.same(q1.totaal.functieherstel.meldingenBinnenNorm, ['laat-q1'])
  t.same(q2.totaal.functieherstel.meldingenBinnenNorm, ['vroeg-q2'])
  t.equal(q1.totaal.reactie.beslist, 2, 'both reactie clocks were decided on 31 March')
  t.equal(q2.totaal.reactie.beslist, 0)
})

t.test('R-KPI-1: a clock past its deadline is decided at the deadline, also while still running', async (t) => {
  // prio 2 gemeld Mon 30 March 2026 09:00, no reaction: reactie deadline 10:00 (Q1), functieherstel deadline 1 April 09:00 (Q2)
  const b = decided({ gemeldOp: at('2026-03-30T09:00:00+02:00') }, '2026-04-20T12:00:00+02:00')
  t.same(b.map((x) => [x.klok, x.beslistOp, x.binnenNorm]), [
    ['reactie', at('2026-03-30T10:00:00+02:00'), false],
    ['functieherstel', at('2026-04-01T09:00:00+02:00'), false]
  ])
})

t.test('R-KPI-1: a paused or running clock within norm is not decided yet', async (t) => {
  const paused = decided({ gemeldOp: at('2026-03-30T09:00:00+02:00'), gevraagdePrioriteit: 3, gebeurtenissen: [ev('status', '2026-03-30T10:00:00+02:00', { status: 'wachten-op-klant' })] }, '2026-04-20T12:00:00+02:00')
  t.same(paused.map((x) => x.klok), ['reactie'])
})

t.test('R-KPI-1: after a reopening the last opgelost decides when the total stayed within norm', async (t) => {
  const events: Gebeurtenis[] = [
    ev('status', '2026-03-30T10:00:00+02:00', { status: 'opgelost' }),
    ev('status', '2026-03-31T10:00:00+02:00', { status: 'in-behandeling' }),
    ev('status', '2026-04-02T10:00:00+02:00', { status: 'opgelost' })
  ]
  const b = decided({ gemeldOp: at('2026-03-30T09:00:00+02:00'), gevraagdePrioriteit: 3, gebeurtenissen: events }, '2026-04-20T12:00:00+02:00')
  const f = b.find((x) => x.klok === 'functieherstel')
  t.match(f, { beslistOp: at('2026-04-02T10:00:00+02:00'), binnenNorm: true })
  t.equal(computeKpi(b, Q1, 0.85).totaal.functieherstel.beslist, 0, 'not counted in Q1, where it was first solved')
  t.equal(computeKpi(b, Q2, 0.85).totaal.functieherstel.beslist, 1)
})

t.test('R-PRI-5: the final priority decides the KPI; R-PRI-4: test meldingen count as prio 4', async (t) => {
  const changed = decided({ gemeldOp: at('2026-02-02T09:00:00+01:00'), gevraagdePrioriteit: 3, gebeurtenissen: [ev('reactie', '2026-02-02T10:30:00+01:00'), ev('prioriteit', '2026-02-02T11:00:00+01:00', { prioriteit: 2 })] }, '2026-03-01T12:00:00+01:00', 'herzien')
  const k = computeKpi(changed, Q1, 0.85)
  t.match(k.perPrioriteit[1], { prioriteit: 2, reactie: { beslist: 1, binnenNorm: 0, meldingenBuitenNorm: ['herzien'] } })
  t.equal(k.perPrioriteit[2]?.reactie?.beslist, 0, 'nothing left at prio 3')
  const test = decided({ gemeldOp: at('2026-02-02T09:00:00+01:00'), omgeving: 'test', gevraagdePrioriteit: 1, gebeurtenissen: [ev('reactie', '2026-02-02T09:30:00+01:00')] }, '2026-03-01T12:00:00+01:00', 'test')
  t.match(computeKpi(test, Q1, 0.85).perPrioriteit[3], { prioriteit: 4, reactie: { beslist: 1, binnenNorm: 1 } })
})

t.test('R-KPI-2, R-KPI-3: shares per priority and in total; verdict against the prestatienorm', async (t) => {
  const list = []
  // 7 prio 3 meldingen reacting within 4 werkuren, 1 too late: reactie share 7/8 = 0.875 ≥ 0.85
  for (let i = 0; i < 8; i++) {
    const g = at('2026-02-02T09:00:00+01:00') + i * 24 * HOUR
    list.push(...decided({ gemeldOp: g, gevraagdePrioriteit: 3, gebeurtenissen: [{ id: `r${i}`, type: 'reactie', op: g + (i === 7 ? 5 : 1) * HOUR }] }, '2026-03-30T12:00:00+02:00', `m${i}`))
  }
  const k = computeKpi(list, Q1, 0.85)
  t.match(k.perPrioriteit[2]?.reactie, { beslist: 8, binnenNorm: 7, aandeel: 0.875 })
  t.equal(k.perPrioriteit[0]?.reactie, null, 'prio 1 has no reactie KPI')
  t.equal(k.totaal.functieherstel.beslist, 8, 'the unsolved ones ran past 50 werkuren in Q1')
  t.equal(k.oordeel, 'niet-behaald', 'the functieherstel share is 0')
  t.equal(computeKpi([], Q1, 0.85).oordeel, 'geen-meldingen')
  const onlyReactie = list.filter((b) => b.klok === 'reactie')
  t.equal(computeKpi(onlyReactie, Q1, 0.85).oordeel, 'behaald')
  t.equal(computeKpi(onlyReactie, Q1, 0.9).oordeel, 'niet-behaald')
})
