// Monthly availability in the pure core (R-BES-1…7), with worked example E11.
import t from 'tap'
import { slaCalendar } from '../../../src/adapters/holidays/sla-calendars.js'
import { bucketOf, bucketValue, computeMaand, mergeDay, parseInstant, quantile, utcDay, windowDate, type Meting, type ReeksGrenzen } from '../../../src/core/index.js'

const MIN = 60_000
const at = (s: string): number => parseInstant(s)
const base = { timeZone: 'Europe/Amsterdam', interval: MIN, uitsluitingen: [], onderhoud: [], responstijden: [], norm: 0.98, kantooruren: slaCalendar('kantooruren') }

/** Runs from minute samples between two instants, down in the given intervals, as the adapter stores them. */
function runsFrom (from: number, to: number, down: Array<[number, number]>, gaps: Array<[number, number]> = []): ReeksGrenzen[] {
  const byDay = new Map<number, Meting[]>()
  for (let x = from; x < to; x += MIN) {
    if (gaps.some(([a, b]) => x >= a && x < b)) continue
    const m = { op: x, beschikbaar: !down.some(([a, b]) => x >= a && x < b) }
    const d = utcDay(x)
    byDay.set(d, [...(byDay.get(d) ?? []), m])
  }
  return [...byDay.keys()].sort((a, b) => a - b).flatMap((d) => mergeDay([], byDay.get(d) ?? [], MIN).reeksen)
    .map((r) => ({ van: r.tijdstippen[0] as number, tot: r.tijdstippen[r.tijdstippen.length - 1] as number, beschikbaar: r.beschikbaar }))
}

t.test('E11: February 2026, 500 minutes down in the window, full coverage: 98.14 %, behaald; 600: 97.77 %, niet-behaald', async (t) => {
  const from = at('2026-01-31T23:00:00Z')
  const to = at('2026-03-01T00:00:00+01:00')
  const down500: Array<[number, number]> = [[at('2026-02-10T09:00:00+01:00'), at('2026-02-10T09:00:00+01:00') + 500 * MIN]]
  const m500 = computeMaand({ ...base, maand: '2026-02', reeksen: runsFrom(from, to, down500) })
  t.equal(m500.venster, 28 * 16 * 60 * MIN)
  t.equal(m500.onbeschikbaar, 500 * MIN)
  t.equal(m500.onbekend, 0)
  t.equal(m500.dekking, 1)
  t.equal(Math.round((m500.beschikbaarheid ?? 0) * 10000) / 100, 98.14)
  t.equal(m500.oordeel, 'behaald')
  const down600: Array<[number, number]> = [[at('2026-02-10T09:00:00+01:00'), at('2026-02-10T09:00:00+01:00') + 600 * MIN]]
  const m600 = computeMaand({ ...base, maand: '2026-02', reeksen: runsFrom(from, to, down600) })
  t.equal(Math.round((m600.beschikbaarheid ?? 0) * 10000) / 100, 97.77)
  t.equal(m600.oordeel, 'niet-behaald')
  t.same(m600.dagen[9]?.onbeschikbaar, [{ start: down600[0]?.[0], end: down600[0]?.[1] }])
})

t.test('R-BES-1: a month with a DST switch has 16-hour windows every day', async (t) => {
  const m = computeMaand({ ...base, maand: '2026-03', reeksen: runsFrom(at('2026-02-28T23:00:00Z'), at('2026-04-01T00:00:00+02:00'), []) })
  t.equal(m.venster, 31 * 16 * 60 * MIN)
  t.equal(m.beschikbaar, m.venster)
  const dst = m.dagen.find((d) => d.datum === '2026-03-29')
  t.equal((dst?.venster.end ?? 0) - (dst?.venster.start ?? 0), 16 * 60 * MIN)
})

t.test('R-BES-1: an outage from 22:00 to 08:00 counts only 22:00–23:00 and 07:00–08:00', async (t) => {
  const m = computeMaand({ ...base, maand: '2026-06', reeksen: runsFrom(at('2026-05-31T22:00:00Z'), at('2026-07-01T00:00:00+02:00'), [[at('2026-06-10T22:00:00+02:00'), at('2026-06-11T08:00:00+02:00')]]) })
  t.equal(m.onbeschikbaar, 2 * 60 * MIN)
})

t.test('R-BES-2: a gap longer than 2 × the interval is onbekend after the last sample\'s 2 minutes', async (t) => {
  const gapFrom = at('2026-06-10T10:00:00+02:00')
  const m = computeMaand({ ...base, maand: '2026-06', reeksen: runsFrom(at('2026-05-31T22:00:00Z'), at('2026-07-01T00:00:00+02:00'), [], [[gapFrom, gapFrom + 60 * MIN]]) })
  // the sample at 09:59 holds until 10:01; 10:01–11:00 is unknown
  t.equal(m.onbekend, 59 * MIN)
  t.same(m.dagen[9]?.onbekend, [{ start: gapFrom + MIN, end: gapFrom + 60 * MIN }])
  const small = computeMaand({ ...base, maand: '2026-06', reeksen: runsFrom(at('2026-05-31T22:00:00Z'), at('2026-07-01T00:00:00+02:00'), [], [[gapFrom, gapFrom + MIN]]) })
  t.equal(small.onbekend, 0, 'one missing sample is covered by the one before (2 × interval)')
})

