import t from 'tap'
import { slaCalendar } from '../../../src/adapters/holidays/sla-calendars.js'
import { formatInstant, parseInstant, uitlegVan, verplichtingenOp, werkdagenNa, type Verplichting, type VerplichtingenInvoer } from '../../../src/core/index.js'

const cal = slaCalendar('kantooruren')
const TZ = 'Europe/Amsterdam'
const at = (s: string): number => parseInstant(s)
const leeg: VerplichtingenInvoer = { timeZone: TZ, start: '2026-01-01', overleggen: [], releases: [], documenten: [], exit: [], restoretests: [] }
const find = (list: Verplichting[], soort: string, onderwerp: string): Verplichting => {
  const v = list.find((x) => x.soort === soort && x.onderwerp === onderwerp)
  if (v === undefined) throw new Error(`no ${soort} ${onderwerp} in ${list.map((x) => `${x.soort} ${x.onderwerp}`).join(', ')}`)
  return v
}

t.test('E12 (R-VPL-3): the verslag of an operationeel overleg on Thu 2026-04-30 is due at the end of Fri 8 May; Bevrijdingsdag (Tue 5 May) does not count', async (t) => {
  const termijn = werkdagenNa(cal, '2026-04-30', 5)
  t.equal(formatInstant(termijn.verwachtOp), '2026-05-08T22:00:00Z', '2026-05-09 00:00+02:00')
  t.same(termijn.werkdagen, ['2026-05-01', '2026-05-04', '2026-05-06', '2026-05-07', '2026-05-08'])
  t.same(termijn.overgeslagen, [{ datum: '2026-05-05', naam: 'Bevrijdingsdag' }])
  const inv = { ...leeg, overleggen: [{ id: 'o1', niveau: 'operationeel' as const, datum: '2026-04-30', verslagOntvangenOp: null }] }
  const before = find(verplichtingenOp(inv, cal, at('2026-05-08T23:59:59+02:00')), 'verslag', 'operationeel 2026-04-30')
  t.equal(before.status, 'open', 'open until 24:00 of 8 May')
  const after = find(verplichtingenOp(inv, cal, at('2026-05-09T00:00:00+02:00')), 'verslag', 'operationeel 2026-04-30')
  t.equal(after.status, 'verlopen', 'verlopen from 9 May 00:00')
  const uitleg = uitlegVan(after, TZ)
  t.match(uitleg, /5 werkdagen/)
  t.match(uitleg, /Bevrijdingsdag/)
  t.match(uitleg, /vr 8 mei 2026 24:00/)
  const met = { ...inv, overleggen: [...inv.overleggen, { id: 'o2', niveau: 'operationeel' as const, datum: '2026-04-30', verslagOntvangenOp: at('2026-05-08T23:59:00+02:00') }] }
  const v = find(verplichtingenOp(met, cal, at('2026-06-01T12:00:00+02:00')), 'verslag', 'operationeel 2026-04-30')
  t.equal(v.status, 'op-tijd', 'a later record of the same overleg adds the verslag')
  t.same(v.bronnen, ['o1', 'o2'])
  const late = { ...inv, overleggen: [...inv.overleggen, { id: 'o2', niveau: 'operationeel' as const, datum: '2026-04-30', verslagOntvangenOp: at('2026-05-09T00:00:00+02:00') }] }
  const l = find(verplichtingenOp(late, cal, at('2026-06-01T12:00:00+02:00')), 'verslag', 'operationeel 2026-04-30')
  t.equal(l.status, 'te-laat', 'at the due instant itself is late')
  t.equal(l.dagenTeLaat, 1)
})

