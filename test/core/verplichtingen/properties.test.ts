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

t.test(`states only move forward in time: what was met stays met as it was, verlopen becomes te-laat at most (${RUNS / 10} histories)`, async (t) => {
  const at = (day: number, minute: number): number => midnight(dateOfDay(day)) + minute * 60_000
  const history = fc.record({
    start: fc.integer({ min: dayOf('2020-01-01'), max: dayOf('2038-01-01') }),
    overleggen: fc.array(fc.record({ niveau: fc.constantFrom('strategisch' as const, 'tactisch' as const, 'operationeel' as const), dag: fc.integer({ min: -30, max: 700 }), verslag: fc.option(fc.integer({ min: 0, max: 20 * 1440 })) }), { maxLength: 10 }),
    releases: fc.array(fc.record({ dag: fc.integer({ min: 0, max: 700 }), minuut: fc.integer({ min: 0, max: 1439 }), besluit: fc.option(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 30 * 1440 }))), productie: fc.option(fc.integer({ min: 0, max: 40 * 1440 })) }), { maxLength: 4 }),
    docs: fc.array(fc.record({ soort: fc.constantFrom('upgradebeleid' as const, 'tpm' as const, 'iso27001' as const), dag: fc.integer({ min: -60, max: 700 }), geldig: fc.integer({ min: 30, max: 500 }) }), { maxLength: 6 }),
    peilen: fc.array(fc.integer({ min: 0, max: 800 * 1440 }), { minLength: 2, maxLength: 5 })
  })
  fc.assert(fc.property(history, (h) => {
    const start = dateOfDay(h.start)
    const inv = {
      timeZone: TZ,
      start,
      overleggen: h.overleggen.map((o, i) => ({ id: `o${i}`, niveau: o.niveau, datum: dateOfDay(h.start + o.dag), verslagOntvangenOp: o.verslag === null ? null : at(h.start + o.dag, o.verslag) })),
      releases: h.releases.map((r, i) => {
        const op = at(h.start + r.dag, r.minuut)
        return {
          id: `r${i}`, kenmerk: `R${i}`, opTestOp: op,
          geaccepteerdOp: r.besluit !== null && r.besluit[0] ? op + r.besluit[1] * 60_000 : null,
          afgekeurdOp: r.besluit !== null && !r.besluit[0] ? op + r.besluit[1] * 60_000 : null,
          inProductieVan: r.productie === null ? null : op + r.productie * 60_000, inProductieTot: null
        }
      }),
      documenten: h.docs.map((d, i) => ({
        id: `d${i}`, soort: d.soort, ontvangenOp: at(h.start + d.dag, 600), jaar: d.soort === 'upgradebeleid' ? Number(dateOfDay(h.start + d.dag + 20).slice(0, 4)) : null,
        type: d.soort === 'tpm' ? 'isae-3402' as const : null, periodeVan: null, periodeTot: null, geldigTot: d.soort === 'iso27001' ? dateOfDay(h.start + d.dag + d.geldig) : null
      })),
      exit: [],
      restoretests: []
    }
    const peilen = [...h.peilen].sort((a, b) => a - b).map((m) => midnight(start) + m * 60_000)
    const states = peilen.map((p) => new Map(verplichtingenOp(inv, cal, p).map((v) => [`${v.soort} ${v.onderwerp}`, v])))
    for (let k = 1; k < states.length; k++) {
      for (const [key, before] of states[k - 1] as Map<string, Verplichting>) {
        const after = (states[k] as Map<string, Verplichting>).get(key)
        if (after === undefined) { t.fail(`${key} disappeared`); return false }
        const ok = before.status === 'open' ||
          (before.status === 'verlopen' && (after.status === 'verlopen' || after.status === 'te-laat') && after.verwachtOp === before.verwachtOp) ||
          (before.status === 'afgekeurd' && (after.status === 'afgekeurd' || after.status === 'te-vroeg')) ||
          (after.status === before.status && after.vervuldOp === before.vervuldOp && after.dagenTeLaat === before.dagenTeLaat)
        if (!ok) { t.fail(`${key}: ${before.status} → ${after.status}`); return false }
      }
    }
    return true
  }), { numRuns: RUNS / 10 })
  t.pass('checked')
})
