// A random sample stream, merged in random order and chunks with repeats, gives the same month
// as the slow reference computed from the samples (R-BES-2, "each counted once").
import t from 'tap'
import fc from 'fast-check'
import { slaCalendar } from '../../../src/adapters/holidays/sla-calendars.js'
import { computeMaand, mergeDay, utcDay, type Reeks } from '../../../src/core/index.js'
import { referenceMonth, type Sample } from './reference.js'
import { streamArb, streamOf } from './streams.js'

const MIN = 60_000
t.test('random streams in random order, chunks and repeats equal the reference', async (t) => {
  fc.assert(fc.property(streamArb, fc.func(fc.integer()), fc.integer({ min: 10, max: 600 }), (stream, rank, chunk) => {
    const samples = streamOf(stream)
    const shuffled = [...samples, ...samples.slice(0, Math.floor(samples.length / 3))].sort((a, b) => rank(a.op) - rank(b.op))
    const days = new Map<number, Reeks[]>()
    for (let i = 0; i < shuffled.length; i += chunk) {
      const batch = shuffled.slice(i, i + chunk)
      const byDay = new Map<number, Sample[]>()
      for (const x of batch) { const d = utcDay(x.op); const l = byDay.get(d); if (l === undefined) byDay.set(d, [x]); else l.push(x) }
      for (const [d, list] of byDay) days.set(d, mergeDay(days.get(d) ?? [], list, MIN).reeksen)
    }
    const reeksen = [...days.keys()].sort((a, b) => a - b).flatMap((d) => days.get(d) ?? [])
      .map((r) => ({ van: r.tijdstippen[0] as number, tot: r.tijdstippen[r.tijdstippen.length - 1] as number, beschikbaar: r.beschikbaar }))
    const m = computeMaand({ maand: '2026-06', timeZone: 'Europe/Amsterdam', interval: MIN, reeksen, uitsluitingen: [], onderhoud: [], responstijden: [], norm: 0.98, kantooruren: slaCalendar('kantooruren') })
    const ref = referenceMonth(samples, MIN, '2026-06')
    return m.beschikbaar === ref.beschikbaar && m.onbeschikbaar === ref.onbeschikbaar && m.onbekend === ref.onbekend
  }), { numRuns: 150 })
  t.pass('agrees')
})
