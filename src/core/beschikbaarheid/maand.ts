import { DateTime } from 'luxon'
import type { BusinessCalendar } from '../calendar/business-calendar.js'
import { normalizePauses } from '../calendar/pauses.js'
import type { Interval } from '../calendar/types.js'
import { CoreError } from '../errors.js'
import { formatDuration, formatInstant, HOUR, type Duration } from '../time.js'
import { quantile } from './histogram.js'
import type { DagUitleg, MaandResultaat, Onderhoud, Oordeel, ReeksGrenzen, ResponstijdAggregaat } from './types.js'

/** R-BES-1: the daily service window, [07:00, 23:00) local, weekends and holidays too. */
export const VENSTER = { start: 7, end: 23 } as const
/** R-BES-5: below this coverage the month has too little data for a verdict. */
export const MIN_DEKKING = 0.95

export interface MaandInvoer {
  /** `YYYY-MM`, in `timeZone`. */
  readonly maand: string
  readonly timeZone: string
  readonly interval: Duration
  /** Runs sorted by `van`, including the last run before the month (it may cover into it). */
  readonly reeksen: readonly ReeksGrenzen[]
  readonly uitsluitingen: readonly Interval[]
  readonly onderhoud: readonly Onderhoud[]
  /** Response-time aggregates (only those inside this month's windows count). */
  readonly responstijden: readonly ResponstijdAggregaat[]
  readonly norm: number
  /** The kantooruren calendar, to flag upgrades inside office hours (R-BES-6, SLA 3.7). */
  readonly kantooruren: BusinessCalendar
}

interface Segment extends Interval { readonly beschikbaar: boolean }

/** The measured timeline: each run covers [van, tot) and after its last sample up to 2 × interval or the next run. */
function timeline (reeksen: readonly ReeksGrenzen[], interval: Duration): Segment[] {
  const out: Segment[] = []
  for (let i = 0; i < reeksen.length; i++) {
    const r = reeksen[i] as ReeksGrenzen
    const next = reeksen[i + 1]
    const end = Math.min(r.tot + 2 * interval, next === undefined ? Infinity : next.van)
    if (end > r.van) out.push({ start: r.van, end, beschikbaar: r.beschikbaar })
  }
  return out
}

/** Parts of `a` that lie in the sorted, disjoint `b`, and the total length. */
function intersect (a: Interval, b: readonly Interval[]): Interval[] {
  const out: Interval[] = []
  for (const x of b) {
    if (x.end <= a.start) continue
    if (x.start >= a.end) break
    out.push({ start: Math.max(a.start, x.start), end: Math.min(a.end, x.end) })
  }
  return out
}

/** `a` minus the sorted, disjoint `b`. */
function subtract (a: Interval, b: readonly Interval[]): Interval[] {
  const out: Interval[] = []
  let cursor = a.start
  for (const x of intersect(a, b)) {
    if (x.start > cursor) out.push({ start: cursor, end: x.start })
    cursor = Math.max(cursor, x.end)
  }
  if (cursor < a.end) out.push({ start: cursor, end: a.end })
  return out
}

const length = (xs: readonly Interval[]): Duration => xs.reduce((s, x) => s + x.end - x.start, 0)

const windowCache = new Map<string, { datum: string, venster: Interval }>()

/**
 * The local date whose service window holds an instant, or null outside every window (R-BES-1).
 * A local window [07:00, 23:00) lies within the same UTC date for Amsterdam (UTC+1/+2), so the
 * UTC date names the only candidate; its window is computed once per date and zone.
 */
export function windowDate (t: number, timeZone: string): string | null {
  const datum = new Date(t).toISOString().slice(0, 10)
  const key = `${timeZone}|${datum}`
  let w = windowCache.get(key)
  if (w === undefined) {
    const d = DateTime.fromISO(datum, { zone: timeZone })
    w = { datum, venster: { start: d.set({ hour: VENSTER.start }).toMillis(), end: d.set({ hour: VENSTER.end }).toMillis() } }
    windowCache.set(key, w)
  }
  return t >= w.venster.start && t < w.venster.end ? datum : null
}

// A month's windows never change: computed once per month and zone (a pure cache; a report of
// 100 diensten asks for the same three months 600 times, and luxon's zone arithmetic is slow).
const venstersCache = new Map<string, ReadonlyArray<{ readonly datum: string, readonly venster: Interval }>>()

/** The service windows of every day of a month, in its time zone: 16 hours on DST days too. */
export function vensters (maand: string, timeZone: string): ReadonlyArray<{ readonly datum: string, readonly venster: Interval }> {
  const key = `${timeZone}|${maand}`
  let cached = venstersCache.get(key)
  if (cached === undefined) {
    cached = computeVensters(maand, timeZone)
    venstersCache.set(key, cached)
  }
  return cached
}

function computeVensters (maand: string, timeZone: string): Array<{ datum: string, venster: Interval }> {
  const first = DateTime.fromISO(`${maand}-01`, { zone: timeZone })
  if (!/^\d{4}-\d{2}$/.test(maand) || !first.isValid) throw new CoreError('invalid-instant', `'${maand}' is not a month (YYYY-MM)`, 'maand')
  const out: Array<{ datum: string, venster: Interval }> = []
  for (let d = first; d.month === first.month; d = d.plus({ days: 1 })) {
    out.push({
      datum: d.toISODate() as string,
      venster: { start: d.set({ hour: VENSTER.start }).toMillis(), end: d.set({ hour: VENSTER.end }).toMillis() }
    })
  }
  return out
}

