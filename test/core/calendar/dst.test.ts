// R-CAL-1: every daylight-saving switch 2020–2040. Deadlines that span a switch, instants inside
// the missing (spring) and the doubled (autumn) hour given with offsets, and explanations whose
// days are 23 and 25 hours long.
import t from 'tap'
import { DateTime } from 'luxon'
import { altijd, at, hours, iso, kantooruren } from './helpers.js'
import { euSwitch, referenceBusinessTime, referenceDeadline } from './reference.js'

const local = (ms: number): string => DateTime.fromMillis(ms, { zone: 'Europe/Amsterdam' }).toISO({ suppressMilliseconds: true }) ?? ''

t.test('deadlines across every DST switch 2020–2040 agree with the reference', async (t) => {
  for (let year = 2020; year <= 2040; year++) {
    for (const month of [3, 10]) {
      const sw = euSwitch(year, month) // Sunday 01:00 UTC
      const friday1730 = DateTime.fromMillis(sw, { zone: 'Europe/Amsterdam' }).minus({ days: 2 }).set({ hour: 17, minute: 30, second: 0, millisecond: 0 }).toMillis()
      const d = kantooruren.deadline(friday1730, hours(1))
      // 30 minutes on Friday, 30 on Monday: Monday 08:30 in the new offset (unless Monday is a holiday).
      t.equal(d, referenceDeadline(friday1730, hours(1), []), `${year}-${month} 1 h`)
      const monday = DateTime.fromMillis(d, { zone: 'Europe/Amsterdam' })
      t.equal(monday.toFormat('HH:mm'), '08:30', `${year}-${month} lands at 08:30 local`)
      t.equal(monday.offset, month === 3 ? 120 : 60, `${year}-${month} in the new offset`)
      t.equal(kantooruren.deadline(friday1730, hours(20)), referenceDeadline(friday1730, hours(20), []), `${year}-${month} 20 h`)
      // altijd: 24 elapsed hours from Saturday 12:00 end at Sunday 13:00 (spring) or 11:00 (autumn) local.
      const sat = DateTime.fromMillis(sw, { zone: 'Europe/Amsterdam' }).minus({ days: 1 }).set({ hour: 12, minute: 0 }).toMillis()
      t.equal(DateTime.fromMillis(altijd.deadline(sat, hours(24)), { zone: 'Europe/Amsterdam' }).toFormat('HH:mm'), month === 3 ? '13:00' : '11:00')
      // The weekend of the switch counts nothing, however long its Sunday is.
      const satMidnight = DateTime.fromMillis(sat, { zone: 'Europe/Amsterdam' }).startOf('day')
      t.equal(kantooruren.businessTime(satMidnight.toMillis(), satMidnight.plus({ days: 2 }).toMillis()), 0)
      const sundayLength = satMidnight.plus({ days: 2 }).toMillis() - satMidnight.plus({ days: 1 }).toMillis()
      t.equal(sundayLength, month === 3 ? hours(23) : hours(25))
      t.equal(altijd.businessTime(satMidnight.plus({ days: 1 }).toMillis(), satMidnight.plus({ days: 2 }).toMillis()), sundayLength)
    }
  }
})

t.test('instants inside the missing hour (spring) are exact when given with an offset', async (t) => {
  // 2026-03-29 02:30 does not exist on the wall clock; with +01:00 it is 01:30 UTC, with +02:00 00:30 UTC.
  const a = at('2026-03-29T02:30:00+01:00')
  const b = at('2026-03-29T02:30:00+02:00')
  t.equal(iso(a), '2026-03-29T01:30:00Z')
  t.equal(iso(b), '2026-03-29T00:30:00Z')
  t.equal(local(kantooruren.deadline(a, hours(1))), '2026-03-30T09:00:00+02:00')
  t.equal(altijd.businessTime(b, a), hours(1), 'one real hour between them')
  t.equal(iso(altijd.deadline(b, hours(1))), iso(a))
})

t.test('instants inside the doubled hour (autumn) are told apart by their offset', async (t) => {
  const first = at('2026-10-25T02:30:00+02:00')
  const second = at('2026-10-25T02:30:00+01:00')
  t.equal(second - first, hours(1))
  t.equal(altijd.businessTime(first, second), hours(1))
  t.equal(kantooruren.businessTime(first, second), 0, 'a Sunday')
  t.equal(local(kantooruren.deadline(first, hours(2))), '2026-10-26T10:00:00+01:00')
  t.equal(local(kantooruren.deadline(second, hours(2))), '2026-10-26T10:00:00+01:00')
})

t.test('explanations of DST days: every day\'s counted and not-counted time adds up to its length', async (t) => {
  for (const [from, to] of [['2026-03-27T12:00:00+01:00', '2026-03-31T12:00:00+02:00'], ['2026-10-23T12:00:00+02:00', '2026-10-27T12:00:00+01:00']] as const) {
    const e = kantooruren.explain(at(from), at(to))
    let sum = 0
    for (const d of e.days) {
      sum += d.counted + d.notCounted.reduce((s, n) => s + n.end - n.start, 0)
      for (const n of d.notCounted) t.ok(n.end > n.start, `${d.date} segments are not empty`)
    }
    t.equal(sum, at(to) - at(from), `${from}: the days cover the range exactly`)
    t.equal(e.counted, referenceBusinessTime(at(from), at(to), []))
    const sunday = e.days.find((d) => d.kind === 'weekend' && d.date.endsWith(from.startsWith('2026-03') ? '03-29' : '10-25'))
    t.equal(sunday?.notCounted[0]?.end !== undefined ? sunday.notCounted[0].end - sunday.notCounted[0].start : 0, from.startsWith('2026-03') ? hours(23) : hours(25))
  }
})
