// The quarterly report's assembly (SLA 3.8, SLA-RULES §10) in the pure core: which security
// incidents belong to a quarter, where missed updates count, breaches, the verdicts per part and
// overall, and that the result does not depend on when it was made once the quarter has ended.
import t from 'tap'
import { buildRapport, computeSla, type MaandResultaat, type RapportInvoer, type RapportMelding } from '../../../src/core/index.js'
import { at, ctx, ev, sla } from '../sla/helpers.js'

const AFTER = at('2026-04-20T12:00:00+02:00')

function melding (id: string, f: Parameters<typeof sla>[0], peil: number, extra: Partial<RapportMelding> = {}): RapportMelding {
  const feiten = { type: 'verstoring' as const, omgeving: 'productie' as const, gevraagdePrioriteit: 2 as const, gebeurtenissen: [], ...f }
  return {
    id, kenmerk: id, onderwerp: `onderwerp ${id}`, type: feiten.type, gemeldOp: f.gemeldOp,
    state: computeSla(feiten, ctx, peil), stateOpEinde: feiten.type === 'beveiligingsincident' ? computeSla(feiten, ctx, Math.min(peil, at('2026-04-01T00:00:00+02:00'))) : null,
    beveiliging: null, gebeurtenissen: feiten.gebeurtenissen.map((e) => ({ type: e.type, op: e.op, status: e.status ?? null, toelichting: null })), bron: [], ...extra
  }
}

const maand = (m: string, oordeel: MaandResultaat['oordeel'], beschikbaarheid: number | null): MaandResultaat => ({
  maand: m, venster: 0, beschikbaar: 0, onbeschikbaar: 0, onbekend: 0, uitgesloten: 0, beschikbaarheid, dekking: oordeel === 'onvoldoende-meetdata' ? 0.5 : 1,
  norm: 0.98, oordeel, responstijd: { aantal: 0, gemiddeldMs: null, p95Ms: null }, onderhoudInVenster: [], dagen: []
})

const base = (over: Partial<RapportInvoer> = {}): RapportInvoer => ({
  periode: '2026-Q1', timeZone: 'Europe/Amsterdam', prestatienorm: 0.85, meldingen: [],
  maanden: ['2026-01', '2026-02', '2026-03'].map((m) => ({ dienst: { id: 'd1', naam: 'Zaaksysteem', omgeving: 'productie' }, resultaat: maand(m, 'behaald', 0.995) })),
  gebruikers: { opgegevenOp: at('2026-04-02T10:00:00+02:00'), gebruikers: 10, rechten: [], gevolgen: '' },
  restoretests: [{ id: 'r1', kenmerk: 'RT', uitgevoerdOp: at('2026-02-20T14:00:00+01:00'), resultaat: 'geslaagd', toelichting: '', opvolging: '' }],
  ...over
})

t.test('security incidents: reported in the quarter, or unresolved when it began (SLA 7.3)', async (t) => {
  const sec = (id: string, gemeld: string, opgelost?: string): RapportMelding => melding(id, {
    type: 'beveiligingsincident', gemeldOp: at(gemeld),
    gebeurtenissen: [ev('reactie', gemeld), ...(opgelost === undefined ? [] : [ev('status', opgelost, { status: 'opgelost' })])]
  }, AFTER, { beveiliging: { biv: ['vertrouwelijkheid'], major: false } })
  const r = buildRapport(base({
    meldingen: [
      sec('in-q1', '2026-02-03T10:00:00+01:00', '2026-02-03T12:00:00+01:00'),
      sec('open-since-q4', '2025-12-30T10:00:00+01:00'),
      sec('solved-in-q4', '2025-12-01T10:00:00+01:00', '2025-12-01T11:00:00+01:00'),
      sec('solved-in-q1', '2025-12-31T16:00:00+01:00', '2026-01-02T10:00:00+01:00'),
      sec('in-q2', '2026-04-02T10:00:00+02:00', '2026-04-02T11:00:00+02:00')
    ]
  }))
  t.same(r.beveiligingsincidenten.map((b) => b.melding), ['open-since-q4', 'solved-in-q1', 'in-q1'])
  t.match(r.beveiligingsincidenten.find((b) => b.melding === 'in-q1'), { opgelostOp: '2026-02-03T11:00:00Z', functieherstel: { status: 'behaald', verbruikt: 'PT2H' } })
  const open = r.beveiligingsincidenten.find((b) => b.melding === 'open-since-q4')
  t.equal(open?.opgelostOp, null)
  t.equal(open?.functieherstel.status, 'verlopen', 'prio 1 open for months')
})