/**
 * The month of a dienst (R-BES-1…7): time in the daily window that was available, unavailable,
 * unknown (no sample holding) or excluded; availability and coverage; the verdict; response
 * times of the window's samples; maintenance inside the window. Pure, and linear in the number
 * of runs, exclusions and hours: never in the number of samples.
 */
export function computeMaand (inv: MaandInvoer): MaandResultaat {
  const days = vensters(inv.maand, inv.timeZone)
  const segments = timeline(inv.reeksen, inv.interval)
  const up = segments.filter((s) => s.beschikbaar)
  const down = segments.filter((s) => !s.beschikbaar)
  const excluded = normalizePauses(inv.uitsluitingen, -Infinity)
  let venster = 0; let beschikbaar = 0; let onbeschikbaar = 0; let uitgesloten = 0
  const dagen: DagUitleg[] = []
  for (const { datum, venster: w } of days) {
    venster += w.end - w.start
    const excl = intersect(w, excluded)
    const open = subtract(w, excluded)
    const dayUp = open.flatMap((o) => intersect(o, up))
    const dayDown = open.flatMap((o) => intersect(o, down))
    uitgesloten += length(excl)
    beschikbaar += length(dayUp)
    onbeschikbaar += length(dayDown)
    const measured = normalizePauses([...dayUp, ...dayDown], -Infinity)
    dagen.push({ datum, venster: w, onbeschikbaar: dayDown, onbekend: open.flatMap((o) => subtract(o, measured)), uitgesloten: excl })
  }
  const onbekend = venster - uitgesloten - beschikbaar - onbeschikbaar
  const measured = beschikbaar + onbeschikbaar
  const available = venster - uitgesloten
  const beschikbaarheid = measured === 0 ? null : beschikbaar / measured
  const dekking = available === 0 ? 0 : measured / available
  const oordeel: Oordeel = dekking < MIN_DEKKING || beschikbaarheid === null
    ? 'onvoldoende-meetdata'
    : beschikbaarheid >= inv.norm ? 'behaald' : 'niet-behaald'

  // R-BES-7: the window's samples, from the aggregates that lie inside this month's windows.
  const windows = days.map((d) => d.venster)
  const histogram = new Map<number, number>()
  let aantal = 0; let som = 0
  for (const h of inv.responstijden) {
    if (!windows.some((w) => h.op >= w.start && h.op < w.end)) continue
    aantal += h.aantal
    som += h.somMs
    for (const [k, c] of h.histogram) histogram.set(k, (histogram.get(k) ?? 0) + c)
  }

  const onderhoudInVenster = inv.onderhoud.flatMap((o) => {
    const inVenster = windows.reduce((s, w) => s + length(intersect(w, [o])), 0)
    const overtredingen: Array<'langer-dan-4-uur' | 'binnen-kantooruren'> = []
    if (o.soort === 'upgrade' && o.omgeving === 'productie') {
      if (o.end - o.start > 4 * HOUR) overtredingen.push('langer-dan-4-uur')
      if (inv.kantooruren.businessTime(o.start, o.end) > 0) overtredingen.push('binnen-kantooruren')
    }
    return inVenster > 0 || overtredingen.length > 0 ? [{ onderhoud: o, inVenster, overtredingen }] : []
  })

  return {
    maand: inv.maand,
    venster,
    beschikbaar,
    onbeschikbaar,
    onbekend,
    uitgesloten,
    beschikbaarheid,
    dekking,
    norm: inv.norm,
    oordeel,
    responstijd: { aantal, gemiddeldMs: aantal === 0 ? null : som / aantal, p95Ms: quantile(histogram, 0.95) },
    onderhoudInVenster,
    dagen
  }
}

/** A month's result as the API and the quarterly report show it: durations ISO 8601, instants UTC. */
export function maandToApi (r: MaandResultaat): {
  maand: string, beschikbaarheid: number | null, dekking: number, venster: string, beschikbaar: string, onbeschikbaar: string, onbekend: string, uitgesloten: string,
  norm: number, oordeel: Oordeel, responstijd: { aantal: number, gemiddeldMs: number | null, p95Ms: number | null },
  onderhoudInVenster: Array<{ onderhoud: string, van: string, tot: string, soort: string, omgeving: string, inVenster: string, overtredingen: Array<'langer-dan-4-uur' | 'binnen-kantooruren'> }>
} {
  return {
    maand: r.maand,
    beschikbaarheid: r.beschikbaarheid,
    dekking: r.dekking,
    venster: formatDuration(r.venster),
    beschikbaar: formatDuration(r.beschikbaar),
    onbeschikbaar: formatDuration(r.onbeschikbaar),
    onbekend: formatDuration(r.onbekend),
    uitgesloten: formatDuration(r.uitgesloten),
    norm: r.norm,
    oordeel: r.oordeel,
    responstijd: { aantal: r.responstijd.aantal, gemiddeldMs: r.responstijd.gemiddeldMs, p95Ms: r.responstijd.p95Ms },
    onderhoudInVenster: r.onderhoudInVenster.map((o) => ({
      onderhoud: o.onderhoud.id, van: formatInstant(o.onderhoud.start), tot: formatInstant(o.onderhoud.end), soort: o.onderhoud.soort,
      omgeving: o.onderhoud.omgeving, inVenster: formatDuration(o.inVenster), overtredingen: [...o.overtredingen]
    }))
  }
}
