// Calendar engine throughput against moment-business-time on the same inputs (issue 3).
import moment from 'moment-timezone'
import 'moment-business-time'
import { slaCalendar } from '../src/adapters/holidays/sla-calendars.js'
import { HOUR, MINUTE, type Interval } from '../src/core/index.js'
import { line, mulberry32 } from './util.js'

type MbtMoment = moment.Moment & { addWorkingTime: (n: number, u: string) => MbtMoment, workingDiff: (o: MbtMoment, u: string) => number }
const tz = (t: number): MbtMoment => (moment as unknown as { tz: (t: number, z: string) => MbtMoment }).tz(t, 'Europe/Amsterdam')

export async function benchCalendar (): Promise<void> {
  const cal = slaCalendar('kantooruren')
  const holidays: string[] = []
  for (let y = 2019; y <= 2042; y++) for (const h of cal.closedDays(y)) holidays.push(h.date)
  const day = ['08:00:00', '18:00:00']
  moment.updateLocale('en', { workinghours: { 0: null, 1: day, 2: day, 3: day, 4: day, 5: day, 6: null }, holidays } as moment.LocaleSpecification)

  const rnd = mulberry32(20261129)
  const N = 100_000
  const from = new Float64Array(N)
  const pauses: Interval[][] = []
  const lo = Date.UTC(2020, 0, 1) / MINUTE
  const span = Date.UTC(2040, 0, 1) / MINUTE - lo
  for (let i = 0; i < N; i++) {
    const f = (lo + Math.floor(rnd() * span)) * MINUTE
    from[i] = f
    const p1 = f + Math.floor(rnd() * 4 * 24 * 60) * MINUTE
    const p1e = p1 + Math.floor(60 + rnd() * 2 * 24 * 60) * MINUTE
    const p2 = p1e + Math.floor(rnd() * 4 * 24 * 60) * MINUTE
    const p2e = p2 + Math.floor(60 + rnd() * 2 * 24 * 60) * MINUTE
    pauses.push([{ start: p1, end: p1e }, { start: p2, end: p2e }])
  }
  const D = 100 * HOUR

  const ours = (withPauses: boolean): number => {
    let sink = 0
    for (let i = 0; i < 20_000; i++) sink += cal.deadline(from[i % N] as number, D, withPauses ? pauses[i % N] : undefined) // warm-up
    const ops = withPauses ? 2_000_000 : 4_000_000
    const t0 = performance.now()
    for (let i = 0; i < ops; i++) sink += cal.deadline(from[i % N] as number, D, withPauses ? pauses[i % N] : undefined)
    const ms = performance.now() - t0
    if (sink === 0) throw new Error('unreachable')
    return ops / (ms / 1000)
  }

  // moment-business-time has no pauses: walk them the obvious way with its own functions.
  const theirs = (f: number, ps: readonly Interval[] | undefined): number => {
    let cursor = f
    let remaining = D
    for (const p of ps ?? []) {
      const candidate = tz(cursor).addWorkingTime(remaining, 'milliseconds').valueOf()
      if (candidate <= p.start) return candidate
      remaining -= tz(cursor).workingDiff(tz(p.start), 'milliseconds') * -1
      cursor = Math.max(cursor, p.end)
    }
    return tz(cursor).addWorkingTime(remaining, 'milliseconds').valueOf()
  }
  const baseline = (withPauses: boolean): { rate: number, disagreements: number, n: number } => {
    const n = 400
    let disagreements = 0
    const t0 = performance.now()
    const results = new Float64Array(n)
    for (let i = 0; i < n; i++) results[i] = theirs(from[i] as number, withPauses ? pauses[i] : undefined)
    const ms = performance.now() - t0
    for (let i = 0; i < n; i++) if (results[i] !== cal.deadline(from[i] as number, D, withPauses ? pauses[i] : undefined)) disagreements++
    return { rate: n / (ms / 1000), disagreements, n }
  }

  for (const withPauses of [false, true]) {
    const name = withPauses ? 'deadline-100h-2-pauses' : 'deadline-100h'
    const rate = ours(withPauses)
    const base = baseline(withPauses)
    line(name, rate, 'deadlines/s', rate / base.rate, `moment-business-time ${Math.round(base.rate)}/s`)
    line(`${name}-disagreements`, base.disagreements, `of ${base.n} inputs`)
  }

  const rateWerktijd = (() => {
    let sink = 0
    const ops = 4_000_000
    const t0 = performance.now()
    for (let i = 0; i < ops; i++) sink += cal.businessTime(from[i % N] as number, (from[i % N] as number) + 14 * 24 * HOUR)
    if (sink === 0) throw new Error('unreachable')
    return ops / ((performance.now() - t0) / 1000)
  })()
  const baseWerktijd = (() => {
    const n = 400
    const t0 = performance.now()
    for (let i = 0; i < n; i++) tz(from[i] as number).workingDiff(tz((from[i] as number) + 14 * 24 * HOUR), 'milliseconds')
    return n / ((performance.now() - t0) / 1000)
  })()
  line('werktijd-14-days', rateWerktijd, 'ranges/s', rateWerktijd / baseWerktijd, `moment-business-time ${Math.round(baseWerktijd)}/s`)
}
