// Issue 15, item 4 (with the signalen of issue 14): an obligation due within 5 werkdagen, and one
// that became verlopen, each a signal once, through the same outbox as every signal. E12's verslag
// (operationeel overleg Thu 2026-04-30, due Fri 2026-05-08 24:00, Bevrijdingsdag skipped).
import t from 'tap'
import { slaCalendar } from '../../src/adapters/holidays/sla-calendars.js'
import { BINNENKORT_WERKDAGEN, verplichtingSignalen, type Verplichting } from '../../src/core/index.js'
import { signaleerVerplichtingen } from '../../src/services/signalen.js'
import { build, standardContract, withKeys } from '../helpers/app.js'

const at = (s: string): number => Date.parse(s)
const cal = slaCalendar('kantooruren')

t.test('core: within 5 werkdagen of the due date, and verlopen, keyed by the due instant', async (t) => {
  const v = (status: Verplichting['status']): Verplichting => ({
    soort: 'verslag', onderwerp: 'operationeel 2026-04-30', verwachtOp: at('2026-05-08T22:00:00Z'), verwachtDatum: '2026-05-08', vervuldOp: null,
    status, dagenTeLaat: 0, teLaat: 0, bronnen: [], grondslag: { regel: 'R-VPL-3' } as unknown as Verplichting['grondslag']
  })
  t.equal(BINNENKORT_WERKDAGEN, 5)
  // Wed 29 April: Thu 30, Fri 1, Mon 4, Wed 6, Thu 7, Fri 8 are 6 werkdagen (Tue 5 May is Bevrijdingsdag): not yet.
  t.same(verplichtingSignalen([v('open')], 'c', cal, at('2026-04-29T12:00:00+02:00')), [])
  const due = verplichtingSignalen([v('open')], 'c', cal, at('2026-04-30T12:00:00+02:00'))
  t.same(due.map((s) => [s.soort, s.sleutel, s.op]), [['verplichting.binnenkort', 'verplichting.binnenkort:c:verslag:operationeel 2026-04-30:2026-05-08T22:00:00.000Z', at('2026-05-08T22:00:00Z')]])
  t.same(verplichtingSignalen([v('open')], 'c', cal, at('2026-05-08T23:00:00+02:00')).map((s) => s.sleutel), due.map((s) => s.sleutel), 'the same key all through the window')
  t.same(verplichtingSignalen([v('op-tijd')], 'c', cal, at('2026-05-06T12:00:00+02:00')), [], 'met: nothing')
  t.same(verplichtingSignalen([v('verlopen')], 'c', cal, at('2026-05-09T00:00:00+02:00')).map((s) => s.soort), ['verplichting.verlopen'])
})

t.test('service: into the outbox once, for the contract\'s abonnementen', async (t) => {
  const { call, handle } = await build(t)
  const { keys, leverancierId } = await withKeys(call)
  const contract = await standardContract(call, leverancierId)
  const o = await call(keys.leverancier, { method: 'POST', url: `/api/v1/contracten/${contract}/overleggen`, payload: { niveau: 'operationeel', datum: '2026-04-30' } })
  t.equal(o.statusCode, 201)
  const rows = async (): Promise<Array<{ soort: string, op: Date, kenmerken: Record<string, unknown> }>> =>
    (await handle.db.selectFrom('signaal').select(['soort', 'op', 'kenmerken', 'sleutel']).where('soort', 'in', ['verplichting.binnenkort', 'verplichting.verlopen']).where('contract_id', '=', contract).execute())
      .filter((r) => String(r.kenmerken.onderwerp) === 'operationeel 2026-04-30')
  await signaleerVerplichtingen(handle.db, at('2026-04-29T12:00:00+02:00'))
  t.same(await rows(), [], 'not within 5 werkdagen yet')
  await signaleerVerplichtingen(handle.db, at('2026-04-30T12:00:00+02:00'))
  await signaleerVerplichtingen(handle.db, at('2026-05-06T12:00:00+02:00'))
  const soon = await rows()
  t.same(soon.map((r) => [r.soort, r.op.toISOString()]), [['verplichting.binnenkort', '2026-05-08T22:00:00.000Z']], 'once, however often the job looks')
  t.match(String(soon[0]?.kenmerken.uitleg), /Bevrijdingsdag/)
  await signaleerVerplichtingen(handle.db, at('2026-05-09T00:00:01+02:00'))
  await signaleerVerplichtingen(handle.db, at('2026-05-12T09:00:00+02:00'))
  t.same((await rows()).map((r) => r.soort).sort(), ['verplichting.binnenkort', 'verplichting.verlopen'])
})