t.test('a final report does not depend on when it is made', async (t) => {
  const make = (peil: number) => buildRapport(base({
    meldingen: [
      // never resolved: functieherstel verlopen at its deadline in Q1, still running afterwards
      melding('open', { gemeldOp: at('2026-03-02T09:00:00+01:00'), gebeurtenissen: [ev('reactie', '2026-03-02T09:10:00+01:00')] }, peil),
      melding('sec-open', { type: 'beveiligingsincident', gemeldOp: at('2026-03-30T10:00:00+02:00'), gebeurtenissen: [] }, peil),
      melding('e1', { gemeldOp: at('2026-03-10T09:30:00+01:00'), gebeurtenissen: [ev('reactie', '2026-03-10T10:00:00+01:00'), ev('status', '2026-03-11T10:00:00+01:00', { status: 'opgelost' })] }, peil)
    ]
  }))
  // Final from the first business second after the quarter (Wed 1 April 08:00:01): a prio 1
  // update due at 18:00 on 31 March is missed only when the office opens again.
  const early = make(at('2026-04-01T08:00:01+02:00'))
  const late = make(at('2026-09-01T12:00:00+02:00'))
  t.same(late, early)
  t.match(early.overschrijdingen.find((o) => o.melding === 'open' && o.klok === 'functieherstel'), { verbruikt: null, norm: 'PT20H' }, 'a running clock shows no usage: it still grows')
})

t.test('missed progress updates count in the quarter their due instant lies in (R-COM-2)', async (t) => {
  // prio 1, an update due every werkuur: gemeld Tue 31 March 15:30, none sent, resolved Wed 1 April 09:45:
  // missed at 16:30 and 17:30 on 31 March (Q1) and at 08:30 and 09:30 on 1 April (Q2)
  const m = melding('edge', { gevraagdePrioriteit: 1, gemeldOp: at('2026-03-31T15:30:00+02:00'), gebeurtenissen: [ev('reactie', '2026-03-31T15:31:00+02:00'), ev('status', '2026-04-01T09:45:00+02:00', { status: 'opgelost' })] }, AFTER)
  const due = m.state.voortgang.gemistOp
  t.same(due, [at('2026-03-31T16:30:00+02:00'), at('2026-03-31T17:30:00+02:00'), at('2026-04-01T08:30:00+02:00'), at('2026-04-01T09:30:00+02:00')])
  const inQ1 = 2
  t.equal(buildRapport(base({ meldingen: [m] })).voortgang.gemist, inQ1)
  t.equal(buildRapport(base({ periode: '2026-Q2', meldingen: [m] })).voortgang.gemist, due.length - inQ1)
})

t.test('verdicts: niet-behaald beats onvolledig beats behaald', async (t) => {
  t.equal(buildRapport(base()).oordeel, 'behaald', 'no meldingen, availability met, a restore test, users reported')
  t.equal(buildRapport(base()).kpi.oordeel, 'geen-meldingen')
  t.equal(buildRapport(base({ gebruikers: null })).oordeel, 'onvolledig')
  const thin = base({ maanden: [{ dienst: { id: 'd1', naam: 'Z', omgeving: 'productie' }, resultaat: maand('2026-01', 'onvoldoende-meetdata', 0.99) }] })
  t.equal(buildRapport(thin).oordeel, 'onvolledig')
  const down = base({ maanden: [{ dienst: { id: 'd1', naam: 'Z', omgeving: 'productie' }, resultaat: maand('2026-01', 'niet-behaald', 0.97) }], gebruikers: null })
  t.equal(buildRapport(down).oordeel, 'niet-behaald')
  const testOnly = base({ maanden: [{ dienst: { id: 'd2', naam: 'Acceptatie', omgeving: 'test' }, resultaat: maand('2026-01', 'niet-behaald', 0.9) }] })
  t.equal(buildRapport(testOnly).samenvatting.find((s) => s.onderdeel.startsWith('Beschikbaarheid'))?.oordeel, 'ontbreekt', 'a test omgeving is no production availability (3.5)')
  const failedRestore = base({ restoretests: [{ id: 'r2', kenmerk: 'RT2', uitgevoerdOp: at('2026-03-01T10:00:00+01:00'), resultaat: 'mislukt', toelichting: '', opvolging: 'herhalen' }] })
  t.equal(buildRapport(failedRestore).restoretests.oordeel, 'niet-behaald', 'only a failed restore test in the quarter')
  const lastQuarter = base({ restoretests: [{ id: 'r3', kenmerk: 'RT3', uitgevoerdOp: at('2025-12-31T23:00:00+01:00'), resultaat: 'geslaagd', toelichting: '', opvolging: '' }] })
  t.equal(buildRapport(lastQuarter).restoretests.aantal, 0, 'a test of another quarter does not count')
  const late = melding('late', { gemeldOp: at('2026-02-02T09:00:00+01:00'), gebeurtenissen: [] }, AFTER)
  const r = buildRapport(base({ meldingen: [late] }))
  t.equal(r.kpi.oordeel, 'niet-behaald')
  t.equal(r.oordeel, 'niet-behaald')
  t.same(r.overschrijdingen.map((o) => o.klok), ['reactie', 'functieherstel'])
})