t.test('R-BES-3: an exclusion overlapping an outage takes its part out of the window first', async (t) => {
  const out: [number, number] = [at('2026-06-10T09:00:00+02:00'), at('2026-06-10T12:00:00+02:00')]
  const m = computeMaand({
    ...base, maand: '2026-06',
    reeksen: runsFrom(at('2026-05-31T22:00:00Z'), at('2026-07-01T00:00:00+02:00'), [out]),
    uitsluitingen: [{ start: at('2026-06-10T11:00:00+02:00'), end: at('2026-06-10T13:00:00+02:00') }]
  })
  t.equal(m.uitgesloten, 120 * MIN)
  t.equal(m.onbeschikbaar, 120 * MIN)
  t.equal(m.dekking, 1)
  t.equal(m.beschikbaarheid, (m.venster - 240 * MIN) / (m.venster - 120 * MIN))
})

t.test('R-BES-5: coverage below 0.95 is onvoldoende-meetdata, whatever the share', async (t) => {
  const m = computeMaand({ ...base, maand: '2026-06', reeksen: runsFrom(at('2026-06-01T00:00:00+02:00'), at('2026-06-27T00:00:00+02:00'), []) })
  t.ok(m.dekking < 0.95)
  t.equal(m.beschikbaarheid, 1)
  t.equal(m.oordeel, 'onvoldoende-meetdata')
  const none = computeMaand({ ...base, maand: '2026-06', reeksen: [] })
  t.match(none, { beschikbaarheid: null, dekking: 0, oordeel: 'onvoldoende-meetdata' })
})

t.test('R-BES-6: maintenance inside the window is listed; a production upgrade over 4 h or in office hours is flagged', async (t) => {
  const m = computeMaand({
    ...base, maand: '2026-06', reeksen: [],
    onderhoud: [
      { id: 'a', soort: 'onderhoud', omgeving: 'productie', start: at('2026-06-10T06:00:00+02:00'), end: at('2026-06-10T08:00:00+02:00') },
      { id: 'b', soort: 'upgrade', omgeving: 'productie', start: at('2026-06-12T23:00:00+02:00'), end: at('2026-06-13T05:00:00+02:00') },
      { id: 'c', soort: 'upgrade', omgeving: 'productie', start: at('2026-06-15T17:00:00+02:00'), end: at('2026-06-15T19:00:00+02:00') },
      { id: 'd', soort: 'update', omgeving: 'productie', start: at('2026-06-16T01:00:00+02:00'), end: at('2026-06-16T02:00:00+02:00') }
    ]
  })
  t.same(m.onderhoudInVenster.map((o) => [o.onderhoud.id, o.inVenster / MIN, o.overtredingen]), [
    ['a', 60, []], ['b', 0, ['langer-dan-4-uur']], ['c', 120, ['binnen-kantooruren']]
  ])
})

t.test('R-BES-7: mean and p95 of the window\'s hours, p95 within 4.4 %', async (t) => {
  const hour = (s: string, values: number[]) => {
    const histogram = new Map<number, number>()
    for (const v of values) histogram.set(bucketOf(v), (histogram.get(bucketOf(v)) ?? 0) + 1)
    return { op: at(s), aantal: values.length, somMs: values.reduce((a, b) => a + b, 0), histogram }
  }
  const values = Array.from({ length: 100 }, (_, i) => 100 + i * 10)
  const m = computeMaand({ ...base, maand: '2026-06', reeksen: [], responstijden: [hour('2026-06-10T10:00:00+02:00', values), hour('2026-06-10T03:00:00+02:00', [99999]), hour('2026-07-01T10:00:00+02:00', [99999])] })
  t.equal(m.responstijd.aantal, 100, 'hours outside the window or the month do not count')
  t.equal(m.responstijd.gemiddeldMs, 595)
  const trueP95 = 1040
  t.ok(Math.abs((m.responstijd.p95Ms ?? 0) / trueP95 - 1) <= 0.0443, `p95 ${m.responstijd.p95Ms}`)
  for (const v of [1, 3, 57, 480, 1234, 59999]) t.ok(Math.abs(bucketValue(bucketOf(v)) / v - 1) <= 0.0443, `${v}`)
  t.equal(quantile(new Map(), 0.95), null)
})

t.test('mergeDay: repeats change nothing; disagreeing samples at one instant count as unavailable', async (t) => {
  const first = mergeDay([], [{ op: 0, beschikbaar: true }, { op: MIN, beschikbaar: true }], MIN)
  t.equal(first.nieuw.length, 2)
  const again = mergeDay(first.reeksen, [{ op: MIN, beschikbaar: true }, { op: MIN, beschikbaar: false }, { op: 4 * MIN, beschikbaar: true }], MIN)
  t.same(again.nieuw.map((m) => m.op), [4 * MIN])
  t.same(again.reeksen.map((r) => [r.beschikbaar, r.tijdstippen]), [[true, [0]], [false, [MIN]], [true, [4 * MIN]]])
})

t.test('R-BES-1, R-BES-7: which samples are in a window, on ordinary and DST days', async (t) => {
  const z = 'Europe/Amsterdam'
  t.equal(windowDate(at('2026-06-10T06:59:59+02:00'), z), null)
  t.equal(windowDate(at('2026-06-10T07:00:00+02:00'), z), '2026-06-10')
  t.equal(windowDate(at('2026-06-10T22:59:59+02:00'), z), '2026-06-10')
  t.equal(windowDate(at('2026-06-10T23:00:00+02:00'), z), null)
  t.equal(windowDate(at('2026-03-29T07:00:00+02:00'), z), '2026-03-29')
  t.equal(windowDate(at('2026-10-25T22:30:00+01:00'), z), '2026-10-25')
  t.equal(windowDate(at('2026-01-05T06:30:00+01:00'), z), null)
})
