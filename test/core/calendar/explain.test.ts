import t from 'tap'
import { at, hours, kantooruren } from './helpers.js'

t.test('an explanation names weekends, holidays by name, office hours and pauses', async (t) => {
  // E2: from Goede Vrijdag 16:00 to the reactie deadline Tue 10:00, with a pause on Tuesday.
  const e = kantooruren.explain(at('2026-04-03T16:00:00+02:00'), at('2026-04-07T10:30:00+02:00'),
    [{ start: at('2026-04-07T09:00:00+02:00'), end: at('2026-04-07T09:30:00+02:00') }])
  t.equal(e.counted, hours(4))
  t.same(e.days.map((d) => [d.date, d.kind, d.counted]), [
    ['2026-04-03', 'werkdag', hours(2)],
    ['2026-04-04', 'weekend', 0],
    ['2026-04-05', 'weekend', 0],
    ['2026-04-06', 'feestdag', 0],
    ['2026-04-07', 'werkdag', hours(2)]
  ])
  t.match(e.days[3], { name: 'Tweede Paasdag', notCounted: [{ reason: 'feestdag', name: 'Tweede Paasdag' }] })
  t.same(e.days[0]?.notCounted.map((n) => n.reason), ['buiten-kantooruren'])
  t.same(e.days[4]?.notCounted.map((n) => [n.reason, n.end - n.start]), [['buiten-kantooruren', hours(8)], ['gepauzeerd', hours(0.5)]])
  t.same(e.days[4]?.officeHours, { start: at('2026-04-07T08:00:00+02:00'), end: at('2026-04-07T18:00:00+02:00') })
})

t.test('explanations are refused beyond 400 days', async (t) => {
  t.throws(() => kantooruren.explain(at('2026-01-01T00:00:00Z'), at('2027-03-01T00:00:00Z')), { code: 'explanation-too-long' })
})

t.test('a pause that ends before it starts is refused', async (t) => {
  t.throws(() => kantooruren.deadline(at('2026-03-10T09:00:00Z'), hours(1), [{ start: at('2026-03-10T10:00:00Z'), end: at('2026-03-10T09:30:00Z') }]), { code: 'invalid-interval' })
})

t.test('a calendar never reads the machine\'s time zone (this suite runs in TZ=Pacific/Auckland)', async (t) => {
  t.equal(process.env.TZ, 'Pacific/Auckland')
  t.equal(new Date(Date.UTC(2026, 0, 1)).getHours(), 13, 'the process really is in Auckland')
  t.equal(kantooruren.deadline(at('2026-03-10T09:30:00+01:00'), hours(1)), at('2026-03-10T10:30:00+01:00'))
})
