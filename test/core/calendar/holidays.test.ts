// R-CAL-2: exactly the holidays of the Algemene termijnenwet, every year 2020–2040, checked
// against the reference written from the law's text (own Easter computation).
import t from 'tap'
import { dutchHolidays } from '../../../src/adapters/holidays/dutch-holidays.js'
import { easter, lawHolidays } from './reference.js'
import { kantooruren } from './helpers.js'

t.test('the reference Easter dates are right for known years', async (t) => {
  t.same(easter(2024), { month: 3, day: 31 })
  t.same(easter(2025), { month: 4, day: 20 })
  t.same(easter(2026), { month: 4, day: 5 })
  t.same(easter(2038), { month: 4, day: 25 })
})

t.test('R-CAL-2: holidays of every year 2020–2040 equal the law\'s list', async (t) => {
  for (let year = 2020; year <= 2040; year++) {
    const expected = lawHolidays(year)
    t.same(kantooruren.closedDays(year).map((d) => [d.date, d.name]), expected, `${year}`)
    t.same(dutchHolidays(year).map((d) => [d.date, d.name]), expected, `${year} (adapter)`)
    for (const [date] of expected) t.notOk(kantooruren.isWerkdag(date), `${date} is no werkdag`)
  }
})

t.test('R-CAL-2: Bevrijdingsdag every year, Goede Vrijdag a werkdag, Koningsdag on 26 April when 27 April is a Sunday', async (t) => {
  for (let year = 2020; year <= 2040; year++) {
    t.ok(kantooruren.closedDays(year).some((d) => d.date === `${year}-05-05` && d.name === 'Bevrijdingsdag'), `5 May ${year}`)
    const e = easter(year)
    const goedeVrijdag = new Date(Date.UTC(year, e.month - 1, e.day - 2)).toISOString().slice(0, 10)
    t.ok(kantooruren.isWerkdag(goedeVrijdag), `Goede Vrijdag ${goedeVrijdag}`)
  }
  t.ok(kantooruren.closedDays(2025).some((d) => d.date === '2025-04-26' && d.name === 'Koningsdag'), '2025: 27 April is a Sunday')
  t.ok(kantooruren.isWerkdag('2025-04-28'), 'and the Monday after is a werkdag')
  t.ok(kantooruren.closedDays(2036).some((d) => d.date === '2036-04-26'), '2036 too')
})

t.test('isWerkdag: weekdays only', async (t) => {
  t.ok(kantooruren.isWerkdag('2026-03-10'))
  t.notOk(kantooruren.isWerkdag('2026-03-14'), 'Saturday')
  t.notOk(kantooruren.isWerkdag('2026-03-15'), 'Sunday')
  t.throws(() => kantooruren.isWerkdag('2026-02-30'), { code: 'invalid-instant' })
})

t.test('years outside the engine\'s range are refused, not guessed', async (t) => {
  t.throws(() => kantooruren.closedDays(1969), { code: 'out-of-range' })
  t.throws(() => kantooruren.deadline(Date.UTC(2300, 0, 1), 1000), { code: 'out-of-range' })
  t.throws(() => kantooruren.deadline(Date.UTC(2199, 11, 31), 100 * 3_600_000), { code: 'out-of-range' })
})