t.test('E13 (R-VPL-2): a release on test Mon 2026-06-01 14:00 without reply is accepted 2026-06-22 14:00; installed on production Sat 2026-06-20 22:00 is a breach', async (t) => {
  const inv: VerplichtingenInvoer = {
    ...leeg,
    releases: [
      { id: 'r1', kenmerk: '2026.2', opTestOp: at('2026-06-01T14:00:00+02:00'), geaccepteerdOp: null, afgekeurdOp: null, inProductieVan: null, inProductieTot: null },
      { id: 'r2', kenmerk: '2026.2', opTestOp: null, geaccepteerdOp: null, afgekeurdOp: null, inProductieVan: at('2026-06-20T22:00:00+02:00'), inProductieTot: at('2026-06-21T01:00:00+02:00') }
    ]
  }
  const beforeInstall = find(verplichtingenOp(inv, cal, at('2026-06-10T12:00:00+02:00')), 'acceptatie', '2026.2')
  t.equal(formatInstant(beforeInstall.verwachtOp), '2026-06-22T12:00:00Z', 'accepted 2026-06-22 14:00+02:00')
  t.equal(beforeInstall.status, 'open')
  const v = find(verplichtingenOp(inv, cal, at('2026-07-01T12:00:00+02:00')), 'acceptatie', '2026.2')
  t.equal(v.status, 'te-vroeg', 'installed before acceptance: a breach')
  t.equal(formatInstant(v.vervuldOp as number), '2026-06-20T20:00:00Z')
  t.match(v.grondslag, { regel: 'R-VPL-2', stilzwijgend: true, overtredingen: [] }, 'outside kantooruren and under 4 hours')
  t.match(uitlegVan(v, TZ), /inbreuk/)
  const accepted = { ...inv, releases: [...inv.releases, { id: 'r3', kenmerk: '2026.2', opTestOp: null, geaccepteerdOp: at('2026-06-19T09:00:00+02:00'), afgekeurdOp: null, inProductieVan: null, inProductieTot: null }] }
  t.equal(find(verplichtingenOp(accepted, cal, at('2026-07-01T12:00:00+02:00')), 'acceptatie', '2026.2').status, 'op-tijd', 'explicitly accepted before: no breach')
  const rejected = { ...inv, releases: [inv.releases[0]!, { id: 'r3', kenmerk: '2026.2', opTestOp: null, geaccepteerdOp: null, afgekeurdOp: at('2026-06-19T09:00:00+02:00'), inProductieVan: null, inProductieTot: null }] }
  t.equal(find(verplichtingenOp(rejected, cal, at('2026-07-01T12:00:00+02:00')), 'acceptatie', '2026.2').status, 'afgekeurd', 'rejected: never accepted')
})

t.test('E14 (R-VPL-3): operationeel overleg 2026-01-08, the next on 2026-02-26: the next was due 2026-02-19, 7 days late', async (t) => {
  const inv: VerplichtingenInvoer = {
    ...leeg,
    start: '2025-12-01',
    overleggen: [
      { id: 'a', niveau: 'operationeel', datum: '2026-01-08', verslagOntvangenOp: null },
      { id: 'b', niveau: 'operationeel', datum: '2026-02-26', verslagOntvangenOp: null }
    ]
  }
  const list = verplichtingenOp(inv, cal, at('2026-03-01T12:00:00+01:00'))
  const first = find(list, 'overleg-operationeel', '2026-01-12')
  t.equal(first.status, 'op-tijd', 'the first is due 42 days after the start')
  const second = find(list, 'overleg-operationeel', '2026-02-19')
  t.equal(second.status, 'te-laat')
  t.equal(second.dagenTeLaat, 7)
  t.equal(formatInstant(second.verwachtOp), '2026-02-19T23:00:00Z', 'due at the end of 19 February')
  const next = find(list, 'overleg-operationeel', '2026-04-09')
  t.equal(next.status, 'open', 'the next is due 42 days after 26 February')
  const open = list.filter((v) => v.status === 'open' || v.status === 'verlopen')
  t.same(list.slice(0, open.length), open, 'what is not met comes first')
  t.same(open.map((v) => v.verwachtOp), [...open.map((v) => v.verwachtOp)].sort((a, b) => a - b), 'the earliest due first')
  t.ok(list.indexOf(next) < list.indexOf(second), 'the next due before what was met')
  const missing = verplichtingenOp({ ...inv, overleggen: [inv.overleggen[0]!] }, cal, at('2026-02-25T12:00:00+01:00'))
  const v = find(missing, 'overleg-operationeel', '2026-02-19')
  t.equal(v.status, 'verlopen')
  t.equal(v.dagenTeLaat, 6)
  t.match(uitlegVan(v, TZ), /Verlopen/)
})
