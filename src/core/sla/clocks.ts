import type { BusinessCalendar } from '../calendar/business-calendar.js'
import type { CalendarKind, Explanation, Interval } from '../calendar/types.js'
import type { Duration, Instant } from '../time.js'
import { effectivePriority, type PriorityDecision } from './priority.js'
import {
  GEBEURTENIS_TYPES, STATUSES,
  type Gebeurtenis, type KlokStatus, type MeldingFeiten, type MeldingStatus, type Norm, type Normen, type Prioriteit
} from './types.js'

/** The state of one clock at the peilmoment (R-CLK-5). */
export interface Klok {
  readonly status: KlokStatus
  readonly norm: Duration | null
  /** Null while paused or not applicable. For a stopped clock: the deadline as it stood when it stopped. */
  readonly deadline: Instant | null
  readonly verbruikt: Duration | null
  /** While running or paused: what is left of the norm; otherwise null. */
  readonly resterend: Duration | null
  /** While running: less than 20 % of the norm is left. */
  readonly risico: boolean
  /** R-KPI-1: when it stopped within norm, or its deadline when it ran past it; null while undecided. */
  readonly beslistOp: Instant | null
  /** The clock has stopped (reaction given; opgelost or gesloten): `verbruikt` no longer grows. */
  readonly gestopt: boolean
}

export interface Voortgang {
  readonly cadans: Duration | null
  /** When the next update is due, while the clock runs; null otherwise. */
  readonly volgendeOp: Instant | null
  readonly gemist: number
  /** The due instants that passed without an update. */
  readonly gemistOp: readonly Instant[]
}

export type AfwijkingSoort = 'voor-gemeld' | 'na-gesloten'
export interface Afwijking {
  readonly soort: AfwijkingSoort
  readonly gebeurtenis: string
  readonly op: Instant
}

/** A stretch of time in one status; the clocks run in `geregistreerd` and `in-behandeling`. */
export interface StatusSegment {
  readonly start: Instant
  readonly end: Instant
  readonly status: MeldingStatus
  readonly loopt: boolean
}

export interface PrioriteitWijziging {
  readonly op: Instant
  readonly gevraagd: Prioriteit
  readonly prioriteit: Prioriteit
  readonly regel: PriorityDecision['regel']
  readonly gebeurtenis: string
}

export interface KlokUitleg {
  readonly kalender: CalendarKind
  readonly norm: Duration | null
  /** Running and paused stretches up to the clock's stop or the peilmoment. */
  readonly segmenten: readonly StatusSegment[]
  /** Day by day, what counted and why the rest did not; null beyond 400 days. */
  readonly werktijd: Explanation | null
}

export interface SlaState {
  readonly peilmoment: Instant
  readonly status: MeldingStatus
  /** R-CLK-2: the first reaction, when there was one by the peilmoment. */
  readonly reactieOp: Instant | null
  readonly prioriteit: Prioriteit
  readonly prioriteitRegel: PriorityDecision['regel']
  readonly prioriteitHistorie: readonly PrioriteitWijziging[]
  /** R-PRI-6: the instants at which the gemeente disputed the priority. */
  readonly betwist: readonly Instant[]
  readonly reactie: Klok
  readonly functieherstel: Klok
  readonly voortgang: Voortgang
  /** R-SLU-2: when the service closes the melding `geen-reactie`, while it is `opgelost`. */
  readonly automatischSluitenOp: Instant | null
  readonly afwijkingen: readonly Afwijking[]
  readonly segmenten: readonly StatusSegment[]
}

export interface SlaContext {
  readonly normen: Normen
  readonly calendar: (kind: CalendarKind) => BusinessCalendar
}

const RUNNING: ReadonlySet<MeldingStatus> = new Set(['geregistreerd', 'in-behandeling'])
const STOPPED: ReadonlySet<MeldingStatus> = new Set(['opgelost', 'gesloten'])
const TYPE_RANK = new Map(GEBEURTENIS_TYPES.map((t, i) => [t, i]))
const STATUS_RANK = new Map(STATUSES.map((s, i) => [s, i]))
const RISICO_SHARE = 0.2

