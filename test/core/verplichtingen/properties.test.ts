// Property tests (fast-check) of the R-VPL due instants against the day-by-day reference, over
// 2020–2040: holidays (Bevrijdingsdag every year, Koningsdag on 26 April when the 27th is a
// Sunday) and both daylight-saving changes.
import t from 'tap'
import fc from 'fast-check'
import { slaCalendar } from '../../../src/adapters/holidays/sla-calendars.js'
import { addMonths, endOfDate, sameClockDaysLater, verplichtingenOp, werkdagenNa, type OverlegRecord, type Verplichting } from '../../../src/core/index.js'
import { amsterdamOffset } from '../calendar/reference.js'
import { dateOfDay, dayOf, midnight, referenceAddMonths, referenceSameClock, referenceWerkdagen } from './reference.js'

const cal = slaCalendar('kantooruren')
const TZ = 'Europe/Amsterdam'
const RUNS = Number(process.env.PROPERTY_RUNS ?? 3000)
const date = fc.integer({ min: dayOf('2020-01-01'), max: dayOf('2040-12-15') }).map(dateOfDay)

t.test(`R-VPL-3: werkdagenNa equals the day-by-day reference (${RUNS} dates 2020–2040, 1–15 werkdagen)`, async (t) => {
  let skipped = 0
  fc.assert(fc.property(date, fc.integer({ min: 1, max: 15 }), (d, n) => {
    const got = werkdagenNa(cal, d, n)
    const want = referenceWerkdagen(d, n)
    skipped += want.overgeslagen.length
    t.same({ ...got }, want, `${d} + ${n}`)
    return got.verwachtOp === want.verwachtOp
  }), { numRuns: RUNS })
  t.ok(skipped > RUNS / 20, `${skipped} holidays skipped across the cases`)
})

t.test('R-VPL-3: every year 2020–2040, the 5 werkdagen after each holiday eve and around each DST change equal the reference', async (t) => {
  for (let y = 2020; y <= 2040; y++) {
    for (let day = dayOf(`${y}-03-20`); day <= dayOf(`${y}-06-10`); day++) {
      const d = dateOfDay(day)
      t.equal(werkdagenNa(cal, d, 5).verwachtOp, referenceWerkdagen(d, 5).verwachtOp, d)
    }
    for (const d of [`${y}-10-20`, `${y}-10-23`, `${y}-10-26`, `${y}-12-21`, `${y}-12-24`, `${y}-12-31`]) {
      t.equal(werkdagenNa(cal, d, 5).verwachtOp, referenceWerkdagen(d, 5).verwachtOp, d)
    }
  }
})

t.test('a due date ends at local midnight after it, 23 or 25 hours long on DST days', async (t) => {
  fc.assert(fc.property(date, (d) => endOfDate(d, TZ) === midnight(dateOfDay(dayOf(d) + 1))), { numRuns: RUNS })
  t.equal(endOfDate('2026-03-29', TZ) - endOfDate('2026-03-28', TZ), 23 * 3_600_000)
  t.equal(endOfDate('2026-10-25', TZ) - endOfDate('2026-10-24', TZ), 25 * 3_600_000)
})

t.test(`R-VPL-2: 21 days at the same clock time equals the reference (${RUNS} instants, DST gaps and overlaps)`, async (t) => {
  const instant = fc.integer({ min: Date.UTC(2020, 0, 1) / 60_000, max: Date.UTC(2040, 11, 1) / 60_000 }).map((m) => m * 60_000)
  fc.assert(fc.property(instant, (x) => sameClockDaysLater(x, 21, TZ) === referenceSameClock(x, 21)), { numRuns: RUNS })
  // Around each change: the instants 21 days before it, every 15 minutes of that night.
  for (let y = 2020; y <= 2040; y++) {
    for (const [m, d] of [[3, 31], [10, 31]] as const) {
      let sunday = d
      while (new Date(Date.UTC(y, m - 1, sunday)).getUTCDay() !== 0) sunday--
      const base = Date.UTC(y, m - 1, sunday - 21) - 2 * 3_600_000
      for (let k = 0; k < 24; k++) {
        const x = base + k * 15 * 60_000
        t.equal(sameClockDaysLater(x, 21, TZ), referenceSameClock(x, 21), new Date(x).toISOString())
      }
    }
  }
})

