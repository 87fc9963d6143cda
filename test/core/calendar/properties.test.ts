// Property tests (fast-check): the engine against the minute-stepping reference, over 2020–2040
// with up to 3 pauses, and the identities that tie deadline and business time together.
import t from 'tap'
import fc from 'fast-check'
import { altijd, hours, kantooruren } from './helpers.js'
import { referenceBusinessTime, referenceDeadline } from './reference.js'

const MIN = 60_000
const FROM = Date.UTC(2020, 0, 1)
const TO = Date.UTC(2040, 11, 20)
const RUNS = Number(process.env.PROPERTY_RUNS ?? 10_000)

const minuteInstant = fc.integer({ min: FROM / MIN, max: TO / MIN }).map((m) => m * MIN)
const pausesNear = (start: number) => fc.array(
  fc.record({ offset: fc.integer({ min: -1440, max: 14 * 1440 }), length: fc.integer({ min: 0, max: 4 * 1440 }) })
    .map(({ offset, length }) => ({ start: start + offset * MIN, end: start + (offset + length) * MIN })),
  { maxLength: 3 })

const caseArb = minuteInstant.chain((from) => fc.record({
  from: fc.constant(from),
  minutes: fc.integer({ min: 0, max: 100 * 60 }),
  pauses: pausesNear(from)
}))

t.test(`deadline equals the minute-stepping reference (${RUNS} cases, up to 3 pauses)`, async (t) => {
  let checked = 0
  fc.assert(fc.property(caseArb, ({ from, minutes, pauses }) => {
    const frozen = Object.freeze(pauses.map((p) => Object.freeze({ ...p })))
    const got = kantooruren.deadline(from, minutes * MIN, frozen)
    checked++
    return got === referenceDeadline(from, minutes * MIN, pauses)
  }), { numRuns: RUNS })
  t.equal(checked >= RUNS, true, `${checked} cases`)
})

t.test(`business time equals the minute-stepping reference (${RUNS} cases)`, async (t) => {
  fc.assert(fc.property(caseArb, ({ from, minutes, pauses }) => {
    // a range of up to ~14 days: `minutes` scaled up to wall-clock minutes
    const to = from + minutes * 3 * MIN
    return kantooruren.businessTime(from, to, pauses) === referenceBusinessTime(from, to, pauses)
  }), { numRuns: RUNS })
  t.pass('agrees')
})

t.test('the altijd calendar equals the reference too (R-CAL-6)', async (t) => {
  fc.assert(fc.property(caseArb, ({ from, minutes, pauses }) =>
    altijd.deadline(from, minutes * MIN, pauses) === referenceDeadline(from, minutes * MIN, pauses, true) &&
    altijd.businessTime(from, from + minutes * MIN, pauses) === referenceBusinessTime(from, from + minutes * MIN, pauses, true)
  ), { numRuns: 2_000 })
  t.pass('agrees')
})

// Identities at millisecond precision, far beyond what minute stepping could check.
const msInstant = fc.integer({ min: FROM, max: TO })
const msCase = msInstant.chain((from) => fc.record({
  from: fc.constant(from),
  d: fc.integer({ min: 0, max: hours(200) }),
  d2: fc.integer({ min: 0, max: hours(200) }),
  pauses: pausesNear(from)
}))

t.test('werktijd(t, deadline(t, D)) = D', async (t) => {
  fc.assert(fc.property(msCase, ({ from, d, pauses }) =>
    kantooruren.businessTime(from, kantooruren.deadline(from, d, pauses), pauses) === d), { numRuns: RUNS })
  t.pass('holds')
})

t.test('deadline(t, werktijd(t, u)) ≤ u, and nothing earlier reaches it', async (t) => {
  fc.assert(fc.property(msCase, ({ from, d, pauses }) => {
    const u = from + d
    const w = kantooruren.businessTime(from, u, pauses)
    const dl = kantooruren.deadline(from, w, pauses)
    const earliest = w === 0 || kantooruren.businessTime(from, dl - 1, pauses) < w
    return dl <= u && earliest
  }), { numRuns: RUNS })
  t.pass('holds')
})

t.test('deadline is monotonic in D, and never before the start', async (t) => {
  fc.assert(fc.property(msCase, ({ from, d, d2, pauses }) => {
    const [lo, hi] = d <= d2 ? [d, d2] : [d2, d]
    const a = kantooruren.deadline(from, lo, pauses)
    return a >= from && a <= kantooruren.deadline(from, hi, pauses)
  }), { numRuns: RUNS })
  t.pass('holds')
})

t.test('an explanation adds up to the business time, and inputs are never mutated', async (t) => {
  fc.assert(fc.property(msCase, ({ from, d, pauses }) => {
    const snapshot = JSON.stringify(pauses)
    const to = from + Math.min(d * 2, hours(24 * 40))
    const e = kantooruren.explain(from, to, pauses)
    const daySum = e.days.reduce((s, day) => s + day.counted, 0)
    const cover = e.days.reduce((s, day) => s + day.counted + day.notCounted.reduce((x, n) => x + n.end - n.start, 0), 0)
    return daySum === kantooruren.businessTime(from, to, pauses) && e.counted === daySum && cover === to - from && JSON.stringify(pauses) === snapshot
  }), { numRuns: 1_000 })
  t.pass('holds')
})
