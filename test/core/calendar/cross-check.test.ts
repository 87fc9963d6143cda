// Cross-check against an independent library, moment-business-time (devDependency, used only
// here and in the benchmark), on the same inputs: 0 disagreements.
import t from 'tap'
import fc from 'fast-check'
import moment from 'moment-timezone'
import 'moment-business-time'
import { kantooruren } from './helpers.js'

const holidays: string[] = []
for (let y = 2019; y <= 2041; y++) for (const h of kantooruren.closedDays(y)) holidays.push(h.date)
const day = ['08:00:00', '18:00:00']
moment.updateLocale('en', { workinghours: { 0: null, 1: day, 2: day, 3: day, 4: day, 5: day, 6: null }, holidays } as moment.LocaleSpecification)

t.test('deadlines without pauses agree with moment-business-time', async (t) => {
  let disagreements = 0
  fc.assert(fc.property(
    fc.integer({ min: Date.UTC(2020, 0, 1) / 60_000, max: Date.UTC(2040, 11, 1) / 60_000 }),
    fc.integer({ min: 1, max: 100 * 60 }),
    (startMinute, minutes) => {
      const from = startMinute * 60_000
      const theirs = (moment as unknown as { tz: (t: number, z: string) => { addWorkingTime: (n: number, u: string) => moment.Moment } })
        .tz(from, 'Europe/Amsterdam').addWorkingTime(minutes, 'minutes').valueOf()
      if (theirs !== kantooruren.deadline(from, minutes * 60_000)) disagreements++
      return true
    }), { numRuns: 1_000 })
  t.equal(disagreements, 0)
})