t.test(`civil months (R-VPL-4, R-VPL-6) equal the month-by-month reference (${RUNS} cases)`, async (t) => {
  let clamped = 0
  fc.assert(fc.property(date, fc.integer({ min: -24, max: 24 }), (d, n) => {
    if (addMonths(d, n).slice(8) !== d.slice(8)) clamped++
    return addMonths(d, n) === referenceAddMonths(d, n)
  }), { numRuns: RUNS })
  t.equal(addMonths('2027-01-31', 1), '2027-02-28', 'a day the month lacks becomes its last day')
  t.equal(addMonths('2028-05-31', -3), '2028-02-29')
  t.ok(clamped > 0, `${clamped} cases clamped to a month's end`)
})

/** The operationeel chain by its definition: each due 42 days after the previous meeting (the first after the start). */
function referenceChain (start: string, dates: string[], peil: number): Array<{ due: string, status: string, dagen: number }> {
  const held = [...new Set(dates)].filter((d) => d > start && midnight(d) <= peil).sort()
  const out: Array<{ due: string, status: string, dagen: number }> = []
  let prev = start
  for (;;) {
    const due = dateOfDay(dayOf(prev) + 42)
    const next = held.find((d) => d > prev)
    const dueInstant = midnight(dateOfDay(dayOf(due) + 1))
    if (next === undefined) {
      const peilDay = Math.floor((peil + amsterdamOffset(peil)) / 86_400_000)
      out.push(peil < dueInstant ? { due, status: 'open', dagen: 0 } : { due, status: 'verlopen', dagen: peilDay - dayOf(due) })
      return out
    }
    out.push(next <= due ? { due, status: 'op-tijd', dagen: 0 } : { due, status: 'te-laat', dagen: dayOf(next) - dayOf(due) })
    prev = next
  }
}

t.test(`R-VPL-3: the operationeel chain equals its definition, whatever the order of the records (${RUNS / 10} histories)`, async (t) => {
  const history = fc.record({
    start: fc.integer({ min: dayOf('2020-01-01'), max: dayOf('2039-01-01') }).map(dateOfDay),
    gaps: fc.array(fc.integer({ min: 0, max: 70 }), { maxLength: 12 }),
    peilNa: fc.integer({ min: 0, max: 800 * 24 }).map((h) => h * 3_600_000 + 1234)
  })
  fc.assert(fc.property(history, fc.integer(), ({ start, gaps, peilNa }, seed) => {
    let day = dayOf(start)
    const dates = gaps.map((g) => dateOfDay(day += g))
    const records: OverlegRecord[] = dates.map((d, i) => ({ id: `o${i}`, niveau: 'operationeel', datum: d, verslagOntvangenOp: null }))
    const shuffled = [...records].sort((a, b) => ((a.id.charCodeAt(1) * 31 + seed) % 7) - ((b.id.charCodeAt(1) * 31 + seed) % 7))
    const peil = midnight(start) + peilNa
    const got = verplichtingenOp({ timeZone: TZ, start, overleggen: shuffled, releases: [], documenten: [], exit: [], restoretests: [] }, cal, peil)
      .filter((v: Verplichting) => v.soort === 'overleg-operationeel')
      .sort((a, b) => a.verwachtOp - b.verwachtOp)
      .map((v) => ({ due: v.verwachtDatum, status: v.status, dagen: v.dagenTeLaat }))
    const want = referenceChain(start, dates, peil)
    t.same(got, want)
    return JSON.stringify(got) === JSON.stringify(want)
  }), { numRuns: RUNS / 10 })
})