/**
 * The order of events by their own time (R-CLK-6). Simultaneous events are ordered by their
 * content (type, status, priority, kenmerk), never by arrival, so the result cannot depend on
 * the order in which events were received.
 */
export function compareGebeurtenissen (a: Gebeurtenis, b: Gebeurtenis): number {
  return a.op - b.op ||
    (TYPE_RANK.get(a.type) ?? 0) - (TYPE_RANK.get(b.type) ?? 0) ||
    (a.status === undefined ? -1 : STATUS_RANK.get(a.status) ?? 0) - (b.status === undefined ? -1 : STATUS_RANK.get(b.status) ?? 0) ||
    (a.prioriteit ?? 0) - (b.prioriteit ?? 0) ||
    (a.kenmerk ?? '').localeCompare(b.kenmerk ?? '') ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

interface Timeline {
  segments: StatusSegment[]
  status: MeldingStatus
  since: Instant
  reactieOp: Instant | null
  decision: PriorityDecision
  history: PrioriteitWijziging[]
  betwist: Instant[]
  updates: Instant[]
  afwijkingen: Afwijking[]
}

/** Replays the events up to the peilmoment: statuses, priority, first reaction, anomalies (R-CLK-7). */
function replay (feiten: MeldingFeiten, peil: Instant): Timeline {
  const { gemeldOp } = feiten
  const events = feiten.gebeurtenissen.filter((e) => e.op <= peil).sort(compareGebeurtenissen)
  const tl: Timeline = {
    segments: [],
    status: 'geregistreerd',
    since: gemeldOp,
    reactieOp: null,
    decision: effectivePriority(feiten.type, feiten.omgeving, feiten.gevraagdePrioriteit),
    history: [],
    betwist: [],
    updates: [],
    afwijkingen: []
  }
  for (const e of events) {
    // An event before gemeldOp counts as at gemeldOp: the clocks cannot start earlier (R-CLK-1).
    const t = e.op < gemeldOp ? gemeldOp : e.op
    if (e.op < gemeldOp) tl.afwijkingen.push({ soort: 'voor-gemeld', gebeurtenis: e.id, op: e.op })
    if (tl.status === 'gesloten') tl.afwijkingen.push({ soort: 'na-gesloten', gebeurtenis: e.id, op: e.op })
    switch (e.type) {
      case 'prioriteit':
        if (e.prioriteit !== undefined) {
          tl.decision = effectivePriority(feiten.type, feiten.omgeving, e.prioriteit)
          tl.history.push({ op: e.op, gevraagd: e.prioriteit, prioriteit: tl.decision.prioriteit, regel: tl.decision.regel, gebeurtenis: e.id })
        }
        break
      case 'prioriteit-betwist':
        tl.betwist.push(e.op)
        break
      case 'voortgang':
        tl.updates.push(t)
        tl.reactieOp ??= t
        break
      case 'reactie':
        tl.reactieOp ??= t
        break
      case 'status':
        if (e.status !== undefined && e.status !== tl.status) {
          if (tl.status === 'geregistreerd') tl.reactieOp ??= t
          if (t > tl.since) tl.segments.push({ start: tl.since, end: t, status: tl.status, loopt: RUNNING.has(tl.status) })
          tl.status = e.status
          tl.since = t
        }
        break
      case 'opmerking':
      case 'maatregel':
        break
    }
  }
  // The current status always gets a segment, empty when it began at the peilmoment itself.
  tl.segments.push({ start: tl.since, end: peil, status: tl.status, loopt: RUNNING.has(tl.status) })
  return tl
}

const pausesOf = (segments: readonly StatusSegment[]): Interval[] =>
  segments.filter((s) => !s.loopt).map((s) => ({ start: s.start, end: s.end }))

const notApplicable: Klok = { status: 'nvt', norm: null, deadline: null, verbruikt: null, resterend: null, risico: false, beslistOp: null, gestopt: false }

/** R-CLK-2: the reactie clock, from gemeldOp to the first reaction. */
function reactieKlok (feiten: MeldingFeiten, tl: Timeline, allPauses: readonly Interval[], norm: Norm, cal: BusinessCalendar, peil: Instant): Klok {
  if (norm.reactietijd === null) return { ...notApplicable }
  const n = norm.reactietijd
  const end = tl.reactieOp ?? peil
  const pauses = allPauses.length > 0 && (allPauses[allPauses.length - 1] as Interval).start >= end ? allPauses.filter((p) => p.start < end) : allPauses
  const verbruikt = cal.businessTime(feiten.gemeldOp, end, pauses)
  const deadline = cal.deadline(feiten.gemeldOp, n, pauses)
  if (tl.reactieOp !== null) {
    const within = verbruikt <= n
    return { status: within ? 'behaald' : 'verlopen', norm: n, deadline, verbruikt, resterend: null, risico: false, beslistOp: within ? tl.reactieOp : deadline, gestopt: true }
  }
  if (verbruikt > n) return { status: 'verlopen', norm: n, deadline, verbruikt, resterend: null, risico: false, beslistOp: deadline, gestopt: false }
  const resterend = n - verbruikt
  return { status: 'lopend', norm: n, deadline, verbruikt, resterend, risico: resterend < RISICO_SHARE * n, beslistOp: null, gestopt: false }
}

/** R-CLK-3, R-CLK-4: the functieherstel clock; stops at `opgelost`, runs again when reopened. */
function functieherstelKlok (feiten: MeldingFeiten, tl: Timeline, allPauses: readonly Interval[], norm: Norm, cal: BusinessCalendar, peil: Instant): Klok {
  const n = norm.functiehersteltijd
  const segments = tl.segments
  // The trailing stretch in which the clock is stopped or paused (empty while running).
  let tailStart = peil
  let stoppedFrom: Instant | null = null
  for (let i = segments.length - 1; i >= 0; i--) {
    const s = segments[i] as StatusSegment
    if (s.loopt) break
    tailStart = s.start
    if (STOPPED.has(s.status)) stoppedFrom = s.start
    else if (stoppedFrom !== null) break
  }
  const verbruikt = cal.businessTime(feiten.gemeldOp, peil, allPauses)
  // The deadline as it stood before the current stop or pause: pauses before it, running after.
  const deadline = cal.deadline(feiten.gemeldOp, n, tailStart < peil ? allPauses.filter((p) => p.start < tailStart) : allPauses)
  if (STOPPED.has(tl.status) && stoppedFrom !== null) {
    const within = verbruikt <= n
    return { status: within ? 'behaald' : 'verlopen', norm: n, deadline, verbruikt, resterend: null, risico: false, beslistOp: within ? stoppedFrom : deadline, gestopt: true }
  }
  if (verbruikt > n) return { status: 'verlopen', norm: n, deadline, verbruikt, resterend: null, risico: false, beslistOp: deadline, gestopt: false }
  const resterend = n - verbruikt
  if (!RUNNING.has(tl.status)) return { status: 'gepauzeerd', norm: n, deadline: null, verbruikt, resterend, risico: false, beslistOp: null, gestopt: false }
  return { status: 'lopend', norm: n, deadline, verbruikt, resterend, risico: resterend < RISICO_SHARE * n, beslistOp: null, gestopt: false }
}

/**
 * R-COM-1, R-COM-2, counted on the functieherstel clock's own time c(t) (business time while it
 * runs): the first update is due at c = cadans; after an update at u the next at c(u) + cadans;
 * a due point that the clock runs past without an update is one `gemist`, and the next is due a
 * cadence after it. While the clock is paused or stopped (opgelost) c stands still, so nothing
 * falls due then, and an update exactly at its due point is on time.
 */
function voortgang (feiten: MeldingFeiten, tl: Timeline, pauses: readonly Interval[], norm: Norm, cal: BusinessCalendar, peil: Instant): Voortgang {
  const cadans = norm.voortgang
  if (cadans === null || cadans <= 0) return { cadans: null, volgendeOp: null, gemist: 0, gemistOp: [] }
  // The instant a due point is reached, walking on from the previous one (due points only grow).
  let dueFrom = feiten.gemeldOp
  let dueFromClock = 0
  const dueAt = (c: Duration): Instant => {
    dueFrom = cal.deadline(dueFrom, c - dueFromClock, pauses)
    dueFromClock = c
    return dueFrom
  }
  const missed: Instant[] = []
  let due = cadans
  // c(t) for the updates in time order, each from the previous one: one pass over the range.
  let at = feiten.gemeldOp
  let c = 0
  const clock = (t: Instant): Duration => {
    if (t > at) { c += cal.businessTime(at, t, pauses); at = t }
    return c
  }
  for (const u of tl.updates) {
    const cu = clock(u)
    while (due < cu) { missed.push(dueAt(due)); due += cadans }
    due = cu + cadans
  }
  const now = clock(peil)
  while (due < now) { missed.push(dueAt(due)); due += cadans }
  return { cadans, volgendeOp: RUNNING.has(tl.status) ? dueAt(due) : null, gemist: missed.length, gemistOp: missed }
}

/**
 * The `sla` block of a melding at a peilmoment: both clocks, progress and automatic closing,
 * computed only from the events whose `op` is not after the peilmoment, in their own time order
 * (R-CLK-6). The priority in force at the peilmoment chooses the norms, applied from the
 * melding's start (R-PRI-5). Pure: the same inputs always give the same state.
 */
export function computeSla (feiten: MeldingFeiten, ctx: SlaContext, peilmoment: Instant): SlaState {
  // Before it was reported a melding has no clocks yet: read such a peilmoment as gemeldOp.
  const peil = Math.max(peilmoment, feiten.gemeldOp)
  const tl = replay(feiten, peil)
  const prioriteit = tl.decision.prioriteit
  const norm = ctx.normen.perPrioriteit[prioriteit]
  const cal = ctx.calendar(norm.kalender)
  const pauses = pausesOf(tl.segments)
  const automatischSluitenOp = tl.status === 'opgelost'
    ? ctx.calendar('kantooruren').deadline(tl.since, ctx.normen.automatischSluitenNa)
    : null
  return {
    peilmoment: peil,
    status: tl.status,
    reactieOp: tl.reactieOp,
    prioriteit,
    prioriteitRegel: tl.decision.regel,
    prioriteitHistorie: tl.history,
    betwist: tl.betwist,
    reactie: reactieKlok(feiten, tl, pauses, norm, cal, peil),
    functieherstel: functieherstelKlok(feiten, tl, pauses, norm, cal, peil),
    voortgang: voortgang(feiten, tl, pauses, norm, cal, peil),
    automatischSluitenOp,
    afwijkingen: tl.afwijkingen,
    segmenten: tl.segments
  }
}

const MAX_EXPLAINED = 400 * 86_400_000

/** The explanation of both clocks (`?uitleg=true`): segments and, day by day, the business time. */
export function explainSla (feiten: MeldingFeiten, ctx: SlaContext, state: SlaState): { reactie: KlokUitleg, functieherstel: KlokUitleg } {
  const norm = ctx.normen.perPrioriteit[state.prioriteit]
  const cal = ctx.calendar(norm.kalender)
  const explain = (end: Instant): KlokUitleg => {
    const segmenten = state.segmenten.filter((s) => s.start < end).map((s) => (s.end > end ? { ...s, end } : s))
    const pauses = pausesOf(segmenten)
    return {
      kalender: norm.kalender,
      norm: null,
      segmenten,
      werktijd: end - feiten.gemeldOp <= MAX_EXPLAINED ? cal.explain(feiten.gemeldOp, end, pauses) : null
    }
  }
  const reactieEnd = state.reactieOp ?? state.peilmoment
  return {
    reactie: { ...explain(reactieEnd), norm: state.reactie.norm },
    functieherstel: { ...explain(state.peilmoment), norm: state.functieherstel.norm }
  }
}
