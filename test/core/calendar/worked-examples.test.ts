// The worked examples of SLA-RULES §11 that concern the calendar (R-CAL-5 deadlines from the
// norms of §4). E5 (priority) and E10 (progress) are about meldingen, not the calendar.
import t from 'tap'
import { at, hours, iso, kantooruren } from './helpers.js'

const deadline = (from: string, h: number, pauses: Array<[string, string]> = []): string =>
  iso(kantooruren.deadline(at(from), hours(h), pauses.map(([s, e]) => ({ start: at(s), end: at(e) }))))

t.test('E1: prio 2 gemeld Tue 2026-03-10 09:30: reactie 10:30, functieherstel Thu 09:30 (R-CAL-5)', async (t) => {
  t.equal(deadline('2026-03-10T09:30:00+01:00', 1), iso(at('2026-03-10T10:30:00+01:00')))
  t.equal(deadline('2026-03-10T09:30:00+01:00', 20), iso(at('2026-03-12T09:30:00+01:00')))
})

t.test('E2: prio 3 gemeld Goede Vrijdag 2026-04-03 16:00, Tweede Paasdag skipped (R-CAL-2)', async (t) => {
  t.equal(deadline('2026-04-03T16:00:00+02:00', 4), iso(at('2026-04-07T10:00:00+02:00')))
  t.equal(deadline('2026-04-03T16:00:00+02:00', 50), iso(at('2026-04-13T16:00:00+02:00')))
  t.ok(kantooruren.isWerkdag('2026-04-03'), 'Goede Vrijdag is a werkdag')
  t.notOk(kantooruren.isWerkdag('2026-04-06'), 'Tweede Paasdag is not')
})

t.test('E3: prio 4 gemeld Sat 2026-03-28 10:00, DST starts Sun 29 Mar (R-CAL-1, R-CAL-5)', async (t) => {
  t.equal(deadline('2026-03-28T10:00:00+01:00', 8), iso(at('2026-03-30T16:00:00+02:00')))
  t.equal(deadline('2026-03-28T10:00:00+01:00', 100), iso(at('2026-04-13T18:00:00+02:00')), 'a deadline may fall exactly on 18:00')
})

t.test('E4: prio 3 gemeld Wed 2026-06-03 11:00, paused 14:00 → Thu 10:00 (R-CAL-4, R-CLK-3)', async (t) => {
  t.equal(deadline('2026-06-03T11:00:00+02:00', 50, [['2026-06-03T14:00:00+02:00', '2026-06-04T10:00:00+02:00']]), iso(at('2026-06-10T17:00:00+02:00')))
})

t.test('E6: prio 1 gemeld Wed 2026-05-13 16:30, Hemelvaartsdag Thu 14 May: Fri 10:30', async (t) => {
  t.equal(deadline('2026-05-13T16:30:00+02:00', 4), iso(at('2026-05-15T10:30:00+02:00')))
})

t.test('E7: prio 2 gemeld Fri 2026-10-23 17:30, DST ends Sun 25 Oct', async (t) => {
  t.equal(deadline('2026-10-23T17:30:00+02:00', 1), iso(at('2026-10-26T08:30:00+01:00')))
  t.equal(deadline('2026-10-23T17:30:00+02:00', 20), iso(at('2026-10-27T17:30:00+01:00')))
})

t.test('E8: prio 3 opgelost and heropend: 28 werkuren of functiehersteltijd, within 50 (R-CLK-4)', async (t) => {
  // Running from gemeld Mon 09:00 to opgelost Tue 09:00, paused while opgelost, running again
  // from heropend Wed 12:00 to opgelost Fri 10:00.
  const used = kantooruren.businessTime(at('2026-09-07T09:00:00+02:00'), at('2026-09-11T10:00:00+02:00'),
    [{ start: at('2026-09-08T09:00:00+02:00'), end: at('2026-09-09T12:00:00+02:00') }])
  t.equal(used, hours(28))
  t.ok(used <= hours(50), 'behaald')
})

t.test('E9: opgelost Mon 2026-12-21 10:00 without reaction: 100 werkuren later is 2027-01-06 10:00 (R-SLU-2)', async (t) => {
  t.equal(deadline('2026-12-21T10:00:00+01:00', 100), iso(at('2027-01-06T10:00:00+01:00')))
})

t.test('R-CAL-5: a clock started outside office hours starts at the next 08:00 of a werkdag', async (t) => {
  t.equal(deadline('2026-03-10T19:00:00+01:00', 1), iso(at('2026-03-11T09:00:00+01:00')))
  t.equal(deadline('2026-03-13T18:00:00+01:00', 1), iso(at('2026-03-16T09:00:00+01:00')), '18:00 itself is outside [08:00, 18:00)')
  t.equal(deadline('2026-03-10T07:59:59+01:00', 0.5), iso(at('2026-03-10T08:30:00+01:00')))
  t.equal(deadline('2026-03-10T19:00:00+01:00', 0), iso(at('2026-03-10T19:00:00+01:00')), 'zero duration: the start itself')
  t.equal(deadline('2026-03-10T17:00:00+01:00', 1), iso(at('2026-03-10T18:00:00+01:00')), 'exactly 18:00, never next day 08:00')
})

t.test('R-CAL-4: business time counts to the second, half-open', async (t) => {
  t.equal(kantooruren.businessTime(at('2026-03-10T09:30:00.000+01:00'), at('2026-03-10T09:30:01+01:00')), 1000)
  t.equal(kantooruren.businessTime(at('2026-03-10T17:59:59+01:00'), at('2026-03-11T08:00:01+01:00')), 2000)
  t.equal(kantooruren.businessTime(at('2026-03-10T12:00:00+01:00'), at('2026-03-10T12:00:00+01:00')), 0)
  t.throws(() => kantooruren.businessTime(at('2026-03-10T12:00:00+01:00'), at('2026-03-10T11:00:00+01:00')), { code: 'invalid-interval' })
  t.throws(() => kantooruren.deadline(at('2026-03-10T12:00:00+01:00'), -1), { code: 'invalid-duration' })
})

t.test('R-CAL-6: the altijd calendar counts elapsed time minus pauses', async (t) => {
  const { altijd } = await import('./helpers.js')
  t.equal(iso(altijd.deadline(at('2026-03-14T10:00:00+01:00'), hours(4))), iso(at('2026-03-14T14:00:00+01:00')))
  t.equal(altijd.businessTime(at('2026-03-14T10:00:00+01:00'), at('2026-03-15T10:00:00+01:00'), [{ start: at('2026-03-14T12:00:00+01:00'), end: at('2026-03-14T13:00:00+01:00') }]), hours(23))
})

t.test('a contract\'s extra closed days are no werkdag and are named in explanations (R-CAL-2)', async (t) => {
  const { slaCalendar } = await import('../../../src/adapters/holidays/sla-calendars.js')
  const cal = slaCalendar('kantooruren', [{ date: '2026-03-11', name: 'Verhuizing gemeentehuis', kind: 'extra-gesloten' }])
  t.notOk(cal.isWerkdag('2026-03-11'))
  t.equal(iso(cal.deadline(at('2026-03-10T17:00:00+01:00'), hours(2))), iso(at('2026-03-12T09:00:00+01:00')))
  const day = cal.explain(at('2026-03-11T00:00:00+01:00'), at('2026-03-12T00:00:00+01:00')).days[0]
  t.match(day, { kind: 'extra-gesloten', name: 'Verhuizing gemeentehuis', counted: 0 })
  t.ok(kantooruren.isWerkdag('2026-03-11'), 'the shared standard calendar is not changed')
})
